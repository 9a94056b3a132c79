"""The audit trail: who was shown personal data in full, and what was changed."""

from collections.abc import Iterable

from django.db import models

from portal.models import AuditLog, User


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


def audit_personal_views(
    *, actor: User, shown: Iterable[tuple[models.Model, Iterable[str]]], request=None
) -> list[AuditLog]:
    """Record that ``actor`` was shown, for each ``(target, fields)``, those fields unmasked:
    one row per target, written in one query (an API page of people shown in full)."""
    rows = [
        AuditLog(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=AuditLog.Action.VIEW_PERSONAL,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:200],
            fields=list(fields),
            ip_address=client_ip(request),
        )
        for target, fields in shown
    ]
    return AuditLog.objects.bulk_create(rows) if rows else []
