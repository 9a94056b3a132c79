"""Writes of the services given to people (十项服务): recording, correcting and deleting one.

Each write is audited in its own transaction; only the registry's editors write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import AuditLog, User
from portal.services import audit_record
from portal.validators import clean_text
from xiangxian.models import ServiceKind, ServiceRecord, Xiangxian
from xiangxian.services._common import date_of, money, require_editor

FIELDS = ("kind", "served_on", "provider", "value_yuan", "note")


def _clean(
    *,
    kind: ServiceKind | None,
    served_on,
    provider: str,
    value_yuan,
    note: str,
    current_kind: int | None = None,
) -> dict:
    errors: dict[str, list[str]] = {}
    # A retired service stays on the records that have it, but new records cannot take it.
    if kind is None or not (kind.is_active or kind.pk == current_kind):
        errors["kind"] = [_("Choose one of the listed services.")]
    cleaned = {
        "kind": kind,
        "served_on": date_of(
            served_on,
            field="served_on",
            errors=errors,
            required=_("Enter the date of the service."),
        ),
        "provider": clean_text(provider, field="provider", max_length=100, errors=errors),
        "value_yuan": money(value_yuan, field="value_yuan", errors=errors) or Decimal(0),
        "note": clean_text(note, field="note", max_length=2000, errors=errors),
    }
    if errors:
        raise ValidationError(errors)
    return cleaned


def service_record_create(
    *,
    actor: User,
    xiangxian: Xiangxian,
    kind: ServiceKind | None,
    served_on: dt.date | str | None,
    provider: str = "",
    value_yuan: Decimal | str | None = None,
    note: str = "",
) -> ServiceRecord:
    """Record a service given to ``xiangxian`` (a current record); its value is never below 0."""
    require_editor(actor)
    cleaned = _clean(
        kind=kind, served_on=served_on, provider=provider, value_yuan=value_yuan, note=note
    )
    if xiangxian.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another; record it there."))
    with transaction.atomic():
        record = ServiceRecord.objects.create(xiangxian=xiangxian, recorded_by=actor, **cleaned)
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=record,
            fields=[name for name in FIELDS if cleaned[name] not in ("", None)],
        )
    return record


def service_record_update(
    *,
    actor: User,
    record: ServiceRecord,
    kind: ServiceKind | None,
    served_on: dt.date | str | None,
    provider: str = "",
    value_yuan: Decimal | str | None = None,
    note: str = "",
) -> ServiceRecord:
    """Correct a service record; the audit row names the fields changed."""
    require_editor(actor)
    cleaned = _clean(
        kind=kind,
        served_on=served_on,
        provider=provider,
        value_yuan=value_yuan,
        note=note,
        current_kind=record.kind_id,
    )
    with transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        changed = [name for name in FIELDS if getattr(locked, name) != cleaned[name]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, cleaned[name])
        locked.save(update_fields=changed)
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
    return locked


@transaction.atomic
def service_record_delete(*, actor: User, record: ServiceRecord) -> None:
    """Delete a service recorded by mistake; the audit row keeps what it was."""
    require_editor(actor)
    note = _("%(kind)s on %(date)s for %(person)s, %(value)s yuan") % {
        "kind": record.kind.name,
        "date": record.served_on.isoformat(),
        "person": record.xiangxian.name,
        "value": record.value_yuan,
    }
    audit_record(actor=actor, action=AuditLog.Action.DELETE, target=record, note=note)
    record.delete()
