"""Each figure of DESIGN §3 on hand-computed fixtures (see ``stats_scenario``), and the appeal
list behind every number has exactly that many rows."""

import datetime as dt
from urllib.parse import urlencode

import pytest

from enterprises.filters import StatsFilterForm
from enterprises.selectors import stats
from enterprises.services import stats as rollup
from portal.workdays import working_days_between
from tests.enterprises import stats_scenario as sc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=sc.ROLLUP_MODES)
def scenario(request, clock, entrepreneur, dispatcher, handler, other_handler):
    """The scenario with the roll-up built, every day counted live, or a mix of both."""
    built = sc.build(
        clock,
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        other_handler=other_handler,
    )
    sc.settle(request.param)
    return built


def figures(user, group_by=None, **params):
    form = StatsFilterForm({**sc.PERIOD, **params}, user=user)
    assert form.is_valid(), form.errors
    return stats.appeal_stats(user, form.filters(), group_by, today=sc.TODAY)


def assert_figures(row: dict, expected: dict, label: str) -> None:
    wrong = {k: (row[k], v) for k, v in expected.items() if row[k] != v}
    assert not wrong, f"{label}: (got, expected) {wrong}"


def test_total_of_every_figure(scenario, leader):
    total = figures(leader).total.as_dict()
    assert_figures(total, sc.EXPECTED_TOTAL, "total")


def test_rows_by_department_with_null_where_nothing_to_divide(scenario, leader):
    rows = {r["key"]: r for r in figures(leader, "department").as_dict()["rows"]}
    assert set(rows) == {scenario.a.pk, scenario.b.pk, None}
    assert_figures(rows[scenario.a.pk], sc.EXPECTED_A, "A")
    assert_figures(rows[scenario.b.pk], sc.EXPECTED_B, "B")
    assert_figures(rows[None], sc.EXPECTED_UNROUTED, "not routed")
    assert rows[scenario.a.pk]["label"] == scenario.a.name


def test_groups_add_up_to_the_total(scenario, leader):
    for group_by in stats.GROUPINGS:
        result = figures(leader, group_by).as_dict()
        for name in stats.FIGURES:
            assert sum(r[name] for r in result["rows"]) == result["total"][name], (group_by, name)


def test_handling_days_match_the_working_day_calendar(scenario):
    """The database's count of working days agrees with ``portal.workdays`` (a3: 13)."""
    a3 = scenario.appeals["a3"]
    expected = working_days_between(dt.date(2026, 11, 3), dt.date(2026, 11, 20)) - a3.stopped_days
    assert expected == 13
    assert scenario.appeals["a2"].stopped_days == 3


def test_working_days_across_national_day_and_make_up_workdays(db):
    """2026-09-25 (Fri) to 2026-10-12 (Mon): Mid-autumn and National Day off, Sat 10-10 on."""
    from django.db.models import Value
    from django.db.models.fields import DateField

    from enterprises.models import AppealCategory

    pairs = [
        (dt.date(2026, 9, 25), dt.date(2026, 10, 12)),
        (dt.date(2026, 9, 18), dt.date(2026, 9, 21)),
        (dt.date(2026, 9, 30), dt.date(2026, 10, 10)),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 8)),
        (dt.date(2026, 11, 2), dt.date(2026, 11, 2)),
    ]
    for start, end in pairs:
        value = (
            AppealCategory.objects.annotate(
                n=stats.WorkingDaysBetween(
                    Value(start, output_field=DateField()),
                    Value(end, output_field=DateField()),
                    first=dt.date(2026, 1, 1),
                    last=dt.date(2027, 12, 31),
                )
            )
            .values_list("n", flat=True)
            .first()
        )
        assert value == working_days_between(start, end), (start, end)


def test_months_in_asia_shanghai(scenario, leader):
    rows = figures(leader, "month", **{"from": "2026-10-01", "to": "2026-11-30"}).rows
    assert [(r.key, r.label) for r in rows] == [("2026-10", "2026-10"), ("2026-11", "2026-11")]
    october, november = (r.as_dict() for r in rows)
    # a11, accepted on 10-30 at 23:30 (15:30 UTC), is October's only appeal.
    assert_figures(october, {"accepted": 1, "closed": 1, "closed_on_time": 1}, "october")
    assert october["avg_handling_days"] == 3.0
    # a13, accepted on 11-14 at 00:10 (still 11-13 in UTC), is November's.
    assert november["accepted"] == 11


def test_period_edges_follow_the_day_in_asia_shanghai(scenario, leader):
    one_day = figures(leader, **{"from": "2026-11-13", "to": "2026-11-13"}).total
    assert one_day.counts["accepted"] == 1  # a12 at 23:30; not a13 at 00:10 the next day
    before = figures(leader, **{"from": "2026-10-30", "to": "2026-10-30"}).total
    assert before.counts["accepted"] == 1  # a11
    assert before.counts["closed"] == 1


def test_merged_and_rejected_appeals_do_not_count(scenario, leader):
    merged = scenario.appeals["merged"]
    assert merged.merged_into_id == scenario.appeals["a1"].pk
    assert figures(leader).total.counts["accepted"] == 10


def test_source_category_and_county_groupings_name_their_rows(scenario, leader):
    by_source = figures(leader, "source").as_dict()["rows"]
    assert [(r["key"], r["accepted"]) for r in by_source] == [("platform", 10)]
    by_category = figures(leader, "category").as_dict()["rows"]
    assert [(r["label"], r["accepted"]) for r in by_category] == [("融资信贷", 10)]
    by_county = figures(leader, "county").as_dict()["rows"]
    assert [(r["key"], r["accepted"]) for r in by_county] == [(None, 10)]


def test_county_of_an_enterprise_placed_at_a_township(scenario, leader, entrepreneur):
    from portal.models import Region

    county = Region.objects.get(code="330802000000")  # 柯城区
    township = Region.objects.create(
        code="330802001000",
        name="府山街道",
        level=Region.Level.TOWNSHIP,
        parent=county,
        vintage=2023,
    )
    entrepreneur.enterprise.region = township
    entrepreneur.enterprise.save()
    # Moving an enterprise marks its appeals' days, as a step on an appeal does.
    rollup.mark_enterprises([entrepreneur.enterprise.pk])
    rows = figures(leader, "county").as_dict()["rows"]
    assert [(r["key"], r["label"], r["accepted"]) for r in rows] == [(county.pk, "柯城区", 10)]
    assert figures(leader, county=county.pk).total.counts["accepted"] == 10
    other = Region.objects.get(code="330803000000")
    assert figures(leader, county=other.pk).total.counts["accepted"] == 0


def test_department_head_gets_own_department_only(scenario, handler):
    head = UserFactory(role="department_head", department=handler.department)
    result = figures(head, "department").as_dict()
    assert [r["key"] for r in result["rows"]] == [handler.department.pk]
    assert_figures(result["rows"][0], sc.EXPECTED_A, "head's own row")
    assert_figures(result["total"], sc.EXPECTED_A, "head's total")
    by_category = figures(head, "category").as_dict()["rows"]
    assert [r["accepted"] for r in by_category] == [5]


def test_ranking_marks_the_lowest(scenario, leader):
    rows = stats.rank(figures(leader, "department").rows, "closure_rate")
    # Appeals not routed yet are no department: last, without a rank or a mark.
    assert [(r.key, r.rank, r.lowest) for r in rows] == [
        (scenario.a.pk, 1, False),
        (scenario.b.pk, 2, True),
        (None, None, False),
    ]
    on_time = stats.rank(figures(leader, "department").rows, "on_time_rate")
    assert [(r.key, r.rank, r.lowest) for r in on_time] == [
        (scenario.b.pk, 1, False),
        (scenario.a.pk, 2, True),
        (None, None, False),
    ]


def _list_count(client, params: dict) -> int:
    response = client.get(f"/appeals/?{urlencode(params)}")
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert not form.errors, form.errors
    return response.context["page"].paginator.count


@pytest.mark.parametrize("group_by", [None, "department", "month", "source"])
def test_every_number_links_to_a_list_of_that_many_appeals(scenario, leader, client, group_by):
    client.force_login(leader)
    result = figures(leader, group_by)
    # a5 was routed twice: 9 routings of 8 appeals; the list shows appeals.
    assert result.total.counts["assignments"] == 9
    assert result.total.counts["assignments_appeals"] == 8
    checked = 0
    for row in [None, *result.rows]:
        for figure in stats.FIGURES:
            expected = (row or result.total).counts[stats.appeals_behind(figure)]
            params = stats.figure_link_params(leader, result, row, figure)
            if params is None:  # routings of "not routed yet": none, and no link
                assert expected == 0
                continue
            assert _list_count(client, params) == expected, (group_by, row and row.key, figure)
            checked += 1
    assert checked >= len(stats.FIGURES)


def test_a_heads_numbers_link_to_lists_of_that_many_appeals(scenario, handler, client):
    """Appeal figures agree for a head too. (Routing figures count the department's routings
    even of appeals sent back and led elsewhere since, which the head no longer sees.)"""
    head = UserFactory(role="department_head", department=handler.department)
    client.force_login(head)
    result = figures(head, "category")
    for row in [None, *result.rows]:
        for figure in stats.APPEAL_BUCKETS:
            expected = (row or result.total).counts[figure]
            params = stats.figure_link_params(head, result, row, figure)
            assert params["department"] == str(handler.department.pk)
            assert _list_count(client, params) == expected, (row and row.key, figure)
    # The disputed routing (a5) now belongs to B: counted for A, not in A's list.
    params = stats.figure_link_params(head, result, None, "disputed")
    assert result.total.counts["disputed"] == 1
    assert _list_count(client, params) == 0
