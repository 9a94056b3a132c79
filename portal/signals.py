"""Receivers of the shared core: the audit trail of admin changes and the holiday-table cache."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal import workdays
from portal.models import AuditLog, CalendarDay, CalendarYear

_ADMIN_ACTIONS = {
    ADDITION: AuditLog.Action.CREATE,
    CHANGE: AuditLog.Action.UPDATE,
    DELETION: AuditLog.Action.DELETE,
}


@receiver(post_save, sender=LogEntry, dispatch_uid="portal.audit_admin_change")
def audit_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    """Every change made through the admin also lands in the portal's own audit trail."""
    if not created:
        return
    content_type = instance.content_type
    AuditLog.objects.create(
        actor_id=instance.user_id,
        action=_ADMIN_ACTIONS.get(instance.action_flag, AuditLog.Action.UPDATE),
        target_type=content_type.app_label + "." + content_type.model if content_type else "",
        target_id=instance.object_id or "",
        target_repr=instance.object_repr[:200],
        note=instance.get_change_message(),
    )


@receiver([post_save, post_delete], sender=CalendarDay, dispatch_uid="portal.calendar_day_changed")
@receiver(
    [post_save, post_delete], sender=CalendarYear, dispatch_uid="portal.calendar_year_changed"
)
def holiday_table_changed(sender, **kwargs) -> None:
    workdays.invalidate()
