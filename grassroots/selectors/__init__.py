"""Reads of the grassroots app (scoping through ``visible_to``)."""

from grassroots.selectors.access import (
    can_edit_units,
    can_record,
    can_see_units,
    is_county_staff,
    is_office,
)
from grassroots.selectors.duties import (
    duty_list_for,
    duty_lists_by_unit,
    item_statuses,
    on_time_share,
    records_for,
    unit_duties,
)
from grassroots.selectors.index import (
    competition_ranks,
    period_by_key,
    periods,
    ranking,
    score_lines,
)
from grassroots.selectors.units import UnitFilters, counties, unit_for, units_for

__all__ = [
    "UnitFilters",
    "can_edit_units",
    "can_record",
    "can_see_units",
    "competition_ranks",
    "counties",
    "duty_list_for",
    "duty_lists_by_unit",
    "is_county_staff",
    "is_office",
    "item_statuses",
    "on_time_share",
    "period_by_key",
    "periods",
    "ranking",
    "records_for",
    "score_lines",
    "unit_duties",
    "unit_for",
    "units_for",
]
