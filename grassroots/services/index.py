"""The index (一指数): computing a period's scores, the period's flow, reviewers' scores and
corrections after locking. Every step takes the period's row ``select_for_update``, so two
people acting at once are serialised and the second sees the status the first left."""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.models import (
    EDITOR_ROLES,
    DutyRecord,
    IndexScheme,
    Indicator,
    Metric,
    Period,
    PeriodStatus,
    RuleKind,
    Unit,
    UnitScore,
    UnitTotal,
)
from portal import registry
from portal.exceptions import Conflict
from portal.models import Role, User

TWO = Decimal("0.01")

# action → (statuses it may start from, status it leaves, roles that may take it)
TRANSITIONS = {
    "compute": ((PeriodStatus.DRAFT,), PeriodStatus.DRAFT, EDITOR_ROLES),
    "review": ((PeriodStatus.DRAFT,), PeriodStatus.REVIEW, EDITOR_ROLES),
    "submit": ((PeriodStatus.REVIEW,), PeriodStatus.SUBMITTED, (*EDITOR_ROLES, Role.COUNTY_STAFF)),
    "lock": ((PeriodStatus.SUBMITTED,), PeriodStatus.LOCKED, EDITOR_ROLES),
}
# Who scores a scored indicator in review; who corrects a locked period.
SCORER_ROLES = (*EDITOR_ROLES, Role.COUNTY_STAFF)
CORRECTOR_ROLES = EDITOR_ROLES
ACTION_LABELS = {
    "compute": gettext_lazy("Compute the scores"),
    "review": gettext_lazy("Send to county review"),
    "submit": gettext_lazy("Submit"),
    "lock": gettext_lazy("Lock"),
}


def available_actions(period: Period, user: User) -> list[str]:
    return [
        action
        for action, (sources, _target, roles) in TRANSITIONS.items()
        if period.status in sources and user.has_role(*roles)
    ]


def _clip(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(100), value)).quantize(TWO, ROUND_HALF_UP)


def schemes_for(year: int) -> dict[str, IndexScheme]:
    """The latest version of each domain's scheme for ``year``, with its indicators."""
    found: dict[str, IndexScheme] = {}
    for scheme in (
        IndexScheme.objects.filter(year=year).prefetch_related("indicators").order_by("version")
    ):
        found[scheme.domain] = scheme
    return found


def computed_value(
    indicator: Indicator, unit: Unit, period: Period, *, duty_list, records, today: dt.date
) -> Decimal | None:
    """The value a computed indicator reads for ``unit`` in ``period`` (up to today)."""
    from grassroots.selectors.duties import on_time_share

    end = min(period.ends_on, today)
    scope = {
        "unit_id": unit.pk,
        "region_code": unit.region.code,
        "start": period.starts_on,
        "end": end,
    }
    if indicator.metric == Metric.DUTY_ON_TIME_SHARE:
        share = on_time_share(duty_list, records, period.starts_on, end)
        return None if share is None else Decimal(str(round(share, 4)))
    if indicator.metric == Metric.TYPICAL_CASE_COUNT:
        return Decimal(registry.metric_value("grassroots.typical_case_count", **scope))
    if indicator.metric == Metric.APPEALS_CLOSED_ON_TIME:
        return Decimal(registry.metric_value("appeals_closed_on_time", **scope))
    return None


def weighted_total(pairs: list[tuple[Decimal, Decimal | None]]) -> Decimal:
    """Σ weight × score ÷ Σ weight, an unscored indicator counting 0."""
    weights = sum((weight for weight, _score in pairs), Decimal(0))
    if not weights:
        return Decimal("0.00")
    points = sum((weight * (score or 0) for weight, score in pairs), Decimal(0))
    return (points / weights).quantize(TWO, ROUND_HALF_UP)


def _locked_period(period: Period) -> Period:
    return Period.objects.select_for_update().get(pk=period.pk)


def _step(period: Period, action: str, actor: User) -> Period:
    sources, _target, roles = TRANSITIONS[action]
    if not actor.has_role(*roles):
        raise PermissionDenied(_("Your role may not take this step."))
    period = _locked_period(period)
    if period.status not in sources:
        raise Conflict(
            _("The period %(period)s is %(status)s: it cannot take the step “%(action)s”.")
            % {
                "period": period.key,
                "status": period.get_status_display(),
                "action": ACTION_LABELS[action],
            }
        )
    return period


@transaction.atomic
def period_compute(*, period: Period, actor: User | None, today: dt.date | None = None) -> int:
    """Draft the period's scores from the computed indicators of each domain's latest scheme
    for the period's year (reviewers' scores kept), and the units' totals; returns how many
    units were scored. Only while the period is a draft."""
    from grassroots.selectors.duties import duty_lists_by_unit

    if actor is not None:
        period = _step(period, "compute", actor)
    else:
        period = _locked_period(period)
        if period.status != PeriodStatus.DRAFT:
            raise Conflict(_("Only a draft period is computed."))
    today = today or timezone.localdate()
    schemes = schemes_for(period.year)
    units = list(Unit.objects.active().filter(domain__in=schemes).select_related("region"))
    lists = duty_lists_by_unit(units)
    records: dict[int, list[DutyRecord]] = defaultdict(list)
    for record in DutyRecord.objects.filter(
        unit__in=units, done_on__gte=period.starts_on, done_on__lte=period.ends_on
    ).only("unit_id", "item_id", "done_on"):
        records[record.unit_id].append(record)
    kept = {
        (score.unit_id, score.indicator_id): score
        for score in UnitScore.objects.filter(
            period=period, current=True, indicator__rule=RuleKind.SCORED
        )
    }
    UnitScore.objects.filter(period=period).exclude(indicator__rule=RuleKind.SCORED).delete()
    UnitScore.objects.filter(period=period).exclude(
        indicator__scheme__in=[scheme.pk for scheme in schemes.values()]
    ).delete()
    new_scores, totals = [], []
    for unit in units:
        scheme = schemes[unit.domain]
        pairs = []
        for indicator in scheme.indicators.all():
            if indicator.rule == RuleKind.COMPUTED:
                value = computed_value(
                    indicator,
                    unit,
                    period,
                    duty_list=lists[unit.pk],
                    records=records[unit.pk],
                    today=today,
                )
                score = None if value is None else _clip(value * indicator.points_per_unit)
                new_scores.append(
                    UnitScore(
                        period=period, unit=unit, indicator=indicator, value=value, score=score
                    )
                )
            else:
                old = kept.get((unit.pk, indicator.pk))
                score = old.score if old else None
            pairs.append((indicator.weight, score))
        totals.append(
            UnitTotal(
                period=period,
                unit=unit,
                domain=unit.domain,
                county_id=unit.county_id,
                score=weighted_total(pairs),
            )
        )
    UnitScore.objects.bulk_create(new_scores, batch_size=2000)
    UnitTotal.objects.filter(period=period).delete()
    UnitTotal.objects.bulk_create(totals, batch_size=2000)
    period.computed_at = timezone.now()
    period.save(update_fields=["computed_at"])
    return len(units)


def refresh_totals(period: Period, unit_ids=None) -> None:
    """Rewrite the roll-up of ``unit_ids`` (default: every unit scored in the period)."""
    scores = UnitScore.objects.filter(period=period, current=True).select_related(
        "indicator", "unit"
    )
    if unit_ids is not None:
        scores = scores.filter(unit__in=unit_ids)
    by_unit: dict[int, list] = defaultdict(list)
    units = {}
    for score in scores:
        by_unit[score.unit_id].append(score)
        units[score.unit_id] = score.unit
    schemes = schemes_for(period.year)
    for unit_id, rows in by_unit.items():
        unit = units[unit_id]
        scheme = schemes.get(unit.domain)
        indicators = list(scheme.indicators.all()) if scheme else [r.indicator for r in rows]
        found = {row.indicator_id: row.score for row in rows}
        total = weighted_total([(ind.weight, found.get(ind.pk)) for ind in indicators])
        UnitTotal.objects.update_or_create(
            period=period,
            unit=unit,
            defaults={"domain": unit.domain, "county_id": unit.county_id, "score": total},
        )


@transaction.atomic
def period_step(*, period: Period, action: str, actor: User) -> Period:
    """Take ``action`` (review, submit, lock) on ``period``; 409 from any other status."""
    if action == "compute":
        period_compute(period=period, actor=actor)
        return Period.objects.get(pk=period.pk)
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("Unknown step.")})
    period = _step(period, action, actor)
    period.status = TRANSITIONS[action][1]
    fields = ["status"]
    if action == "lock":
        refresh_totals(period)
        period.locked_at, period.locked_by = timezone.now(), actor
        fields += ["locked_at", "locked_by"]
    period.save(update_fields=fields)
    return period


def _check_score(score) -> Decimal:
    try:
        value = Decimal(str(score))
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({"score": _("Enter a number from 0 to 100.")}) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValidationError({"score": _("Enter a number from 0 to 100.")})
    return value.quantize(TWO, ROUND_HALF_UP)


def _indicator_of(period: Period, unit: Unit, indicator_id) -> Indicator:
    scheme = schemes_for(period.year).get(unit.domain)
    indicator = (
        scheme.indicators.filter(pk=indicator_id).first() if scheme and indicator_id else None
    )
    if indicator is None:
        raise ValidationError({"indicator": _("This indicator is not in the unit's scheme.")})
    return indicator


@transaction.atomic
def score_set(
    *, period: Period, unit: Unit, indicator_id, score, evidence: str, actor: User
) -> UnitScore:
    """A reviewer scores a scored indicator with evidence, while the period is in county
    review: county staff for their county's units, or the office."""
    if not actor.has_role(*SCORER_ROLES):
        raise PermissionDenied(_("Only county staff and the office score units."))
    if not Unit.objects.visible_to(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("This unit is not in your county."))
    period = _locked_period(period)
    if period.status != PeriodStatus.REVIEW:
        raise Conflict(_("Scores are given while the period is in county review."))
    indicator = _indicator_of(period, unit, indicator_id)
    errors = {}
    if indicator.rule != RuleKind.SCORED:
        errors["indicator"] = _("This indicator is computed from the data, not scored.")
    if not evidence.strip():
        errors["evidence"] = _("Give the evidence for the score.")
    try:
        value = _check_score(score)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    UnitScore.objects.filter(period=period, unit=unit, indicator=indicator).delete()
    row = UnitScore.objects.create(
        period=period,
        unit=unit,
        indicator=indicator,
        score=value,
        evidence=evidence.strip(),
        scored_by=actor,
    )
    refresh_totals(period, [unit.pk])
    return row


@transaction.atomic
def score_correct(
    *, period: Period, unit: Unit, indicator_id, score, reason: str, actor: User
) -> UnitScore:
    """After locking, the office corrects one score: a new version with who and why, the old
    version kept; the unit's total follows."""
    if not actor.has_role(*CORRECTOR_ROLES):
        raise PermissionDenied(_("Only the office corrects a locked period."))
    period = _locked_period(period)
    if period.status != PeriodStatus.LOCKED:
        raise Conflict(_("Only a locked period is corrected; before that, score it again."))
    indicator = _indicator_of(period, unit, indicator_id)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the score is corrected.")
    try:
        value = _check_score(score)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    old = (
        UnitScore.objects.select_for_update()
        .filter(period=period, unit=unit, indicator=indicator, current=True)
        .first()
    )
    version = 1
    evidence = ""
    if old is not None:
        version, evidence = old.version + 1, old.evidence
        old.current = False
        old.save(update_fields=["current"])
    row = UnitScore.objects.create(
        period=period,
        unit=unit,
        indicator=indicator,
        value=old.value if old else None,
        score=value,
        evidence=evidence,
        version=version,
        reason=reason.strip(),
        scored_by=actor,
    )
    refresh_totals(period, [unit.pk])
    return row
