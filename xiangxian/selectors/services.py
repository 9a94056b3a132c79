"""Reads of the services given (十项服务) and their figures."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from portal.models import User
from xiangxian.models import ServiceKind, ServiceRecord


def service_records(
    user: User, *, kind: ServiceKind | None = None, year: int | None = None
) -> QuerySet[ServiceRecord]:
    """The service records in ``user``'s scope, newest first, of one kind and year if given."""
    records = ServiceRecord.objects.visible_to(user)
    if kind is not None:
        records = records.filter(kind=kind)
    if year is not None:
        records = records.filter(served_on__year=year)
    return records.select_related("kind", "xiangxian").order_by("-served_on", "-pk")


def service_figures(user: User, year: int | None = None) -> list[dict]:
    """Per service kind, in the catalogue's order: how many services were given in ``year``
    (every year when ``None``) and their value in yuan, counted from the records in ``user``'s
    scope. Every active kind has a row (0 when nothing was given); a retired kind only when it
    has records. ``[{"kind": code, "label": name, "count": int, "value_yuan": Decimal}]``"""
    from decimal import Decimal

    records = service_records(user, year=year).order_by()
    sums = {
        row["kind"]: row
        for row in records.values("kind").annotate(count=Count("pk"), value=Sum("value_yuan"))
    }
    kinds = ServiceKind.objects.filter(Q(is_active=True) | Q(pk__in=list(sums)))
    return [
        {
            "kind": kind.code,
            "label": kind.name,
            "count": sums[kind.pk]["count"] if kind.pk in sums else 0,
            "value_yuan": (sums[kind.pk]["value"] if kind.pk in sums else None) or Decimal(0),
        }
        for kind in kinds.order_by("sort_order", "name")
    ]


def service_years(user: User) -> list[int]:
    """The years with services in ``user``'s scope, newest first."""
    return list(
        ServiceRecord.objects.visible_to(user)
        .annotate(year=ExtractYear("served_on"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def service_record_for(user: User, pk: int) -> ServiceRecord:
    return get_object_or_404(
        ServiceRecord.objects.visible_to(user).select_related("kind", "xiangxian"), pk=pk
    )
