"""Reads of the units: the scoped list with its filters, one unit."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from grassroots.models import Unit
from portal.models import Region, User


@dataclass(frozen=True)
class UnitFilters:
    domain: str = ""
    county: Region | None = None
    q: str = ""

    @property
    def any(self) -> bool:
        return bool(self.domain or self.county or self.q)


def units_for(user: User, filters: UnitFilters | None = None) -> QuerySet[Unit]:
    """The units ``user`` sees matching ``filters``, by county, domain and name."""
    filters = filters or UnitFilters()
    units = Unit.objects.visible_to(user).select_related("county", "region", "in_charge")
    if filters.domain:
        units = units.filter(domain=filters.domain)
    if filters.county is not None:
        units = units.filter(county=filters.county)
    if filters.q:
        units = units.filter(Q(name__icontains=filters.q) | Q(contact_name__icontains=filters.q))
    return units.order_by("county__code", "domain", "name", "pk")


def unit_for(user: User, pk: int) -> Unit:
    """One unit in ``user``'s scope, else 404."""
    return get_object_or_404(
        Unit.objects.visible_to(user).select_related("county", "region", "in_charge"), pk=pk
    )


def counties() -> QuerySet[Region]:
    """Quzhou's counties, the choices of the county filter."""
    return Region.objects.filter(level=Region.Level.COUNTY, code__startswith="3308").order_by(
        "code"
    )
