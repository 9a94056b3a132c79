"""Writes of the alliances; each audited in its own transaction, only the office writes."""

from alliances.services.alliances import (
    alliance_create,
    alliance_update,
    membership_add,
    membership_leave,
)
from alliances.services.records import (
    activity_save,
    base_save,
    company_save,
    maker_team_save,
    tourism_figure_set,
)
from alliances.services.reports import (
    REPORT_LIFECYCLE,
    ensure_indicators,
    report_correct,
    report_create,
    report_transition,
    report_update,
)

__all__ = [
    "activity_save",
    "alliance_create",
    "alliance_update",
    "base_save",
    "company_save",
    "maker_team_save",
    "membership_add",
    "membership_leave",
    "tourism_figure_set",
    # reports
    "REPORT_LIFECYCLE",
    "ensure_indicators",
    "report_correct",
    "report_create",
    "report_transition",
    "report_update",
]
