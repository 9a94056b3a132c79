"""Reads of the archive: the people list with its filters, one person with their education,
posts, batch, liaison and one timeline of their growth record, and the coverage of liaison."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from nonparty.models import (
    GROWTH_MODELS,
    Batch,
    BatchMembership,
    Degree,
    Education,
    Liaison,
    Person,
    Post,
    Status,
)
from nonparty.selectors.profiles import with_profile_flags
from portal.models import User


@dataclass(frozen=True)
class Filters:
    """The list's criteria, every one optional, all of them together."""

    batch: Batch | None = None
    status: str = ""
    field: str = ""
    cadre: User | None = None
    q: str = ""

    @property
    def any(self) -> bool:
        return any((self.batch, self.status, self.field, self.cadre, self.q))


def _highest_degree() -> Subquery:
    # The degree with the highest rank: the values sort as junior_college < bachelor < doctor
    # < master alphabetically, so order by an explicit rank.
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(
        *(When(degree=value, then=Value(Degree.rank(value))) for value in Degree.values),
        output_field=IntegerField(),
    )
    return Subquery(
        Education.objects.filter(person=OuterRef("pk"))
        .annotate(rank=rank)
        .order_by("-rank", "-full_time", "pk")
        .values("degree")[:1]
    )


def _highest_full_time() -> Subquery:
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(
        *(When(degree=value, then=Value(Degree.rank(value))) for value in Degree.values),
        output_field=IntegerField(),
    )
    return Subquery(
        Education.objects.filter(person=OuterRef("pk"))
        .annotate(rank=rank)
        .order_by("-rank", "-full_time", "pk")
        .values("full_time")[:1]
    )


def with_row_figures(people: QuerySet[Person]) -> QuerySet[Person]:
    """What a list row shows besides the record: the highest degree (and whether full-time),
    whether any degree is from a 双一流 university, the batch and the current cadre — all in
    the list's one query."""
    current = Liaison.objects.current().filter(person=OuterRef("pk"))
    return with_profile_flags(people).annotate(
        highest_degree=_highest_degree(),
        highest_full_time=_highest_full_time(),
        batch_id=Subquery(
            BatchMembership.objects.filter(person=OuterRef("pk")).values("batch_id")[:1]
        ),
        batch_name=Subquery(
            BatchMembership.objects.filter(person=OuterRef("pk")).values("batch__name")[:1]
        ),
        cadre_id=Subquery(current.values("cadre_id")[:1]),
        cadre_name=Subquery(current.values("cadre__name")[:1]),
    )


def people_for(user: User, filters: Filters) -> QuerySet[Person]:
    """The people in ``user``'s scope matching ``filters``, by name."""
    people = Person.objects.visible_to(user)
    if filters.batch is not None:
        people = people.filter(batch_memberships__batch=filters.batch)
    if filters.status:
        people = people.filter(status=filters.status)
    if filters.field:
        people = people.filter(field=filters.field)
    if filters.cadre is not None:
        people = people.filter(
            Exists(Liaison.objects.current().filter(person=OuterRef("pk"), cadre=filters.cadre))
        )
    if filters.q:
        text = filters.q
        people = people.filter(
            Q(name__contains=text)
            | Q(employer__contains=text)
            | Q(position__contains=text)
            | Q(professional_title__contains=text)
        )
    return with_row_figures(people).select_related("native_place").order_by("name", "pk")


def person_for(user: User, pk) -> Person:
    """A person in ``user``'s scope, else 404."""
    return get_object_or_404(
        with_row_figures(Person.objects.visible_to(user)).select_related("native_place__parent"),
        pk=pk,
    )


@dataclass
class TimelineItem:
    kind: str
    label: str
    on: object
    summary: str
    recorded_by: object
    record: object


def timeline_of(user: User, person: Person, *, limit: int = 200) -> list[TimelineItem]:
    """Every growth record of ``person`` on one timeline, newest first (one query per kind of
    record, whatever their number), with the person's batch and liaison changes."""
    items: list[TimelineItem] = []
    for kind, model in GROWTH_MODELS.items():
        rows = (
            model.objects.visible_to(user)
            .filter(person=person)
            .select_related("recorded_by")
            .order_by("-dated_on", "-pk")[:limit]
        )
        if kind == "proposal":
            rows = rows.select_related("adopting_department")
        for row in rows:
            items.append(
                TimelineItem(
                    kind,
                    str(model._meta.verbose_name),
                    row.dated_on,
                    row.summary,
                    row.recorded_by,
                    row,
                )
            )
    items.sort(key=lambda item: (item.on, item.record.pk), reverse=True)
    return items[:limit]


@dataclass
class PersonArchive:
    educations: list
    posts: list
    batch: Batch | None
    liaisons: list
    current_liaison: Liaison | None


def archive_of(user: User, person: Person) -> PersonArchive:
    liaisons = list(
        Liaison.objects.visible_to(user)
        .filter(person=person)
        .select_related("cadre", "handover_in", "handover_out")
        .order_by("-starts_on", "-pk")
    )
    membership = (
        BatchMembership.objects.visible_to(user)
        .filter(person=person)
        .select_related("batch")
        .first()
    )
    return PersonArchive(
        educations=list(
            Education.objects.visible_to(user)
            .filter(person=person)
            .select_related("university")
            .order_by("graduated_on", "pk")
        ),
        posts=list(Post.objects.visible_to(user).filter(person=person)),
        batch=membership.batch if membership else None,
        liaisons=liaisons,
        current_liaison=next((link for link in liaisons if link.ends_on is None), None),
    )


def uncovered(user: User) -> QuerySet[Person]:
    """Recognised people in ``user``'s scope without a current liaison cadre."""
    return (
        with_row_figures(
            Person.objects.visible_to(user)
            .filter(status=Status.RECOGNISED)
            .exclude(Exists(Liaison.objects.current().filter(person=OuterRef("pk"))))
        )
        .select_related("native_place")
        .order_by("name", "pk")
    )


def cadres() -> QuerySet[User]:
    """Everyone who may be a liaison cadre: holders of the liaison role, and the office."""
    from nonparty.models import EDITOR_ROLES
    from portal.models import Role

    roles = (Role.LIAISON, *EDITOR_ROLES)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=roles) | Q(role_grants__role__in=roles))
        .distinct()
        .order_by("name", "username")
    )


def cadre_people(user: User, cadre: User) -> QuerySet[Liaison]:
    """The current links of ``cadre`` that ``user`` sees."""
    return (
        Liaison.objects.visible_to(user)
        .current()
        .filter(cadre=cadre)
        .select_related("person")
        .order_by("person__name")
    )


def batches_for(user: User) -> QuerySet[Batch]:
    from django.db.models import Count

    return (
        Batch.objects.visible_to(user)
        .annotate(size=Count("memberships"))
        .order_by("-recognised_on", "-pk")
    )


def batch_for(user: User, pk) -> Batch:
    return get_object_or_404(Batch.objects.visible_to(user), pk=pk)


def batch_people(user: User, batch: Batch) -> QuerySet[Person]:
    return people_for(user, Filters(batch=batch))


def reference_labels(ids) -> dict[int, str]:
    """Names of the people among ``ids``, for another app that names a non-party person by
    id (``portal.registry.register_reference``); an unknown id is left out."""
    return dict(Person.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
