"""Duty records and the reminders of overdue duties."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.models import DutyItem, DutyRecord, Unit
from portal import files
from portal.models import User
from portal.services.attachments import attachment_add
from portal.services.notifications import Message, notify_many

REMINDER_KIND = "grassroots.duty_overdue"


def validate_evidence(uploads: Sequence) -> None:
    """Evidence files are checked as an appeal's attachments are (type by content, size,
    count), every problem reported under ``files``."""
    try:
        files.check_uploads(
            uploads,
            max_count=settings.APPEAL_ATTACHMENTS_PER_STEP,
            max_bytes=settings.APPEAL_ATTACHMENT_MAX_BYTES,
        )
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from exc


@transaction.atomic
def duty_record_add(
    *,
    unit: Unit,
    item: DutyItem,
    done_on: dt.date,
    what: str,
    actor: User,
    uploads: Sequence = (),
) -> DutyRecord:
    """Record that ``unit`` did ``item`` on ``done_on``, with its evidence; all or nothing.
    The item must be on the unit's list; the day not in the future."""
    from grassroots.selectors.duties import duty_list_for

    if not Unit.objects.visible_to(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    duty_list = duty_list_for(unit)
    errors = {}
    if duty_list is None or item.duty_list_id != duty_list.pk:
        errors["item"] = _("This duty is not on the unit's list.")
    if done_on > timezone.localdate():
        errors["done_on"] = _("The day cannot be in the future.")
    if not what.strip():
        errors["what"] = _("Say what was done.")
    uploads = list(uploads or ())
    try:
        validate_evidence(uploads)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    record = DutyRecord.objects.create(
        unit=unit, item=item, done_on=done_on, what=what.strip(), recorded_by=actor
    )
    for upload in uploads:
        attachment_add(
            obj=record, upload=upload, actor=actor, max_bytes=settings.APPEAL_ATTACHMENT_MAX_BYTES
        )
    return record


def send_duty_reminders(today: dt.date | None = None) -> int:
    """Tell each unit's person in charge of each overdue duty, once per item and period (the
    outbox's key); returns how many notifications were recorded."""
    from grassroots.selectors.duties import duty_lists_by_unit, item_statuses

    today = today or timezone.localdate()
    units = list(Unit.objects.active().filter(in_charge__isnull=False).select_related("in_charge"))
    lists = duty_lists_by_unit(units)
    since = dt.date(today.year - 1, 1, 1)
    records: dict[int, list[DutyRecord]] = {}
    for record in DutyRecord.objects.filter(unit__in=units, done_on__gte=since).only(
        "unit_id", "item_id", "done_on"
    ):
        records.setdefault(record.unit_id, []).append(record)
    messages = []
    for unit in units:
        for status in item_statuses(unit, lists[unit.pk], records.get(unit.pk, []), today):
            if not status.overdue:
                continue
            messages.append(
                Message(
                    recipients=[unit.in_charge],
                    kind=REMINDER_KIND,
                    title=_("%(unit)s: “%(duty)s” not recorded for %(period)s")
                    % {
                        "unit": unit.name,
                        "duty": status.item.title,
                        "period": status.overdue_period,
                    },
                    url=reverse("grassroots:unit-detail", args=[unit.pk]),
                    target=unit,
                    key=f"grassroots.duty:{unit.pk}:{status.item.pk}:{status.overdue_period}",
                )
            )
    return len(notify_many(messages)) if messages else 0
