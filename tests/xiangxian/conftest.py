import pytest

from portal.models import Region
from xiangxian.models import Sector, Xiangxian

# Valid resident ID numbers (GB 11643 check digits) of synthetic people.
ID_A = "330881196803120010"
ID_B = "330881197502140020"


@pytest.fixture
def reference_rows():
    """The rows the migrations ship (built-in regions, sectors), back after an earlier
    transactional test flushed them; for transactional tests, listed before other fixtures."""
    from django.contrib.contenttypes.models import ContentType

    from portal.regions import ensure_built_in_regions

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    for order, name in enumerate(("医卫", "商界", "科教", "文化", "法律", "金融", "其他"), 1):
        Sector.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


@pytest.fixture
def jiangshan():
    return Region.objects.get(code="330881000000")


@pytest.fixture
def kecheng():
    return Region.objects.get(code="330802000000")


@pytest.fixture
def medicine():
    return Sector.objects.get(name="医卫")


@pytest.fixture
def person_data(jiangshan, medicine):
    """What a colleague types into the form for a doctor from 江山 working in Shanghai."""
    return {
        "name": "徐明远",
        "gender": "male",
        "birth_year": "1968",
        "hometown": jiangshan.pk,
        "residence_province": "上海市",
        "residence_city": "上海市",
        "sector": medicine.pk,
        "organisation": "复旦大学附属中山医院",
        "title": "主任医师",
        "phone": "13900001111",
        "id_number": ID_A,
        "referral": "association",
    }


@pytest.fixture
def make_person(jiangshan, medicine):
    def make(**fields) -> Xiangxian:
        defaults = {
            "name": "测试乡贤",
            "hometown": jiangshan,
            "sector": medicine,
            "residence_province": "上海市",
            "residence_city": "上海市",
        }
        return Xiangxian.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def village(jiangshan):
    """A township of 江山 and one of its villages (the migration ships counties only)."""
    township = Region.objects.get_or_create(
        code="330881101000",
        defaults={
            "name": "峡口镇",
            "level": Region.Level.TOWNSHIP,
            "parent": jiangshan,
            "vintage": 2023,
        },
    )[0]
    return Region.objects.get_or_create(
        code="330881101201",
        defaults={
            "name": "枫石村",
            "level": Region.Level.VILLAGE,
            "parent": township,
            "vintage": 2023,
        },
    )[0]


@pytest.fixture
def editor():
    from tests.factories import UserFactory

    return UserFactory(role="dispatcher")


@pytest.fixture
def leader():
    from tests.factories import UserFactory

    return UserFactory(role="leader")


OUTSIDER_ROLES = ["entrepreneur", "handler", "department_head"]


@pytest.fixture
def outsider_of():
    from tests.factories import DepartmentFactory, UserFactory

    def make(role):
        department = None if role == "entrepreneur" else DepartmentFactory()
        return UserFactory(role=role, department=department)

    return make


# --- events -----------------------------------------------------------------------------------


@pytest.fixture
def staff_user():
    from tests.factories import UserFactory

    return UserFactory(role="dispatcher")


@pytest.fixture
def make_event(staff_user):
    import datetime as dt

    from django.utils import timezone

    from xiangxian.services import event_create

    def make(**fields):
        start = timezone.now() + dt.timedelta(days=3)
        data = {
            "title": "寓外名医恳谈会",
            "kind": "conference",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=4),
            "venue": "衢州国际大酒店",
            "capacity": 100,
            "organiser": "市委统战部",
            **fields,
        }
        return event_create(actor=staff_user, data=data)

    return make


@pytest.fixture
def make_invitee(make_person):
    """A xiangxian with a portal account (so notifications reach them)."""
    from tests.factories import UserFactory

    def make(name="受邀乡贤", **fields):
        account = UserFactory(role="entrepreneur")
        return make_person(name=name, account=account, **fields)

    return make
