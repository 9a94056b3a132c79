"""The shared core's models: one module per concept, all importable from ``portal.models``."""

from portal.models.audit import AuditLog
from portal.models.calendar import CalendarDay, CalendarYear
from portal.models.departments import Department
from portal.models.exports import ExportJob
from portal.models.files import Attachment, StoredFile
from portal.models.imports import ImportJob, ImportMapping
from portal.models.notifications import Delivery, Notification, NotificationPreference
from portal.models.regions import Region
from portal.models.requests import DecidedRequest
from portal.models.tags import Colour, Tag, TagCategory, TaggedItem
from portal.models.timeline import TimelineEntry, TimelineEvent
from portal.models.users import Grant, Role, RoleGrant, User

__all__ = [
    "Attachment",
    "AuditLog",
    "CalendarDay",
    "CalendarYear",
    "Colour",
    "DecidedRequest",
    "Delivery",
    "Department",
    "ExportJob",
    "ImportJob",
    "ImportMapping",
    "Notification",
    "NotificationPreference",
    "Grant",
    "Region",
    "Role",
    "RoleGrant",
    "StoredFile",
    "Tag",
    "TagCategory",
    "TaggedItem",
    "TimelineEntry",
    "TimelineEvent",
    "User",
]
