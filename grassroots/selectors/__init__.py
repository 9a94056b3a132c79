"""Reads of the grassroots app (scoping through ``visible_to``)."""

from grassroots.selectors.access import can_edit_units, can_see_units, is_county_staff, is_office
from grassroots.selectors.units import UnitFilters, counties, unit_for, units_for

__all__ = [
    "UnitFilters",
    "can_edit_units",
    "can_see_units",
    "counties",
    "is_county_staff",
    "is_office",
    "unit_for",
    "units_for",
]
