"""Reads of the typical-case library: the scoped list with its search, one case with the
people it names (resolved through the portal's references), and the count for the index."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from grassroots.models import CASE_READERS, CasePhoto, CaseStatus, TypicalCase
from portal import registry
from portal.models import User


def can_see_cases(user: User) -> bool:
    """Every staff role reads the library (published cases at least); entrepreneurs get 403."""
    return user.has_role(*CASE_READERS)


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    domain: str = ""
    status: str = ""

    @property
    def any(self) -> bool:
        return bool(self.q or self.domain or self.status)


def search_q(text: str) -> Q:
    """Chinese full-text search as the appeal search does it: ``icontains`` on the title,
    summary and text, which PostgreSQL answers from trigram indexes (migration 0002); every
    word of the query must be found."""
    q = Q()
    for word in text.split():
        q &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return q


def cases_for(user: User, filters: CaseFilters | None = None) -> QuerySet[TypicalCase]:
    filters = filters or CaseFilters()
    cases = TypicalCase.objects.visible_to(user).select_related("region", "county")
    if filters.domain:
        cases = cases.filter(domain=filters.domain)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.q:
        cases = cases.filter(search_q(filters.q))
    return cases.order_by("-published_at", "-created_at", "-pk")


def case_for(user: User, pk: int) -> TypicalCase:
    return get_object_or_404(
        TypicalCase.objects.visible_to(user)
        .select_related("region", "county", "created_by", "published_by")
        .prefetch_related("units", "photos", "references"),
        pk=pk,
    )


def photo_for(user: User, case_pk: int, pk: int) -> CasePhoto:
    """A photo of a case in ``user``'s scope, else 404."""
    return get_object_or_404(
        CasePhoto.objects.filter(case__in=TypicalCase.objects.visible_to(user)),
        case_id=case_pk,
        pk=pk,
    )


def people_of(case: TypicalCase) -> list[dict]:
    """The people a case names: ``{"kind","id","label","url"}``, labels from the apps that keep
    them (one query per kind); a reference its app no longer knows shows as such."""
    by_kind: dict[str, list[int]] = {}
    for ref in case.references.all():
        by_kind.setdefault(ref.kind, []).append(ref.ref_id)
    rows = []
    for kind, ids in by_kind.items():
        provider = registry.reference_kind(kind)
        labels = provider.labels(ids) if provider else {}
        for ref_id in ids:
            known = ref_id in labels
            rows.append(
                {
                    "kind": kind,
                    "kind_label": str(provider.label) if provider else kind,
                    "id": ref_id,
                    "label": labels.get(ref_id, f"#{ref_id}"),
                    "url": provider.url(ref_id) if provider and known else "",
                }
            )
    return rows


def reference_choices() -> list[tuple[str, str]]:
    return [(kind.kind, str(kind.label)) for kind in registry.reference_kinds()]


def published_case_count(unit_ids, start: date, end: date) -> dict[int, int]:
    """For the index (``typical_case_count``): the number of cases published between ``start``
    and ``end`` (inclusive, local days) that involve each unit; units with none are absent."""
    rows = (
        TypicalCase.units.through.objects.filter(
            unit_id__in=list(unit_ids),
            typicalcase__status=CaseStatus.PUBLISHED,
            typicalcase__published_at__date__gte=start,
            typicalcase__published_at__date__lte=end,
        )
        .values("unit_id")
        .annotate(n=Count("typicalcase_id"))
    )
    return {row["unit_id"]: row["n"] for row in rows}
