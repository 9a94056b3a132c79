"""The xiangxian registry (新乡贤): people with roots in the city, and what links to them."""

from xiangxian.models.associations import (
    SINGLE_POSTS,
    Association,
    AssociationMembership,
    AssociationOfficer,
    Post,
)
from xiangxian.models.contributions import Contribution, ContributionKind
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
from xiangxian.models.services import ServiceKind, ServiceRecord

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
    "SINGLE_POSTS",
    "Association",
    "AssociationMembership",
    "AssociationOfficer",
    "Contribution",
    "ContributionKind",
    "Post",
    "ServiceKind",
    "ServiceRecord",
    "Gender",
    "Referral",
    "SavedSearch",
    "Sector",
    "Xiangxian",
    "XiangxianMerge",
]
