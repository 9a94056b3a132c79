"""Writes of recognition batches: entering a batch, putting people in it, and approving it,
which recognises its people and freezes its profile — an approved batch's figures never change
again, whatever is later edited in its people's records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from nonparty.models import Batch, BatchMembership, Person, Status
from nonparty.services._common import checked_save, require_editor
from portal.exceptions import Conflict
from portal.models import AuditLog, User
from portal.services import audit_record


def batch_create(
    *, actor: User, name: str, recognised_on: dt.date, approving_body: str = ""
) -> Batch:
    require_editor(actor)
    with transaction.atomic():
        batch = checked_save(
            Batch(
                name=(name or "").strip(),
                recognised_on=recognised_on,
                approving_body=(approving_body or "").strip(),
                created_by=actor,
            )
        )
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=batch,
            fields=["name", "recognised_on", "approving_body"],
        )
    return batch


def batch_add_people(*, actor: User, batch: Batch, people: Iterable[Person]) -> int:
    """Put ``people`` in ``batch`` (not yet approved); a person already in a batch is refused
    by name. The number of people added."""
    require_editor(actor)
    people = list(people)
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.approved_at is not None:
            raise Conflict(_("This batch is approved: its people can no longer change."))
        taken = list(
            BatchMembership.objects.filter(person__in=people)
            .exclude(batch=locked)
            .values_list("person__name", flat=True)
        )
        if taken:
            raise ValidationError(
                {
                    "people": [
                        _("Already in another batch: %(names)s.") % {"names": "、".join(taken)}
                    ]
                }
            )
        present = set(
            BatchMembership.objects.filter(batch=locked).values_list("person_id", flat=True)
        )
        new = [
            BatchMembership(batch=locked, person=person, added_by=actor)
            for person in people
            if person.pk not in present
        ]
        BatchMembership.objects.bulk_create(new)
        if new:
            Batch.objects.filter(pk=locked.pk).update(version=F("version") + 1)
            audit_record(
                actor=actor,
                action=AuditLog.Action.UPDATE,
                target=locked,
                fields=["people"],
                note=_("%(count)d people added") % {"count": len(new)},
            )
    return len(new)


def batch_approve(*, actor: User, batch: Batch, version: int | None = None) -> Batch:
    """Approve ``batch``: its people are recognised and its profile, computed from today's
    rows, is frozen in the batch. Approving twice, or from a page older than the batch's last
    change, is a ``Conflict``."""
    from nonparty.selectors.profiles import batch_profile

    require_editor(actor)
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.approved_at is not None:
            raise Conflict(_("This batch is approved already."))
        if version is not None and locked.version != version:
            raise Conflict()
        if not locked.memberships.exists():
            raise ValidationError({"people": [_("Put people in the batch before approving it.")]})
        Person.objects.filter(batch_memberships__batch=locked).update(
            status=Status.RECOGNISED, version=F("version") + 1
        )
        locked.profile = batch_profile(locked)
        locked.approved_at = timezone.now()
        locked.approved_by = actor
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=locked,
            fields=["approved_at", "profile"],
            note=_("approved; %(count)d people recognised") % {"count": locked.profile["size"]},
        )
    return locked
