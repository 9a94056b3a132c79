"""The index: hand-computed totals with versioned weights, ties, the period's flow with every
illegal step (409), reviewers' scores, corrections as versions, ranking scope and queries."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from grassroots.models import DutyRecord, Indicator, Period, UnitScore, UnitTotal
from grassroots.selectors import competition_ranks, ranking
from grassroots.services.index import period_compute, period_step, score_correct, score_set
from portal import registry

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 6, 1)


def total(period, unit):
    return UnitTotal.objects.get(period=period, unit=unit).score


def test_competition_ranks():
    assert competition_ranks([Decimal(90), Decimal(90), Decimal(80), Decimal(70)]) == [1, 1, 3, 4]
    assert competition_ranks([]) == []


@pytest.fixture
def q1_records(units, duty_list):
    """The lead's township: 3 of the 4 item periods of 2023 Q1 done (share 0.75)."""
    monthly, quarterly = duty_list.items.all()
    for day, item in [
        (dt.date(2023, 1, 5), monthly),
        (dt.date(2023, 3, 9), monthly),
        (dt.date(2023, 2, 1), quarterly),
    ]:
        DutyRecord.objects.create(unit=units["own"], item=item, done_on=day, what="x")


def test_hand_computed_total_with_versioned_weights(units, q1_records, scheme, make_period, people):
    scheme(year=2023, duty="60", review="40")
    q1 = make_period(key="2023Q1", kind="quarter", year=2023, ends_on=dt.date(2023, 3, 31))
    period_compute(period=q1, actor=people["dispatcher"], today=TODAY)
    # duty 0.75 × 100 = 75; review unscored (0): (60×75 + 40×0) / 100 = 45.00
    assert total(q1, units["own"]) == Decimal("45.00")
    period_step(period=q1, action="review", actor=people["dispatcher"])
    review = Indicator.objects.get(scheme__year=2023, code="review")
    score_set(
        period=q1,
        unit=units["own"],
        indicator_id=review.pk,
        score="90",
        evidence="台账齐全",
        actor=people["county"],
    )
    # (60×75 + 40×90) / 100 = 81.00
    assert total(q1, units["own"]) == Decimal("81.00")
    period_step(period=q1, action="submit", actor=people["county"])
    period_step(period=q1, action="lock", actor=people["dispatcher"])
    # 2024's weights change (and a second version of 2024's scheme): 2023 stays as it was.
    scheme(year=2024, duty="20", review="80")
    scheme(year=2024, version=2, duty="50", review="50")
    assert total(q1, units["own"]) == Decimal("81.00")
    y2024 = make_period(key="2024", year=2024)
    DutyRecord.objects.create(
        unit=units["own"],
        item=units["own"].duty_records.first().item,
        done_on=dt.date(2024, 1, 9),
        what="x",
    )
    period_compute(period=y2024, actor=people["dispatcher"], today=TODAY)
    # Up to 2024-06-01: months Jan–May (5) and Q1 due; only January done → 1/6 → 16.67;
    # version 2 in force: 50 × 16.67 / 100 = 8.34 (rounded half up from 8.335).
    score = UnitScore.objects.get(period=y2024, unit=units["own"], indicator__code="duty")
    assert score.indicator.scheme.version == 2
    assert score.score == Decimal("16.67")
    assert total(y2024, units["own"]) == Decimal("8.34")


def test_typical_cases_read_through_the_registry(units, make_period, people, monkeypatch):
    from grassroots.models import IndexScheme

    scheme = IndexScheme.objects.create(year=2023, domain="township")
    Indicator.objects.create(
        scheme=scheme,
        code="cases",
        name="案例",
        weight=1,
        rule="computed",
        metric="typical_case_count",
        points_per_unit=25,
    )
    period = make_period()
    period_compute(period=period, actor=people["dispatcher"], today=TODAY)
    assert total(period, units["own"]) == Decimal("0.00")  # no provider: 0
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(people["county"])
    page = client.get(reverse("grassroots:unit-score", args=["2023", units["own"].pk]))
    assert page.status_code == 200
    assert "<strong>0.00</strong>" in page.text  # a zero is a score, not "—"
    monkeypatch.setattr(registry, "_metrics", dict(registry._metrics))
    registry.register_metric(
        "grassroots.typical_case_count",
        lambda *, unit_id, **_: 3 if unit_id == units["own"].pk else 0,
    )
    period_compute(period=period, actor=people["dispatcher"], today=TODAY)
    assert total(period, units["own"]) == Decimal("75.00")


def test_appeals_metric_from_enterprises(units, make_period, people):
    """The enterprises' provider answers (0 here) and gives the appeals list with filters."""
    from grassroots.models import IndexScheme
    from grassroots.selectors import score_lines

    scheme = IndexScheme.objects.create(year=2023, domain="township")
    Indicator.objects.create(
        scheme=scheme,
        code="appeals",
        name="诉求",
        weight=1,
        rule="computed",
        metric="appeals_closed_on_time",
        points_per_unit=10,
    )
    period = make_period()
    period_compute(period=period, actor=people["dispatcher"], today=TODAY)
    lines, _total = score_lines(people["dispatcher"], period, units["own"])
    assert lines[0].behind_url.startswith("/appeals/?status=closed")
    assert f"county={units['own'].county_id}" in lines[0].behind_url


def test_ties_share_a_rank(units, make_period, people):
    period = make_period(status="locked")
    for unit, score in [(units["own"], 80), (units["colleague"], 80), (units["kecheng"], 70)]:
        UnitTotal.objects.create(
            period=period, unit=unit, domain=unit.domain, county=unit.county, score=score
        )
    rows = [row.as_dict() for row in ranking(people["dispatcher"], period)]
    assert [(r["label"], r["rank"]) for r in rows] == [
        ("双塔街道", 1),
        ("城北社区", 1),
        ("柯城科技产业园", 3),
    ]
    counties = ranking(people["dispatcher"], period, group_by="county")
    assert [(r.key, r.score, r.rank) for r in counties] == [
        ("330881", 80.0, 1),
        ("330802", 70.0, 2),
    ]
    # The lead sees their own row with its city-wide rank; county staff their county's rows.
    assert [(r.label, r.rank) for r in ranking(people["lead"], period)] == [("双塔街道", 1)]
    assert [r.label for r in ranking(people["other_county"], period)] == ["柯城科技产业园"]
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    answer = api.get("/api/v1/grassroots/index/", {"period": "2023", "group_by": "county"})
    assert answer.json() == {
        "rows": [
            {"key": "330881", "label": "江山市", "score": 80.0, "rank": 1},
            {"key": "330802", "label": "柯城区", "score": 70.0, "rank": 2},
        ]
    }
    assert api.get("/api/v1/grassroots/index/", {"period": "1999"}).status_code == 400
    assert (
        api.get("/api/v1/grassroots/index/", {"period": "2023", "group_by": "x"}).status_code == 400
    )
    api.force_authenticate(people["entrepreneur"])
    assert api.get("/api/v1/grassroots/index/", {"period": "2023"}).status_code == 403


FLOW = {
    # status → the steps that are illegal from it
    "draft": ["submit", "lock"],
    "review": ["compute", "review", "lock"],
    "submitted": ["compute", "review", "submit"],
    "locked": ["compute", "review", "submit", "lock"],
}


def test_flow_with_every_illegal_step(units, scheme, make_period, people):
    scheme()
    make_period()
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    base = "/api/v1/grassroots/periods/2023"
    for status, legal in [
        ("draft", "review"),
        ("review", "submit"),
        ("submitted", "lock"),
        ("locked", None),
    ]:
        assert Period.objects.get(key="2023").status == status
        for action in FLOW[status]:
            answer = api.post(f"{base}/{action}/")
            assert answer.status_code == 409, (status, action)
            assert Period.objects.get(key="2023").status == status
        if status == "draft":
            assert api.post(f"{base}/compute/").status_code == 200
        if legal:
            answer = api.post(f"{base}/{legal}/")
            assert answer.status_code == 200 and answer.json()["status"] != status
    review = Indicator.objects.get(code="review")
    # Scoring outside review → 409; correcting before locking → 409 (tested after lock below).
    payload = {"unit": units["own"].pk, "indicator": review.pk, "score": "50", "evidence": "x"}
    assert api.post(f"{base}/score/", payload).status_code == 409
    assert api.post(f"{base}/nonsense/").status_code == 404


def test_roles_on_the_flow(units, scheme, make_period, people):
    scheme()
    make_period()
    api = APIClient()
    base = "/api/v1/grassroots/periods/2023"
    for who in ("county", "leader", "lead"):
        api.force_authenticate(people[who])
        assert api.post(f"{base}/review/").status_code == 403, who
    api.force_authenticate(people["entrepreneur"])  # outside the app: the period is not there
    assert api.post(f"{base}/review/").status_code == 404
    api.force_authenticate(people["dispatcher"])
    assert api.post(f"{base}/review/").status_code == 200
    review = Indicator.objects.get(code="review")
    payload = {"unit": units["kecheng"].pk, "indicator": review.pk, "score": "50", "evidence": "x"}
    api.force_authenticate(people["county"])  # 江山's staff, a 柯城 unit: not in their scope
    assert api.post(f"{base}/score/", payload).status_code == 404
    payload["unit"] = units["own"].pk
    assert api.post(f"{base}/score/", {**payload, "evidence": ""}).status_code == 400
    assert api.post(f"{base}/score/", {**payload, "score": "101"}).status_code == 400
    duty = Indicator.objects.get(code="duty")
    assert api.post(f"{base}/score/", {**payload, "indicator": duty.pk}).status_code == 400
    answer = api.post(f"{base}/score/", payload)
    assert answer.status_code == 200 and answer.json()["score"] == 50.0
    api.force_authenticate(people["lead"])
    assert api.post(f"{base}/score/", payload).status_code == 403


def test_correction_is_a_new_version(units, scheme, make_period, people):
    scheme()
    period = make_period()
    office = people["dispatcher"]
    period_compute(period=period, actor=office, today=TODAY)
    period_step(period=period, action="review", actor=office)
    review = Indicator.objects.get(code="review")
    score_set(
        period=period,
        unit=units["own"],
        indicator_id=review.pk,
        score=60,
        evidence="现场",
        actor=office,
    )
    api = APIClient()
    api.force_authenticate(office)
    body = {"unit": units["own"].pk, "indicator": review.pk, "score": "80", "reason": "复核"}
    assert api.post("/api/v1/grassroots/periods/2023/correct/", body).status_code == 409
    period_step(period=period, action="submit", actor=office)
    period_step(period=period, action="lock", actor=office)
    assert total(period, units["own"]) == Decimal("24.00")  # 40 × 60 / 100
    assert (
        api.post("/api/v1/grassroots/periods/2023/correct/", {**body, "reason": ""}).status_code
        == 400
    )
    api.force_authenticate(people["county"])
    assert api.post("/api/v1/grassroots/periods/2023/correct/", body).status_code == 403
    api.force_authenticate(office)
    answer = api.post("/api/v1/grassroots/periods/2023/correct/", body)
    assert answer.status_code == 200 and answer.json()["version"] == 2
    versions = list(
        UnitScore.objects.filter(period=period, unit=units["own"], indicator=review).order_by(
            "version"
        )
    )
    assert [(v.version, v.score, v.current) for v in versions] == [
        (1, Decimal("60.00"), False),
        (2, Decimal("80.00"), True),
    ]
    assert versions[1].reason == "复核" and versions[1].scored_by == office
    assert versions[1].evidence == "现场"
    assert total(period, units["own"]) == Decimal("32.00")
    score_correct(
        period=period,
        unit=units["own"],
        indicator_id=review.pk,
        score=70,
        reason="再核",
        actor=office,
    )
    assert UnitScore.objects.filter(period=period, unit=units["own"], indicator=review).count() == 3


def test_ranking_queries_flat(units, make_period, people, make_unit, django_assert_max_num_queries):
    period = make_period()
    for i in range(40):
        unit = make_unit(name=f"乡镇{i}")
        UnitTotal.objects.create(
            period=period, unit=unit, domain=unit.domain, county=unit.county, score=i % 7
        )
    api = APIClient()
    for who in ("dispatcher", "county", "lead"):
        api.force_authenticate(people[who])
        for group_by in ("unit", "county"):
            with django_assert_max_num_queries(10):
                answer = api.get(
                    "/api/v1/grassroots/index/", {"period": "2023", "group_by": group_by}
                )
            assert answer.status_code == 200
