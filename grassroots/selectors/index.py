"""Reads of the index: the ranking (from the roll-up), a unit's scores with what is behind
each, the periods."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Avg, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from grassroots.models import (
    Metric,
    Period,
    RuleKind,
    Unit,
    UnitScore,
    UnitTotal,
)
from grassroots.selectors.access import is_office
from portal import registry
from portal.models import Region, User
from portal.regions import significant_prefix


def competition_ranks(scores: list[Decimal | None]) -> list[int]:
    """Ranks of ``scores`` sorted best first: equal scores share a rank, the next rank skips
    (1, 1, 3)."""
    ranks, previous, rank = [], object(), 0
    for position, score in enumerate(scores, start=1):
        if score != previous:
            rank, previous = position, score
        ranks.append(rank)
    return ranks


@dataclass(frozen=True)
class RankRow:
    key: str
    label: str
    score: float
    rank: int
    url: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "score": self.score, "rank": self.rank}


def ranking(
    user: User,
    period: Period,
    *,
    group_by: str = "unit",
    domain: str = "",
    county_id: int | None = None,
) -> list[RankRow]:
    """The period's ranking read from the roll-up (two queries): by unit (within a domain
    when given), or county against county (the mean of their units' totals). Ranks are over
    the whole city; the rows are those the caller sees."""
    totals = UnitTotal.objects.filter(period=period)
    if domain:
        totals = totals.filter(domain=domain)
    visible = UnitTotal.objects.visible_to(user).filter(period=period)
    if group_by == "county":
        rows = list(totals.values("county").annotate(score=Avg("score")).order_by("-score"))
        scores = [Decimal(str(row["score"])).quantize(Decimal("0.01")) for row in rows]
        names = dict(
            Region.objects.filter(pk__in=[row["county"] for row in rows]).values_list("pk", "name")
        )
        codes = dict(
            Region.objects.filter(pk__in=[row["county"] for row in rows]).values_list("pk", "code")
        )
        seen = set(visible.values_list("county", flat=True).distinct())
        return [
            RankRow(
                key=significant_prefix(codes[row["county"]]),
                label=names[row["county"]],
                score=float(score),
                rank=rank,
                url=f"{reverse('grassroots:index')}?"
                + urlencode(
                    {
                        "period": period.key,
                        "domain": domain,
                        "county": row["county"],
                        "group_by": "unit",
                    }
                ),
            )
            for row, score, rank in zip(rows, scores, competition_ranks(scores), strict=True)
            if row["county"] in seen
        ]
    rows = list(
        totals.order_by("-score", "unit__name", "unit_id").values_list(
            "unit_id", "unit__name", "score"
        )
    )
    ranks = competition_ranks([score for _pk, _name, score in rows])
    rows = [(*row, rank) for row, rank in zip(rows, ranks, strict=True)]
    if county_id:
        in_county = set(totals.filter(county_id=county_id).values_list("unit_id", flat=True))
        rows = [row for row in rows if row[0] in in_county]
    seen = None if is_office(user) else set(visible.values_list("unit_id", flat=True))
    # One reverse() for all rows: on 10^4 units a reverse() each costs more than the query.
    url = reverse("grassroots:unit-score", args=[period.key, 0])[: -len("0/")]
    return [
        RankRow(
            key=str(pk),
            label=name,
            score=float(score),
            rank=rank,
            url=f"{url}{pk}/",
        )
        for pk, name, score, rank in rows
        if seen is None or pk in seen
    ]


def periods() -> QuerySet[Period]:
    return Period.objects.all()


def period_by_key(key: str) -> Period:
    return get_object_or_404(Period, key=key)


@dataclass(frozen=True)
class ScoreLine:
    score: UnitScore | None
    indicator: object
    history: list
    behind_url: str
    behind_label: str


def score_lines(user: User, period: Period, unit: Unit) -> tuple[list[ScoreLine], object]:
    """Each indicator of the unit's scheme with its current score, the older versions, and
    where the records behind it are (the unit's duty records of the period, the appeals list
    with its filters, or the reviewer's evidence on the line itself)."""
    from grassroots.services.index import schemes_for

    scheme = schemes_for(period.year).get(unit.domain)
    scores = list(
        UnitScore.objects.filter(period=period, unit=unit)
        .select_related("scored_by")
        .order_by("-version")
    )
    total = UnitTotal.objects.filter(period=period, unit=unit).first()
    lines = []
    for indicator in scheme.indicators.all() if scheme else []:
        mine = [score for score in scores if score.indicator_id == indicator.pk]
        current = next((score for score in mine if score.current), None)
        url, label = "", ""
        if indicator.metric == Metric.DUTY_ON_TIME_SHARE:
            url = (
                reverse("grassroots:unit-detail", args=[unit.pk])
                + "?"
                + urlencode({"from": period.starts_on, "to": period.ends_on})
                + "#records"
            )
            label = "duty_records"
        elif indicator.metric:
            url = registry.metric_url(
                indicator.metric
                if indicator.metric != Metric.TYPICAL_CASE_COUNT
                else "grassroots.typical_case_count",
                unit_id=unit.pk,
                region_code=unit.region.code,
                start=period.starts_on,
                end=period.ends_on,
            )
            label = indicator.metric
        elif indicator.rule == RuleKind.SCORED:
            label = "evidence"
        lines.append(
            ScoreLine(
                score=current,
                indicator=indicator,
                history=[score for score in mine if not score.current],
                behind_url=url,
                behind_label=label,
            )
        )
    return lines, total
