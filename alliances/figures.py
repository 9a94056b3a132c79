"""The villages' figures per period (item 9), computed from the reports, never typed.

What counts: the approved version in force of each village's report for the period
(``VillageReport.is_effective``) — drafts, reports under way and superseded versions never do —
of a village that was a member of an alliance at some time during the period (joined on or
before its last day, not left before its first). Per group: the villages reporting, and for each
indicator the total and the average over the villages that gave it, for all those villages and
for the ethnic ones (``Region.is_ethnic``); beside it the same period one year earlier and the
change of the average against it (a fraction; ``None`` with nothing a year earlier).

Groups: a county (the village's county code), or an alliance (a village counts for every
alliance it was a member of during the period). The total row counts each village once,
however many alliances it belongs to. Everything is summed in the database: a fixed handful
of queries whatever the number of villages.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Substr

from alliances.models import Alliance, Indicator, Membership, ReportValue, VillageReport
from alliances.periods import Period
from portal.models import Region

GROUPS = ("alliance", "county")
CENT = Decimal("0.01")


def _member_during() -> Exists:
    """The report's village was a member of some alliance during the report's period."""
    return Exists(
        Membership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=OuterRef("starts_on")),
            region_id=OuterRef("village_id"),
            joined_on__lte=OuterRef("ends_on"),
        )
    )


def counted_reports(user, codes):
    """The reports that count for ``codes`` (period codes), in ``user``'s scope."""
    return (
        VillageReport.objects.visible_to(user)
        .filter(is_effective=True, period__in=list(codes))
        .filter(_member_during())
    )


def _aggregate(user, codes, group_by: str | None):
    """Sums by (group key, period, ethnic, indicator) and villages by (key, period, ethnic)."""
    reports = counted_reports(user, codes)
    values = ReportValue.objects.filter(report__in=reports.values("pk"))
    if group_by == "county":
        values = values.annotate(key=Substr("report__village__code", 1, 6))
        villages = reports.annotate(key=Substr("village__code", 1, 6))
    elif group_by == "alliance":
        # One join to the memberships in force during each report's period (same filter call,
        # so the conditions speak of the same membership).
        member = "report__village__alliance_memberships"
        values = values.filter(
            Q(**{f"{member}__left_on__isnull": True})
            | Q(**{f"{member}__left_on__gte": F("report__starts_on")}),
            **{f"{member}__joined_on__lte": F("report__ends_on")},
        ).annotate(key=F(f"{member}__alliance_id"))
        villages = reports.filter(
            Q(village__alliance_memberships__left_on__isnull=True)
            | Q(village__alliance_memberships__left_on__gte=F("starts_on")),
            village__alliance_memberships__joined_on__lte=F("ends_on"),
        ).annotate(key=F("village__alliance_memberships__alliance_id"))
    else:
        values = values.annotate(key=F("report__period"))  # a constant per period: one group
        villages = reports.annotate(key=F("period"))
    sums = {
        (
            None if group_by is None else row["key"],
            row["report__period"],
            row["ethnic"],
            row["indicator_id"],
        ): (
            row["total"],
            row["n"],
        )
        for row in values.annotate(ethnic=F("report__village__is_ethnic"))
        .values("key", "report__period", "ethnic", "indicator_id")
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by()
    }
    counts = {
        (None if group_by is None else row["key"], row["period"], row["ethnic"]): row["n"]
        for row in villages.annotate(ethnic=F("village__is_ethnic"))
        .values("key", "period", "ethnic")
        .annotate(n=Count("village_id", distinct=True))
        .order_by()
    }
    return sums, counts


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def _cell(sums, key, period, ethnic_only: bool, indicator) -> tuple[Decimal | None, int]:
    total, n = Decimal(0), 0
    for ethnic in (True,) if ethnic_only else (True, False):
        found = sums.get((key, period, ethnic, indicator.pk))
        if found:
            total += found[0]
            n += found[1]
    return (total if n else None), n


def _villages(counts, key, period, ethnic_only: bool) -> int:
    return sum(counts.get((key, period, e), 0) for e in ((True,) if ethnic_only else (True, False)))


def _average(total, n) -> Decimal | None:
    return None if not n else total / n


def _change(now, before) -> float | None:
    if now is None or not before:
        return None
    return round(float((now - before) / before), 4)


def _row(key, label, sums, counts, period: Period, indicators) -> dict:
    previous = period.previous_year().code
    row = {
        "key": key,
        "label": label,
        "villages": _villages(counts, key, period.code, False),
        "previous_villages": _villages(counts, key, previous, False),
        "indicators": {},
        "ethnic": {"villages": _villages(counts, key, period.code, True), "indicators": {}},
    }
    for indicator in indicators:
        for ethnic, into in ((False, row["indicators"]), (True, row["ethnic"]["indicators"])):
            total, n = _cell(sums, key, period.code, ethnic, indicator)
            before, m = _cell(sums, key, previous, ethnic, indicator)
            average, previous_average = _average(total, n), _average(before, m)
            into[indicator.code] = {
                "total": _money(total) if total is not None else 0.0,
                "average": _money(average),
                "previous_total": _money(before),
                "previous_average": _money(previous_average),
                "change": _change(average, previous_average),
            }
    return row


def _labels(group_by: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if group_by == "alliance":
        return dict(Alliance.objects.filter(pk__in=keys).values_list("pk", "name"))
    found = Region.objects.filter(code__in=[k.ljust(12, "0") for k in keys]).values_list(
        "code", "name"
    )
    return {code[:6]: name for code, name in found}


def figures(user, period: Period, group_by: str = "county") -> dict:
    """``{"period", "previous_period", "indicators", "rows", "total"}`` for ``period`` (see the
    module's docstring); amounts in yuan."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {GROUPS}")
    indicators = list(Indicator.objects.filter(active=True).order_by("order", "code"))
    codes = [period.code, period.previous_year().code]
    sums, counts = _aggregate(user, codes, group_by)
    keys = sorted({k[0] for k in counts} | {k[0] for k in sums}, key=str)
    labels = _labels(group_by, keys)
    rows = [_row(key, labels.get(key, str(key)), sums, counts, period, indicators) for key in keys]
    rows.sort(
        key=lambda r: (r["label"], str(r["key"])) if group_by == "alliance" else str(r["key"])
    )
    if group_by == "county":  # each village in one county: the total is the rows' sum
        all_sums, all_counts = _fold(sums), _fold(counts)
    else:  # a village in two alliances counts once: sum again, without the memberships
        all_sums, all_counts = _fold(*_aggregate(user, codes, None))
    total = _row(None, "", all_sums, all_counts, period, indicators)
    total.pop("key")
    total.pop("label")
    return {
        "period": period.code,
        "previous_period": codes[1],
        "group_by": group_by,
        "indicators": [
            {"code": i.code, "name": i.name, "unit": i.unit, "is_amount": i.is_amount}
            for i in indicators
        ],
        "rows": rows,
        "total": total,
    }


def _fold(*tables: dict):
    """Each table with its group keys folded into one (``None``), values added up: sums
    ``(total, n)`` pairs, counts numbers."""
    folded = []
    for table in tables:
        out: dict = {}
        for key, value in table.items():
            key = (None, *key[1:])
            if isinstance(value, tuple):
                total, n = out.get(key, (0, 0))
                out[key] = (total + value[0], n + value[1])
            else:
                out[key] = out.get(key, 0) + value
        folded.append(out)
    return folded[0] if len(folded) == 1 else folded


def series(user, periods: list[Period], group_by: str = "county") -> dict:
    """The figures of several periods at once (the export's columns): ``{"periods", "indicators",
    "rows": [{"key","label","values":{period:{code:{"villages","total","average",
    "ethnic_average"}}}}]}``, plus a total row; one pass of queries for all periods."""
    indicators = list(Indicator.objects.filter(active=True).order_by("order", "code"))
    codes = [p.code for p in periods]
    sums, counts = _aggregate(user, codes, group_by)
    if group_by == "county":
        all_sums, all_counts = _fold(sums), _fold(counts)
    else:
        all_sums, all_counts = _fold(*_aggregate(user, codes, None))
    keys = sorted({k[0] for k in counts}, key=str)
    labels = _labels(group_by, keys)

    def line(key, label, s, c):
        out = {"key": key, "label": label, "values": {}}
        for code in codes:
            cell = {"villages": _villages(c, key, code, False), "indicators": {}}
            for indicator in indicators:
                total, n = _cell(s, key, code, False, indicator)
                etotal, en = _cell(s, key, code, True, indicator)
                cell["indicators"][indicator.code] = {
                    "total": _money(total),
                    "average": _money(_average(total, n)),
                    "ethnic_average": _money(_average(etotal, en)),
                }
            out["values"][code] = cell
        return out

    rows = [line(k, labels.get(k, str(k)), sums, counts) for k in keys]
    rows.append(line(None, "", all_sums, all_counts))
    return {"periods": codes, "indicators": indicators, "rows": rows}


def reported_periods(user) -> list[str]:
    """The periods with any approved report in ``user``'s scope, newest first."""
    return list(
        VillageReport.objects.visible_to(user)
        .filter(is_effective=True)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )
