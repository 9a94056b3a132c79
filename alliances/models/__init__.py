"""奔富联盟: alliances of villages and what they build and do."""

from alliances.models.alliances import (
    EDITOR_ROLES,
    READER_ROLES,
    Alliance,
    AllianceKind,
    Kind,
    Membership,
    MembershipRole,
)
from alliances.models.records import (
    Activity,
    ActivityKind,
    Base,
    MakerTeam,
    TourismFigure,
    VillageCompany,
)
from alliances.models.reports import (
    OPEN_STATUSES,
    Indicator,
    ReportReminder,
    ReportStatus,
    ReportStep,
    ReportValue,
    VillageReport,
)

__all__ = [
    "EDITOR_ROLES",
    "READER_ROLES",
    "Activity",
    "ActivityKind",
    "Alliance",
    "AllianceKind",
    "Base",
    "Kind",
    "MakerTeam",
    "Membership",
    "MembershipRole",
    "TourismFigure",
    "VillageCompany",
    # reports
    "OPEN_STATUSES",
    "Indicator",
    "ReportReminder",
    "ReportStatus",
    "ReportStep",
    "ReportValue",
    "VillageReport",
]
