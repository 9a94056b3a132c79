"""The xiangxian registry (新乡贤): people with roots in the city, and what links to them."""

from xiangxian.models.events import (
    Event,
    EventKind,
    EventReminder,
    Invitation,
    InvitationStatus,
    ItineraryChange,
    ProgrammeItem,
    ReminderWhich,
)
from xiangxian.models.people import (
    HOME_CITY_NAMES,
    HOME_PROVINCE,
    PROVINCES,
    Gender,
    Referral,
    Sector,
    Xiangxian,
    XiangxianMerge,
)
from xiangxian.models.searches import SavedSearch

__all__ = [
    "Event",
    "EventKind",
    "EventReminder",
    "Invitation",
    "InvitationStatus",
    "ItineraryChange",
    "ProgrammeItem",
    "ReminderWhich",
    "HOME_CITY_NAMES",
    "HOME_PROVINCE",
    "PROVINCES",
    "Gender",
    "Referral",
    "SavedSearch",
    "Sector",
    "Xiangxian",
    "XiangxianMerge",
]
