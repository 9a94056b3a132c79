"""Reads of the associations and the president's reports: the lists in scope, the figures the
growth record gives beside the entered ones, the review's progress and its results (only
aggregates and unnamed comments)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from nonparty.models import (
    CITY_ROLES,
    Aspect,
    Association,
    AssociationMembership,
    PresidentReport,
    Proposal,
    Review,
    ReviewLink,
    Verdict,
)
from portal.models import User


def associations_for(user: User) -> QuerySet[Association]:
    return (
        Association.objects.visible_to(user)
        .select_related("region", "president")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("region__code", "name")
    )


def association_for(user: User, pk) -> Association:
    return get_object_or_404(
        Association.objects.visible_to(user).select_related("region", "president"), pk=pk
    )


def current_members(association: Association, user: User) -> QuerySet[AssociationMembership]:
    """The current members ``user`` may know of: the office and leaders all of them, others
    only the people in their own scope (a cadre is not told who else belongs)."""
    from nonparty.models import Person

    members = association.memberships.filter(left_on__isnull=True)
    if not (user.is_superuser or user.has_role(*CITY_ROLES)):
        members = members.filter(person__in=Person.objects.visible_to(user).values("pk"))
    return members.select_related("person").order_by("person__name", "pk")


def with_review_counts(reports: QuerySet[PresidentReport]) -> QuerySet[PresidentReport]:
    """Each report with ``members`` (links issued), ``responses`` (links used) and ``average``
    (the mean of every aspect score given), in the list's one query."""
    return reports.annotate(
        members=Count("links", distinct=True),
        responses=Count("links", filter=Q(links__used_at__isnull=False), distinct=True),
    )


def reports_for(user: User, *, year: int | None = None) -> QuerySet[PresidentReport]:
    reports = PresidentReport.objects.visible_to(user)
    if year is not None:
        reports = reports.filter(year=year)
    return (
        with_review_counts(reports)
        .select_related("association", "president")
        .order_by("-year", "association__name", "pk")
    )


def averages(report_ids) -> dict[int, float | None]:
    """The mean aspect score per report (one query): every score of every review counts once."""
    rows = (
        Review.objects.filter(report_id__in=list(report_ids))
        .values("report_id")
        .annotate(**{name: Avg(name) for name in Aspect.values}, n=Count("id"))
        .order_by()
    )
    found = {
        row["report_id"]: round(sum(row[name] for name in Aspect.values) / len(Aspect.values), 2)
        for row in rows
        if row["n"]
    }
    return {pk: found.get(pk) for pk in report_ids}


def report_for(user: User, pk) -> PresidentReport:
    return get_object_or_404(
        with_review_counts(PresidentReport.objects.visible_to(user)).select_related(
            "association__region", "president", "recorded_by", "opened_by", "closed_by"
        ),
        pk=pk,
    )


@dataclass
class GrowthFigures:
    """What the growth record gives for the association's members in the report's year."""

    members: int
    proposals: int
    adopted: int


def growth_figures(report: PresidentReport) -> GrowthFigures:
    """Members in the year: joined by its last day and not left before its first. Their
    proposals of the year (the proposal's own ``year``) and how many were adopted."""
    first, last = dt.date(report.year, 1, 1), dt.date(report.year, 12, 31)
    people = (
        AssociationMembership.objects.filter(association_id=report.association_id)
        .filter(joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .values("person")
    )
    counts = Proposal.objects.filter(person__in=people, year=report.year).aggregate(
        proposals=Count("pk"), adopted=Count("pk", filter=Q(adopted=True))
    )
    return GrowthFigures(
        members=people.order_by().values("person").distinct().count(),
        proposals=counts["proposals"],
        adopted=counts["adopted"],
    )


def progress(report: PresidentReport) -> list[ReviewLink]:
    """Who was asked and whether they have responded (never what they said)."""
    return list(report.links.select_related("person").order_by("person__name", "pk"))


@dataclass
class Results:
    members: int
    responses: int
    response_rate: float | None
    verdicts: list[dict]
    aspects: list[dict]
    average: float | None
    comments: list[str] = field(default_factory=list)


def results_of(report: PresidentReport) -> Results:
    """The review's aggregates: response rate (links used ÷ links issued), the distribution of
    the overall verdict, the average per aspect, and the comments without names (in the
    reviews' random-key order, which says nothing of who or when)."""
    links = report.links.aggregate(
        members=Count("pk"), responses=Count("pk", filter=Q(used_at__isnull=False))
    )
    reviews = Review.objects.filter(report=report)
    counts = dict(reviews.values_list("verdict").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    verdicts = [
        {
            "key": value,
            "label": label,
            "count": counts.get(value, 0),
            "share": round(counts.get(value, 0) / total, 4) if total else None,
        }
        for value, label in Verdict.choices
    ]
    means = reviews.aggregate(**{name: Avg(name) for name in Aspect.values})
    aspects = [
        {
            "key": value,
            "label": label,
            "average": None if means[value] is None else round(means[value], 2),
        }
        for value, label in Aspect.choices
    ]
    average = (
        None
        if not total
        else round(sum(means[name] for name in Aspect.values) / len(Aspect.values), 2)
    )
    comments = list(reviews.exclude(comment="").values_list("comment", flat=True))
    return Results(
        members=links["members"],
        responses=links["responses"],
        response_rate=(
            round(links["responses"] / links["members"], 4) if links["members"] else None
        ),
        verdicts=verdicts,
        aspects=aspects,
        average=average,
        comments=comments,
    )
