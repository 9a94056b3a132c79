"""Demo figures of the villages (村级报送), run from seed_demo after the alliances' own seeder.

- 2023H1, approved and in force, for every village that was a member of an alliance during the
  half year: the ethnic villages' (``Region.is_ethnic``) values are spread around the article's
  averages and the last one is set so that the computed averages are exactly 66.2万元
  (collective income) and 35.3万元 (operating income); the other member villages lower.
- 2022H1 for the same villages, about a tenth lower, for the change against last year.
- For ``village1`` (双戴村): 2022H1 corrected once (two versions, the newer in force), and a
  report in each other state in later half years (submitted, returned, draft).
- For ``county1`` (江山市): reports of 江山's member villages for 2023H2 in each state
  (submitted, checked, returned, draft), so the county's staff have something to check.

Idempotent: a village's period that has a report already is left as it is. The demo rows are
written directly (no reporter accounts exist for most villages); their history says so.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alliances.models import Indicator, Membership, ReportStep, ReportValue, VillageReport
from alliances.periods import Period
from alliances.services.reports import ensure_indicators
from portal.models import Region, Role

COLLECTIVE, OPERATING = "collective_income", "operating_income"
# The article: in 2023H1 an ethnic village's collective income averaged 66.2万元, its
# operating income 35.3万元.
ETHNIC_AVERAGE = {COLLECTIVE: Decimal("662000"), OPERATING: Decimal("353000")}
OTHER_AVERAGE = {COLLECTIVE: Decimal("518000"), OPERATING: Decimal("276000")}
H1_2023, H1_2022 = Period.parse("2023H1"), Period.parse("2022H1")
NOTE = "演示数据"


def members_during(period: Period) -> list[Region]:
    """The villages that were members of an alliance at some time during ``period``."""
    ids = Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=period.starts_on),
        joined_on__lte=period.ends_on,
    ).values("region_id")
    return list(Region.objects.filter(pk__in=ids, level=Region.Level.VILLAGE).order_by("code"))


def spread(count: int, average: Decimal, step: int) -> list[Decimal]:
    """``count`` whole-yuan values that vary around ``average`` and sum to ``count × average``
    exactly (the last one takes up the difference)."""
    if count == 0:
        return []
    pattern = (-5, 3, -2, 6, -4, 1, -1, 4, -3, 2, 0, -6, 5)
    values = [average + pattern[i % len(pattern)] * step for i in range(count)]
    values[-1] += average * count - sum(values)
    return values


def _write(village, period: Period, values: dict, *, status, version=1, effective=None, **extra):
    effective = status == "approved" if effective is None else effective
    report = VillageReport.objects.create(
        village=village,
        period=period.code,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        status=status,
        version=version,
        is_effective=effective,
        submitted_at=timezone.now() if status != "draft" else None,
        approved_at=timezone.now() if status == "approved" else None,
        **extra,
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator=indicators[code], value=value)
        for code, value in values.items()
    )
    return report


def _steps(report, steps) -> None:
    ReportStep.objects.bulk_create(
        ReportStep(
            report=report,
            action=action,
            from_status=before,
            to_status=after,
            actor=actor,
            note=note,
        )
        for action, before, after, actor, note in steps
    )


WAY = {
    "draft": [("import", "", "draft")],
    "submitted": [("import", "", "draft"), ("submit", "draft", "submitted")],
    "checked": [
        ("import", "", "draft"),
        ("submit", "draft", "submitted"),
        ("check", "submitted", "checked"),
    ],
    "returned": [
        ("import", "", "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
    ],
    "approved": [
        ("import", "", "draft"),
        ("submit", "draft", "submitted"),
        ("check", "submitted", "checked"),
        ("approve", "checked", "approved"),
    ],
}
RETURN_REASON = "经营性收入与台账不符，请核对后重新报送。"


def _report(village, period, values, status, people, *, reporter=None, **extra):
    """A report in ``status`` with the history that led there."""
    if status == "returned":
        extra.setdefault("return_reason", RETURN_REASON)
    report = _write(village, period, values, status=status, **extra)
    actors = {
        "import": people.get("dispatcher"),
        "submit": reporter,
        "check": people.get("county1") if village.code.startswith("330881") else None,
        "approve": people.get("dispatcher"),
        "return": people.get("dispatcher"),
    }
    _steps(
        report,
        [
            (a, before, after, actors[a], RETURN_REASON if a == "return" else NOTE)
            for a, before, after in WAY[status]
        ],
    )
    return report


def _has(village, period: Period) -> bool:
    return VillageReport.objects.filter(village=village, period=period.code).exists()


@transaction.atomic
def seed(context: dict) -> dict:
    ensure_indicators()
    people = context.get("users", {})
    members = members_during(H1_2023)
    if not members:
        return {"summary": ["no member villages: no village figures seeded"]}
    ethnic = [v for v in members if v.is_ethnic]
    others = [v for v in members if not v.is_ethnic]
    reporter = people.get("village1")
    # village1's village is the one its grant names (双戴村 in the demo).
    granted = set(reporter.region_ids(Role.VILLAGE_REPORTER)) if reporter else set()
    village1 = next((v for v in members if v.pk in granted), None)
    created = 0
    for group, average in ((ethnic, ETHNIC_AVERAGE), (others, OTHER_AVERAGE)):
        collective = spread(len(group), average[COLLECTIVE], 23000)
        operating = spread(len(group), average[OPERATING], 11000)
        for village, c, o in zip(group, collective, operating, strict=True):
            if not _has(village, H1_2023):
                _report(
                    village,
                    H1_2023,
                    {COLLECTIVE: c, OPERATING: o},
                    "approved",
                    people,
                    reporter=reporter if village == village1 else None,
                )
                created += 1
            if not _has(village, H1_2022):
                before = {
                    COLLECTIVE: (c * Decimal("0.9")).quantize(Decimal(1)),
                    OPERATING: (o * Decimal("0.88")).quantize(Decimal(1)),
                }
                if village == village1:
                    # Corrected once: version 1 approved, then version 2 approved in force.
                    first = _report(
                        village,
                        H1_2022,
                        {COLLECTIVE: before[COLLECTIVE] - 20000, OPERATING: before[OPERATING]},
                        "approved",
                        people,
                        reporter=reporter,
                        effective=False,
                    )
                    second = _report(
                        village,
                        H1_2022,
                        before,
                        "approved",
                        people,
                        reporter=reporter,
                        version=2,
                        supersedes=first,
                        correction_reason="漏报村集体物业租金收入 2 万元。",
                    )
                    ReportStep.objects.filter(report=second, action="import").update(
                        action="correct", note="漏报村集体物业租金收入 2 万元。"
                    )
                else:
                    _report(village, H1_2022, before, "approved", people)
                created += 1
    # village1's later half years, one in each open state.
    if village1 is not None:
        for code, status in (("2023H2", "submitted"), ("2024H1", "returned"), ("2024H2", "draft")):
            period = Period.parse(code)
            if not _has(village1, period):
                values = {COLLECTIVE: Decimal("690000"), OPERATING: Decimal("362000")}
                if status == "draft":
                    values.pop(OPERATING)
                _report(village1, period, values, status, people, reporter=reporter)
                created += 1
    # county1's villages in 2023H2, one in each open state (their 2023H1 is approved).
    jiangshan = [v for v in members if v.code.startswith("330881")]
    for village, status in zip(
        jiangshan, ("submitted", "checked", "returned", "draft"), strict=False
    ):
        period = Period.parse("2023H2")
        if not _has(village, period):
            _report(
                village,
                period,
                {COLLECTIVE: Decimal("540000"), OPERATING: Decimal("281000")},
                status,
                people,
            )
            created += 1
    return {
        "summary": [
            f"{created} village reports seeded; 2023H1 approved for {len(members)} member "
            f"villages ({len(ethnic)} ethnic)"
        ]
    }
