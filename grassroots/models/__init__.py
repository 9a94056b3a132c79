"""Grassroots united front (基层统战): units in six domains, their duty lists and records, and
the scored index. Each area of the app keeps its models in a module of its own."""

from grassroots.models.cases import (
    CASE_CITY,
    CASE_OFFICE,
    CASE_READERS,
    CasePhoto,
    CaseReference,
    CaseStatus,
    TypicalCase,
)
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
from grassroots.models.visits import (
    VISIT_OFFICE,
    VISIT_READERS,
    VISIT_RECORDERS,
    FollowUp,
    LeaderTie,
    Visit,
)

__all__ = [
    "CASE_CITY",
    "CASE_OFFICE",
    "CASE_READERS",
    "CITY_ROLES",
    "EDITOR_ROLES",
    "READER_ROLES",
    "VISIT_OFFICE",
    "VISIT_READERS",
    "VISIT_RECORDERS",
    "CasePhoto",
    "CaseReference",
    "CaseStatus",
    "Domain",
    "DutyItem",
    "DutyList",
    "DutyRecord",
    "FollowUp",
    "Frequency",
    "IndexScheme",
    "Indicator",
    "LeaderTie",
    "Metric",
    "Period",
    "PeriodKind",
    "PeriodStatus",
    "RuleKind",
    "TypicalCase",
    "Unit",
    "UnitScore",
    "UnitTotal",
    "Visit",
    "item_period",
    "item_periods",
    "period_label",
]
