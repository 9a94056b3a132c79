import datetime as dt

import pytest

from nonparty.models import Education, Person, University
from portal.models import Region
from portal.services import role_grant
from tests.factories import UserFactory

ID_A = "330881199001010018"


@pytest.fixture
def reference_rows():
    """Built-in regions and the university table, back after a transactional test flushed them."""
    from django.contrib.contenttypes.models import ContentType

    from nonparty.universities import load_universities
    from portal.regions import ensure_built_in_regions

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    load_universities()


@pytest.fixture
def jiangshan():
    return Region.objects.get(code="330881000000")


@pytest.fixture
def kecheng():
    return Region.objects.get(code="330802000000")


@pytest.fixture
def uni():
    """Universities by name: 复旦 (双一流), 宁波大学 (双一流 for 力学 only), 衢州学院 (not)."""
    return {u.name: u for u in University.objects.all()}


@pytest.fixture
def make_person(jiangshan):
    def make(**fields) -> Person:
        defaults = {
            "name": "测试人士",
            "gender": "male",
            "birth_date": dt.date(1990, 5, 1),
            "native_place": jiangshan,
            "field": "education",
        }
        return Person.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def educate(uni):
    def add(person, degree, university, full_time=True, discipline=""):
        return Education.objects.create(
            person=person,
            degree=degree,
            university=uni[university],
            full_time=full_time,
            discipline=discipline,
        )

    return add


@pytest.fixture
def people(jiangshan):
    """Who asks: the office, a leader, two liaison cadres, county staff of 江山 and of 柯城, an
    entrepreneur."""
    county = UserFactory(role="county_staff", name="江山县干")
    role_grant(user=county, role="county_staff", region=jiangshan, actor=None)
    other_county = UserFactory(role="county_staff", name="柯城县干")
    role_grant(
        user=other_county,
        role="county_staff",
        region=Region.objects.get(code="330802000000"),
        actor=None,
    )
    return {
        "dispatcher": UserFactory(role="dispatcher", name="王受理"),
        "admin": UserFactory(role="admin", name="管理员", is_staff=True, is_superuser=True),
        "leader": UserFactory(role="leader", name="周领导"),
        "cadre": UserFactory(role="liaison", name="傅联络"),
        "colleague": UserFactory(role="liaison", name="童联络"),
        "county": county,
        "other_county": other_county,
        "entrepreneur": UserFactory(role="entrepreneur", name="徐企业"),
    }
