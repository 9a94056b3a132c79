import datetime as dt

import pytest

from alliances import services
from portal.models import Region
from portal.services.grants import role_grant
from tests.factories import UserFactory

FOUNDED = dt.date(2021, 3, 1)


def region(code: str, name: str, *, ethnic: bool = False) -> Region:
    """The region ``code`` (12 digits) under the parent its code names, created or updated."""
    from portal.widgets import level_of_code

    level = level_of_code(code)
    keep = {2: 2, 3: 4, 4: 6, 5: 9}.get(int(level))
    parent = Region.objects.get(code=code[:keep].ljust(12, "0")) if keep else None
    found, _ = Region.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "parent": parent,
            "vintage": 2023,
            "is_ethnic": ethnic,
        },
    )
    return found


@pytest.fixture
def places(db):
    """A small world: an ethnic township of 龙游 with two ethnic villages and a plain one, a
    township of 江山 with two villages, and a village of 江西玉山 (another province)."""
    from portal.regions import ensure_built_in_regions

    ensure_built_in_regions()
    region("360000000000", "江西省")
    region("361100000000", "上饶市")
    region("361123000000", "玉山县")
    p = {
        "muchen": region("330825206000", "沐尘畲族乡", ethnic=True),
        "shuangdai": region("330825206201", "双戴村", ethnic=True),
        "muchen_v": region("330825206202", "沐尘村", ethnic=True),
        "plain_ly": region("330825206203", "上村", ethnic=False),
        "xiakou": region("330881101000", "峡口镇"),
        "js_a": region("330881101201", "峡口村"),
        "js_b": region("330881101202", "枫石村"),
        "yushan_t": region("361123100000", "冰溪街道"),
        "yushan_v": region("361123100201", "城东村"),
    }
    return p


@pytest.fixture
def office(db):
    return UserFactory(role="dispatcher", name="统战部")


@pytest.fixture
def county_longyou(db, places):
    user = UserFactory(role="county_staff", name="龙游县干")
    role_grant(
        user=user, role="county_staff", region=Region.objects.get(code="330825000000"), actor=None
    )
    return user


@pytest.fixture
def county_jiangshan(db, places):
    user = UserFactory(role="county_staff", name="江山县干")
    role_grant(
        user=user, role="county_staff", region=Region.objects.get(code="330881000000"), actor=None
    )
    return user


@pytest.fixture
def reporter(db, places):
    user = UserFactory(role="village_reporter", name="双戴报送员")
    role_grant(user=user, role="village_reporter", region=places["shuangdai"], actor=None)
    return user


@pytest.fixture
def other_reporter(db, places):
    user = UserFactory(role="village_reporter", name="峡口报送员")
    role_grant(user=user, role="village_reporter", region=places["js_a"], actor=None)
    return user


@pytest.fixture
def make_alliance(office, places):
    def make(name="畲乡生姜联盟", lead="shuangdai", kinds=("industry",), **extra):
        return services.alliance_create(
            actor=office,
            data={
                "name": name,
                "founded_on": FOUNDED,
                "lead_village": places[lead],
                "kinds": list(kinds),
                **extra,
            },
        )

    return make
