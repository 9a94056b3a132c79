"""The shared core's models: one module per concept, all importable from ``portal.models``."""

from portal.models.audit import AuditLog
from portal.models.calendar import CalendarDay, CalendarYear
from portal.models.departments import Department
from portal.models.exports import ExportJob
from portal.models.notifications import Delivery, Notification, NotificationPreference
from portal.models.regions import Region
from portal.models.users import Role, User

__all__ = [
    "AuditLog",
    "CalendarDay",
    "CalendarYear",
    "Delivery",
    "Department",
    "ExportJob",
    "Notification",
    "NotificationPreference",
    "Region",
    "Role",
    "User",
]
