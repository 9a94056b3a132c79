"""Grassroots united front (基层统战): units in six domains, their duty lists and records, and
the scored index. Each area of the app keeps its models in a module of its own."""

from grassroots.models.duties import (
    DutyItem,
    DutyList,
    DutyRecord,
    Frequency,
    item_period,
    item_periods,
    period_label,
)
from grassroots.models.index import (
    IndexScheme,
    Indicator,
    Metric,
    Period,
    PeriodKind,
    PeriodStatus,
    RuleKind,
    UnitScore,
    UnitTotal,
)
from grassroots.models.units import CITY_ROLES, EDITOR_ROLES, READER_ROLES, Domain, Unit

__all__ = [
    "CITY_ROLES",
    "EDITOR_ROLES",
    "READER_ROLES",
    "Domain",
    "DutyItem",
    "DutyList",
    "DutyRecord",
    "Frequency",
    "IndexScheme",
    "Indicator",
    "Metric",
    "Period",
    "PeriodKind",
    "PeriodStatus",
    "RuleKind",
    "Unit",
    "UnitScore",
    "UnitTotal",
    "item_period",
    "item_periods",
    "period_label",
]
