"""Writes of the comprehensive evaluation (综合评价): setting a year's scheme (a new version once
the one in force has evaluations, so grades already given never move), the cadre's scores with
evidence, and the steps submit → review or return.

Each step runs in one transaction on the evaluation's locked row (``select_for_update``) and
writes an audit row; the cadre is told after the commit. Who may take each step, and from which
state, is the table ``EVALUATION_LIFECYCLE``: a wrong person is refused (403), a step that does
not fit the state is a ``Conflict`` (409)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nonparty.models import (
    GROWTH_MODELS,
    Evaluation,
    EvaluationScheme,
    EvaluationScore,
    EvaluationState,
    Person,
    SchemeDimension,
    SchemeGrade,
    Status,
)
from nonparty.selectors.evaluation import (
    is_cadre_of,
    is_office,
    result_of,
    scheme_in_force,
)
from portal.exceptions import Conflict
from portal.lifecycle import Lifecycle, Transition
from portal.models import AuditLog, User
from portal.services import audit_record, notify

KIND_RETURNED = "nonparty.evaluation_returned"
KIND_REVIEWED = "nonparty.evaluation_reviewed"
ACTIONS = ("submit", "review", "return")


def _cadre(user, evaluation) -> bool:
    return is_cadre_of(user, None if evaluation is None else evaluation.person)


def _office(user, evaluation) -> bool:
    return is_office(user)


EVALUATION_LIFECYCLE = Lifecycle(
    [
        Transition(
            "submit",
            gettext_lazy("Submit"),
            (EvaluationState.DRAFT, EvaluationState.RETURNED),
            EvaluationState.SUBMITTED,
            _cadre,
        ),
        Transition(
            "review",
            gettext_lazy("Review"),
            (EvaluationState.SUBMITTED,),
            EvaluationState.REVIEWED,
            _office,
        ),
        Transition(
            "return",
            gettext_lazy("Return"),
            (EvaluationState.SUBMITTED,),
            EvaluationState.RETURNED,
            _office,
        ),
    ],
    denied=gettext_lazy("You may not %(action)s this evaluation."),
    conflict=gettext_lazy("This evaluation is %(status)s: “%(action)s” does not apply now."),
    status_field="state",
)


def available_actions(user, evaluation: Evaluation) -> list[str]:
    return EVALUATION_LIFECYCLE.available(evaluation, user)


# --- numbers ------------------------------------------------------------------------------------


def parse_score(value, field: str, errors: dict) -> Decimal | None:
    """A score 0–100 with at most one decimal place, or ``None`` when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number between 0 and 100.")]
        return None
    if not number.is_finite() or number < 0 or number > 100:
        errors[field] = [_("Enter a number between 0 and 100.")]
        return None
    if number != number.quantize(Decimal("0.1")):
        errors[field] = [_("Use at most one decimal place.")]
        return None
    return number.quantize(Decimal("0.1"))


# --- the scheme ---------------------------------------------------------------------------------


def check_scheme(dimensions: list[tuple[str, int]], grades: list[tuple[str, Decimal]]) -> None:
    """Refuse a scheme whose weights do not total 100, with a dimension or grade named twice,
    two grades on one threshold, or no grade at 0 (every score must earn a grade)."""
    errors: dict[str, list[str]] = {}
    names = [name.strip() for name, _ in dimensions]
    if not dimensions:
        errors.setdefault("dimensions", []).append(_("Give the scheme at least one dimension."))
    if any(not name for name in names):
        errors.setdefault("dimensions", []).append(_("Every dimension needs a name."))
    if len(set(names)) != len(names):
        errors.setdefault("dimensions", []).append(_("A dimension is named twice."))
    weights = [int(weight) for _, weight in dimensions]
    if any(weight < 1 or weight > 100 for weight in weights):
        errors.setdefault("dimensions", []).append(_("Each weight is between 1 and 100."))
    total = sum(weights)
    if dimensions and total != 100:
        errors.setdefault("dimensions", []).append(
            _("The weights total %(total)s; they must total 100.") % {"total": total}
        )
    labels = [label.strip() for label, _ in grades]
    minimums = [Decimal(minimum) for _, minimum in grades]
    if not grades:
        errors.setdefault("grades", []).append(_("Give the scheme at least one grade."))
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        errors.setdefault("grades", []).append(_("Each grade needs a name of its own."))
    if len(set(minimums)) != len(minimums):
        errors.setdefault("grades", []).append(_("Two grades start at the same score."))
    if any(minimum < 0 or minimum > 100 for minimum in minimums):
        errors.setdefault("grades", []).append(_("A grade's threshold is between 0 and 100."))
    if grades and min(minimums) != 0:
        errors.setdefault("grades", []).append(
            _("The lowest grade must start at 0, so that every score earns a grade.")
        )
    if errors:
        raise ValidationError(errors)


def next_version(year: int) -> int:
    latest = EvaluationScheme.objects.filter(year=year).aggregate(n=Max("version"))["n"]
    return (latest or 0) + 1


def scheme_save(
    *,
    actor: User | None,
    year: int,
    dimensions: list[tuple[str, int]],
    grades: list[tuple[str, Decimal]],
    notes: str = "",
) -> EvaluationScheme:
    """Set ``year``'s scheme (the office; ``actor`` ``None`` for the demo). The version in force
    is changed in place only while no evaluation was scored on it; otherwise this is a new
    version, and the evaluations already scored keep theirs (reviewed ones for good)."""
    if actor is not None and not is_office(actor):
        raise PermissionDenied(_("Only the united-front office sets the evaluation scheme."))
    check_scheme(dimensions, grades)
    with transaction.atomic():
        # Lock the year's versions so two saves do not both make "version 2".
        current = (
            EvaluationScheme.objects.select_for_update()
            .filter(year=year)
            .order_by("-version")
            .first()
        )
        if current is not None and not current.evaluations.exists():
            scheme = current
            scheme.notes = notes
            scheme.save(update_fields=["notes"])
            scheme.dimensions.all().delete()
            scheme.grades.all().delete()
        else:
            scheme = EvaluationScheme(year=year, version=next_version(year), notes=notes)
            scheme.created_by = actor
            scheme.full_clean()
            scheme.save()
        SchemeDimension.objects.bulk_create(
            SchemeDimension(scheme=scheme, name=name.strip(), weight=int(weight), order=i)
            for i, (name, weight) in enumerate(dimensions)
        )
        SchemeGrade.objects.bulk_create(
            SchemeGrade(scheme=scheme, label=label.strip(), min_score=Decimal(minimum))
            for label, minimum in grades
        )
        if actor is not None:
            audit_record(
                actor=actor,
                action=AuditLog.Action.UPDATE,
                target=scheme,
                fields=["dimensions", "grades"],
            )
    return scheme


# --- scoring ------------------------------------------------------------------------------------


def _evidence(person: Person, keys, field: str, errors: dict) -> list[str]:
    """The growth-record keys ``kind:id``, each an entry of ``person``'s record."""
    wanted: dict[str, set[int]] = {}
    clean = []
    for key in keys or []:
        kind, _sep, pk = str(key).partition(":")
        if kind not in GROWTH_MODELS or not pk.isdigit():
            errors[field] = [_("Choose entries of this person's growth record.")]
            return []
        wanted.setdefault(kind, set()).add(int(pk))
        clean.append(f"{kind}:{int(pk)}")
    for kind, pks in wanted.items():
        found = set(
            GROWTH_MODELS[kind]
            .objects.filter(person=person, pk__in=pks)
            .values_list("pk", flat=True)
        )
        if found != pks:
            errors[field] = [_("Choose entries of this person's growth record.")]
            return []
    return list(dict.fromkeys(clean))


def evaluation_save(
    *,
    actor: User,
    person: Person,
    year: int,
    rows: dict,
    comment: str = "",
    submit: bool = False,
) -> Evaluation:
    """Save the cadre's scores of ``person`` for ``year`` on the scheme in force: ``rows`` maps
    each dimension's id to ``{"score", "comment", "evidence"}`` (a draft may leave scores blank).
    Only the person's current liaison cadre scores, only a recognised person, only while the
    evaluation is a draft or returned (else ``Conflict``). ``submit`` submits it as well."""
    if not is_cadre_of(actor, person):
        raise PermissionDenied(_("Only the person's liaison cadre scores their evaluation."))
    if person.status != Status.RECOGNISED:
        raise ValidationError(_("Only recognised people are evaluated."))
    scheme = scheme_in_force(year)
    if scheme is None:
        raise ValidationError(
            _("There is no evaluation scheme for %(year)s yet; the office sets it first.")
            % {"year": year}
        )
    dimensions = list(scheme.dimensions.all())
    errors: dict[str, list[str]] = {}
    clean = {}
    for dimension in dimensions:
        row = rows.get(dimension.pk) or rows.get(str(dimension.pk)) or {}
        score = parse_score(row.get("score"), f"score_{dimension.pk}", errors)
        note = (row.get("comment") or "").strip()
        if len(note) > 500:
            errors[f"comment_{dimension.pk}"] = [_("Keep the comment under 500 characters.")]
        evidence = _evidence(person, row.get("evidence"), f"evidence_{dimension.pk}", errors)
        clean[dimension.pk] = (score, note[:500], evidence)
    comment = (comment or "").strip()
    if len(comment) > 2000:
        errors["comment"] = [_("Keep the comment under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().filter(person=person, year=year).first()
        if evaluation is not None and not evaluation.editable:
            raise Conflict(
                _("This evaluation is %(state)s: it changes only after the office returns it.")
                % {"state": evaluation.get_state_display()}
            )
        if evaluation is None:
            evaluation = Evaluation(person=person, year=year)
        evaluation.scheme, evaluation.cadre, evaluation.comment = scheme, actor, comment
        evaluation.save()
        # A newer version of the scheme replaces the dimensions of an unfinished evaluation.
        evaluation.scores.exclude(dimension__scheme=scheme).delete()
        kept = {s.dimension_id: s for s in evaluation.scores.all()}
        for dimension in dimensions:
            score, note, evidence = clean[dimension.pk]
            existing = kept.get(dimension.pk)
            if score is None:
                if existing is not None:
                    existing.delete()
                continue
            if existing is None:
                existing = EvaluationScore(evaluation=evaluation, dimension=dimension)
            existing.score, existing.comment, existing.evidence = score, note, evidence
            existing.adjusted = None
            existing.save()
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=evaluation,
            fields=["scores", "comment"],
        )
        if submit:
            evaluation = evaluation_transition(evaluation=evaluation, actor=actor, action="submit")
    return evaluation


# --- the steps ----------------------------------------------------------------------------------


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update()
        .select_related("person", "scheme")
        .get(pk=evaluation.pk)
    )


def _check_complete(evaluation: Evaluation) -> None:
    """Every dimension scored, each with evidence or a comment (400 otherwise)."""
    scores = {s.dimension_id: s for s in evaluation.scores.all()}
    errors = {}
    for dimension in evaluation.scheme.dimensions.all():
        score = scores.get(dimension.pk)
        if score is None:
            errors[f"score_{dimension.pk}"] = [
                _("Score “%(name)s” before submitting.") % {"name": dimension.name}
            ]
        elif not score.evidence and not score.comment:
            errors[f"evidence_{dimension.pk}"] = [
                _("Give evidence or a comment for “%(name)s”.") % {"name": dimension.name}
            ]
    if errors:
        raise ValidationError(errors)


def _adjustments(evaluation: Evaluation, adjustments) -> dict[int, Decimal]:
    """The office's changed scores by dimension id (only the evaluation's dimensions)."""
    scores = {s.dimension_id: s for s in evaluation.scores.all()}
    errors: dict[str, list[str]] = {}
    clean = {}
    for key, value in (adjustments or {}).items():
        pk = int(key) if str(key).isdigit() else None
        if pk not in scores:
            errors["adjustments"] = [_("Adjust only the dimensions of this evaluation.")]
            continue
        number = parse_score(value, f"adjusted_{pk}", errors)
        if number is not None and number != scores[pk].score:
            clean[pk] = number
    if errors:
        raise ValidationError(errors)
    return clean


def evaluation_transition(
    *,
    evaluation: Evaluation,
    actor: User,
    action: str,
    reason: str = "",
    adjustments: dict | None = None,
) -> Evaluation:
    """Take ``action`` on ``evaluation``: ``submit`` (the person's cadre; every dimension
    scored with evidence or a comment), ``review`` (the office; any adjusted score needs a
    reason; stores the weighted score and grade on the evaluation's scheme version) or
    ``return`` (the office, with a reason, back to the cadre)."""
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Unknown action.")]})
    EVALUATION_LIFECYCLE.check_actor(actor, action)
    reason = (reason or "").strip()
    if action == "return" and not reason:
        raise ValidationError({"reason": [_("Say why the evaluation goes back to the cadre.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep the reason under 500 characters.")]})
    with transaction.atomic():
        locked = _locked(evaluation)
        EVALUATION_LIFECYCLE.check(locked, actor, action)
        now = timezone.now()
        fields = ["state", "updated_at"]
        if action == "submit":
            _check_complete(locked)
            locked.submitted_at, locked.return_reason = now, ""
            fields += ["submitted_at", "return_reason"]
        elif action == "return":
            locked.return_reason = reason
            fields.append("return_reason")
        else:
            changed = _adjustments(locked, adjustments)
            if changed and not reason:
                raise ValidationError({"reason": [_("Say why the scores are adjusted.")]})
            for score in locked.scores.all():
                if score.dimension_id in changed:
                    score.adjusted = changed[score.dimension_id]
                    score.save(update_fields=["adjusted"])
            locked.score, locked.grade = result_of(locked)
            if locked.score is None:
                raise Conflict(_("This evaluation is not fully scored."))
            locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, now, reason
            fields += ["score", "grade", "reviewed_by", "reviewed_at", "review_note"]
        locked.state = EVALUATION_LIFECYCLE.target(action)
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=locked,
            fields=fields,
            note=f"{action}: {reason}" if reason else action,
        )
        if action in ("return", "review"):
            transaction.on_commit(lambda: _tell(locked.pk, action))
    return locked


def _tell(evaluation_id: int, action: str) -> None:
    evaluation = Evaluation.objects.select_related("person", "cadre").get(pk=evaluation_id)
    values = {"name": evaluation.person.name, "year": evaluation.year}
    if action == "return":
        kind = KIND_RETURNED
        title = _("The %(year)s evaluation of %(name)s was returned to you.") % values
        body = evaluation.return_reason
    else:
        kind = KIND_REVIEWED
        title = _("The %(year)s evaluation of %(name)s was reviewed: %(grade)s.") % {
            **values,
            "grade": evaluation.grade,
        }
        body = evaluation.review_note
    notify(
        recipients=[evaluation.cadre],
        kind=kind,
        title=title,
        body=body,
        url=reverse("nonparty:evaluation-detail", args=[evaluation.pk]),
        target=evaluation,
    )
