import pytest

from grassroots.models import Unit
from portal.models import Region
from portal.services import role_grant
from tests.factories import UserFactory

JIANGSHAN = "330881000000"
KECHENG = "330802000000"


@pytest.fixture
def jiangshan(db):
    return Region.objects.get(code=JIANGSHAN)


@pytest.fixture
def kecheng(db):
    return Region.objects.get(code=KECHENG)


@pytest.fixture
def people(jiangshan, kecheng):
    """Who asks: the office, a leader, county staff of 江山 and of 柯城, two unit leads, an
    entrepreneur."""
    county = UserFactory(role="county_staff", name="江山县干")
    role_grant(user=county, role="county_staff", region=jiangshan, actor=None)
    other_county = UserFactory(role="county_staff", name="柯城县干")
    role_grant(user=other_county, role="county_staff", region=kecheng, actor=None)
    return {
        "dispatcher": UserFactory(role="dispatcher", name="王受理"),
        "admin": UserFactory(role="admin", name="管理员", is_staff=True, is_superuser=True),
        "leader": UserFactory(role="leader", name="周领导"),
        "lead": UserFactory(role="unit_lead", name="祝负责"),
        "colleague": UserFactory(role="unit_lead", name="姜负责"),
        "county": county,
        "other_county": other_county,
        "entrepreneur": UserFactory(role="entrepreneur", name="徐企业"),
    }


@pytest.fixture
def make_unit(jiangshan):
    def make(**fields) -> Unit:
        defaults = {"domain": "township", "name": "双塔街道", "region": jiangshan}
        return Unit.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def units(people, make_unit, kecheng):
    """The lead's township in 江山, the colleague's community in 江山, a park in 柯城."""
    return {
        "own": make_unit(name="双塔街道", in_charge=people["lead"]),
        "colleague": make_unit(name="城北社区", domain="community", in_charge=people["colleague"]),
        "kecheng": make_unit(name="柯城科技产业园", domain="park", region=kecheng),
    }
