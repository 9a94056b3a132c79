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


@pytest.fixture
def duty_list(jiangshan):
    """江山's township list: one monthly and one quarterly duty, in force from 2023."""
    from grassroots.models import DutyItem, DutyList

    duty_list = DutyList.objects.create(domain="township", county=jiangshan, name="1241", year=2023)
    DutyItem.objects.create(duty_list=duty_list, title="例会", frequency="monthly", order=1)
    DutyItem.objects.create(duty_list=duty_list, title="走访", frequency="quarterly", order=2)
    return duty_list


@pytest.fixture
def scheme():
    """2023 townships: duty share weight 60, reviewers' score weight 40."""
    from grassroots.models import IndexScheme, Indicator

    def make(year=2023, domain="township", version=1, duty="60", review="40"):
        scheme = IndexScheme.objects.create(year=year, domain=domain, version=version)
        Indicator.objects.create(
            scheme=scheme,
            code="duty",
            name="履职率",
            weight=duty,
            rule="computed",
            metric="duty_on_time_share",
            order=1,
        )
        Indicator.objects.create(
            scheme=scheme, code="review", name="评审", weight=review, rule="scored", order=2
        )
        return scheme

    return make


@pytest.fixture
def make_period():
    import datetime as dt

    from grassroots.models import Period

    def make(key="2023", year=2023, **fields):
        defaults = {
            "kind": "year",
            "year": year,
            "starts_on": dt.date(year, 1, 1),
            "ends_on": dt.date(year, 12, 31),
        }
        return Period.objects.create(key=key, **{**defaults, **fields})

    return make
