"""Writes of the shared core. Each function does one thing the portal promises, atomically."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from portal.models import AuditLog, Notification, User


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    fields: Iterable[str] = (),
    note: str = "",
    request=None,
) -> AuditLog:
    """Append one row to the audit trail for ``target``."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        fields=list(fields),
        note=note,
        ip_address=client_ip(request),
    )


def audit_personal_view(*, actor: User, target: models.Model, fields: Iterable[str], request=None):
    """Record that ``actor`` was shown ``fields`` of ``target`` unmasked."""
    return audit_record(
        actor=actor,
        action=AuditLog.Action.VIEW_PERSONAL,
        target=target,
        fields=fields,
        request=request,
    )


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
) -> list[Notification]:
    """Create one in-app notification per recipient (a recipient named twice gets one)."""
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    seen, rows = set(), []
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
            )
        )
    return Notification.objects.bulk_create(rows)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all of them, or those in ``ids``)."""
    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    with transaction.atomic():
        return qs.update(read_at=timezone.now())
