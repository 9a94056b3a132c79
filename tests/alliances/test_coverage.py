"""Coverage computed from the memberships on a day, against hand-counted small cases."""

import datetime as dt

import pytest

from alliances import selectors, services

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def world(make_alliance, office, places):
    """畲乡联盟: 双戴 (lead, from 2021-03-01), 沐尘村 (from 2022), 玉山城东村 (partner in 江西,
    2022 only). 峡口联盟: 峡口村 (lead) and 双戴 again (so 双戴 is in two alliances)."""
    a = make_alliance("畲乡联盟", lead="shuangdai")
    services.membership_add(
        actor=office, alliance=a, region=places["muchen_v"], joined_on="2022-01-01"
    )
    partner = services.membership_add(
        actor=office, alliance=a, region=places["yushan_v"], joined_on="2022-01-01", role="partner"
    )
    services.membership_leave(actor=office, membership=partner, left_on="2022-12-31")
    b = make_alliance("峡口联盟", lead="js_a")
    services.membership_add(
        actor=office, alliance=b, region=places["shuangdai"], joined_on="2021-03-01"
    )
    return a, b


EMPTY = dict.fromkeys(selectors.COVERAGE_KEYS, 0) | {"ethnic_townships": 1, "ethnic_villages": 2}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 1, 1), {}),
        (
            D(2021, 6, 30),  # 双戴 counted once although in both alliances
            {
                "alliances": 2,
                "villages": 2,
                "townships": 2,
                "counties": 2,
                "cities": 1,
                "provinces": 1,
                "ethnic_villages_covered": 1,
                "ethnic_townships_covered": 1,
            },
        ),
        (
            D(2022, 12, 31),  # the partner leaves on this day: still counted
            {
                "alliances": 2,
                "villages": 4,
                "townships": 3,
                "counties": 3,
                "cities": 2,
                "provinces": 2,
                "ethnic_villages_covered": 2,
                "ethnic_townships_covered": 1,
            },
        ),
        (
            D(2023, 1, 1),  # …and no more from the next
            {
                "alliances": 2,
                "villages": 3,
                "townships": 2,
                "counties": 2,
                "cities": 1,
                "provinces": 1,
                "ethnic_villages_covered": 2,
                "ethnic_townships_covered": 1,
            },
        ),
    ],
)
def test_coverage_on_a_day(world, office, day, expected, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        figures = selectors.coverage(office, day)
    assert figures == EMPTY | expected
    assert list(figures) == list(selectors.COVERAGE_KEYS)


def test_coverage_follows_the_callers_scope(world, county_jiangshan, other_reporter):
    # 江山's staff see 峡口联盟 only: 峡口村 and 双戴 (龙游), not 沐尘村
    figures = selectors.coverage(county_jiangshan, D(2023, 1, 1))
    assert (figures["alliances"], figures["villages"], figures["ethnic_villages_covered"]) == (
        1,
        2,
        1,
    )


def test_the_tree_marks_covered_and_ethnic_regions(world, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        roots, counties = selectors.coverage_tree(office, D(2021, 6, 30))
    (zhejiang,) = roots  # 江西 not reached yet, and holds no ethnic region of the city
    assert zhejiang.region.name == "浙江省" and zhejiang.covered
    (quzhou,) = zhejiang.children
    longyou = next(c for c in quzhou.children if c.region.name == "龙游县")
    (muchen,) = longyou.children
    assert muchen.covered and muchen.ethnic
    villages = {v.region.name: (v.covered, v.ethnic) for v in muchen.children}
    # 沐尘村 is ethnic but joins only in 2022; 上村 is neither member nor ethnic: not shown
    assert villages == {"双戴村": (True, True), "沐尘村": (False, True)}
    assert muchen.village_count == 1
    by_county = {row.county.name: row for row in counties}
    assert set(by_county) == {"龙游县", "江山市"}
    ly = by_county["龙游县"]
    assert (ly.alliances, ly.townships, ly.villages) == (2, 1, 1)
    assert (ly.ethnic_villages, ly.ethnic_villages_covered) == (2, 1)
    assert (ly.ethnic_townships, ly.ethnic_townships_covered) == (1, 1)
    js = by_county["江山市"]
    assert (js.alliances, js.villages, js.ethnic_villages) == (1, 1, 0)


def test_tree_reaches_the_other_province(world, office):
    roots, counties = selectors.coverage_tree(office, D(2022, 6, 30))
    assert [r.region.name for r in roots] == ["浙江省", "江西省"]
    assert "玉山县" in {row.county.name for row in counties}
