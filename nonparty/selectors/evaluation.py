"""Reads of the comprehensive evaluation: the weighted score and its grade (the one computation
the review stores and the pages preview), the year's scheme in force, the year's evaluations in
a user's scope with their filters, one evaluation, a person's evaluations by year and the
evidence a cadre may pick from the person's growth record."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nonparty.models import (
    GROWTH_MODELS,
    Evaluation,
    EvaluationScheme,
    EvaluationState,
    Liaison,
    Person,
)
from portal.models import Role, User

ONE_PLACE = Decimal("0.1")
OFFICE_ROLES = (Role.DISPATCHER, Role.ADMIN)


def weighted_score(rows: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Σ weight × score ÷ 100 over ``(weight in percent, score)``, rounded half up to one
    decimal place (the weights of a scheme total 100)."""
    total = sum((Decimal(weight) * Decimal(score) for weight, score in rows), Decimal(0))
    return (total / 100).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def grade_for(grades: Iterable[tuple[str, Decimal]], score: Decimal) -> str:
    """The grade with the highest threshold the score reaches (a score exactly on a threshold
    earns it); empty when the score reaches none."""
    reached = [(minimum, label) for label, minimum in grades if score >= minimum]
    return max(reached)[1] if reached else ""


def scheme_grades(scheme: EvaluationScheme) -> list[tuple[str, Decimal]]:
    return [(grade.label, grade.min_score) for grade in scheme.grades.all()]


def result_of(evaluation: Evaluation) -> tuple[Decimal | None, str]:
    """The weighted score and grade of the evaluation's scores on its scheme version (the
    office's adjustments counted); ``(None, "")`` until every dimension is scored."""
    weights = {d.pk: d.weight for d in evaluation.scheme.dimensions.all()}
    finals = {s.dimension_id: s.final for s in evaluation.scores.all()}
    if not weights or set(weights) - set(finals):
        return None, ""
    score = weighted_score((weights[pk], finals[pk]) for pk in weights)
    return score, grade_for(scheme_grades(evaluation.scheme), score)


def is_office(user: User) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*OFFICE_ROLES))


def current_cadre(person: Person) -> User | None:
    link = Liaison.objects.current().filter(person=person).select_related("cadre").first()
    return link.cadre if link else None


def is_cadre_of(user: User, person: Person | None) -> bool:
    """``user`` is ``person``'s liaison cadre now (with no person: anyone's)."""
    if not (user and user.is_authenticated):
        return False
    links = Liaison.objects.current().filter(cadre=user)
    return links.exists() if person is None else links.filter(person=person).exists()


def scheme_in_force(year: int) -> EvaluationScheme | None:
    return EvaluationScheme.objects.current(year)


def default_year() -> int:
    """The latest year with a scheme, or this year."""
    latest = EvaluationScheme.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def evaluations_for(
    user: User, *, year: int | None = None, grade: str = "", state: str = ""
) -> QuerySet[Evaluation]:
    """The evaluations in ``user``'s scope, by the person's name (one query)."""
    rows = Evaluation.objects.visible_to(user).select_related("person", "cadre", "scheme")
    if year:
        rows = rows.filter(year=year)
    if grade:
        rows = rows.filter(grade=grade)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-year", "person__name", "pk")


def evaluation_for(user: User, pk) -> Evaluation:
    """One evaluation in ``user``'s scope (404 outside it), with its scores and scheme."""
    return get_object_or_404(
        Evaluation.objects.visible_to(user)
        .select_related("person", "cadre", "scheme", "reviewed_by")
        .prefetch_related("scores__dimension", "scheme__dimensions", "scheme__grades"),
        pk=pk,
    )


def evaluation_of(user: User, person: Person, year: int) -> Evaluation | None:
    return (
        Evaluation.objects.visible_to(user)
        .filter(person=person, year=year)
        .select_related("scheme", "cadre")
        .prefetch_related("scores__dimension", "scheme__dimensions", "scheme__grades")
        .first()
    )


def person_evaluations(user: User, person: Person) -> list[Evaluation]:
    """The person's evaluations, the latest year first."""
    return list(
        Evaluation.objects.visible_to(user)
        .filter(person=person)
        .select_related("cadre", "scheme")
        .order_by("-year")
    )


def grades_in_use(year: int | None = None) -> list[str]:
    """The grade labels the year's schemes use (every year's when none), highest first."""
    from nonparty.models import SchemeGrade

    grades = SchemeGrade.objects.all()
    if year:
        grades = grades.filter(scheme__year=year)
    seen: dict[str, Decimal] = {}
    for label, minimum in grades.values_list("label", "min_score"):
        seen[label] = max(minimum, seen.get(label, minimum))
    return [label for label, _ in sorted(seen.items(), key=lambda pair: -pair[1])]


def evidence_choices(user: User, person: Person) -> list[tuple[str, str]]:
    """The person's growth record as ``("kind:id", "date · kind · summary")``, newest first."""
    from nonparty.selectors.people import timeline_of

    return [
        (
            f"{item.kind}:{item.record.pk}",
            f"{item.on:%Y-%m-%d} · {item.label} · {item.summary}",
        )
        for item in timeline_of(user, person)
    ]


def evidence_labels(keys: Iterable[str]) -> dict[str, str]:
    """What each ``kind:id`` key names (missing records are left out), one query per kind."""
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        kind, _, pk = str(key).partition(":")
        if kind in GROWTH_MODELS and pk.isdigit():
            by_kind.setdefault(kind, []).append(int(pk))
    labels = {}
    for kind, pks in by_kind.items():
        model = GROWTH_MODELS[kind]
        for record in model.objects.filter(pk__in=pks):
            labels[f"{kind}:{record.pk}"] = (
                f"{record.dated_on:%Y-%m-%d} · {model._meta.verbose_name} · {record.summary}"
            )
    return labels


def state_counts(rows: QuerySet[Evaluation]) -> dict[str, int]:
    from django.db.models import Count

    counts = dict.fromkeys(EvaluationState.values, 0)
    for item in rows.order_by().values("state").annotate(n=Count("pk")):
        counts[item["state"]] = item["n"]
    return counts
