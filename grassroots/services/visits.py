"""Writes of the supervision visits: leaders' ties to counties, visits with their follow-up
items, closing an item, and the reminder of overdue items (each once)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.models import VISIT_OFFICE, VISIT_RECORDERS, FollowUp, LeaderTie, Unit, Visit
from portal.exceptions import Conflict
from portal.models import AuditLog, Region, Role, User
from portal.services.audit import audit_record
from portal.services.notifications import Message, notify_many
from portal.workdays import add_working_days

# Working days a follow-up item may be given at most (about three months).
MAX_DUE_DAYS = 60


@dataclass(frozen=True)
class FollowUpInput:
    title: str
    owner: User
    due_in_days: int


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _county(county: Region) -> Region:
    if county is None or county.level != Region.Level.COUNTY:
        raise ValidationError({"county": _("Choose one of the counties.")})
    return county


@transaction.atomic
def tie_set(*, actor: User, leader: User, county: Region, starts_on: date) -> LeaderTie:
    """Tie ``leader`` to ``county`` from ``starts_on``; their current tie (if any) ends the day
    before. The office's (dispatchers and administrators)."""
    _require(actor.has_role(*VISIT_OFFICE), _("Only the office ties leaders to counties."))
    if not leader.has_role(Role.LEADER):
        raise ValidationError({"leader": _("Only a leader can be tied to a county.")})
    _county(county)
    current = LeaderTie.objects.select_for_update().filter(leader=leader, ends_on__isnull=True)
    current = current.first()
    if current is not None:
        if current.county_id == county.pk:
            return current
        if starts_on <= current.starts_on:
            raise ValidationError(
                {"starts_on": _("The new tie must start after the current one started.")}
            )
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    tie = LeaderTie.objects.create(leader=leader, county=county, starts_on=starts_on)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, note="tie_set", target=tie)
    return tie


@transaction.atomic
def tie_end(*, actor: User, tie: LeaderTie, ends_on: date) -> LeaderTie:
    _require(actor.has_role(*VISIT_OFFICE), _("Only the office ties leaders to counties."))
    tie = LeaderTie.objects.select_for_update().get(pk=tie.pk)
    if tie.ends_on is not None:
        raise Conflict(_("This tie has already ended."))
    if ends_on < tie.starts_on:
        raise ValidationError({"ends_on": _("A tie cannot end before it starts.")})
    tie.ends_on = ends_on
    tie.save(update_fields=["ends_on"])
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, note="tie_end", target=tie)
    return tie


def _check_visit(county: Region, visited_on: date, units, findings: str) -> list[Unit]:
    _county(county)
    errors = {}
    if visited_on is None:
        errors["visited_on"] = _("Enter the date of the visit.")
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit cannot be recorded before it happens.")
    units = list(units)
    if any(unit.county_id != county.pk for unit in units):
        errors["units"] = _("Only units of the visited county can be chosen.")
    if not (findings or "").strip():
        errors["findings"] = _("Write down what the visit found.")
    if errors:
        raise ValidationError(errors)
    return units


def _add_follow_ups(visit: Visit, follow_ups) -> list[FollowUp]:
    created = []
    for item in follow_ups:
        if not item.title.strip():
            raise ValidationError({"follow_ups": _("Each follow-up item needs a title.")})
        if not 1 <= item.due_in_days <= MAX_DUE_DAYS:
            raise ValidationError(
                {
                    "follow_ups": _("A follow-up item is due in 1 to %(max)d working days.")
                    % {"max": MAX_DUE_DAYS}
                }
            )
        if item.owner is None or not item.owner.is_active:
            raise ValidationError({"follow_ups": _("Each follow-up item needs an owner.")})
        created.append(
            FollowUp.objects.create(
                visit=visit,
                title=item.title.strip(),
                owner=item.owner,
                due_in_days=item.due_in_days,
                due_on=add_working_days(visit.visited_on, item.due_in_days),
            )
        )
    return created


@transaction.atomic
def visit_record(
    *,
    actor: User,
    county: Region,
    visited_on: date,
    findings: str,
    units=(),
    follow_ups=(),
    leader: User | None = None,
) -> Visit:
    """Record a supervision visit. A leader records their own (any county, theirs by default in
    the form); the office may record one for a leader. Due dates count working days from the
    visit on the portal's calendar."""
    _require(actor.has_role(*VISIT_RECORDERS), _("Only leaders and the office record visits."))
    if leader is None or not actor.has_role(*VISIT_OFFICE):
        leader = actor
    if not leader.has_role(Role.LEADER) and not actor.has_role(*VISIT_OFFICE):
        raise ValidationError({"leader": _("A visit is a leader's.")})
    units = _check_visit(county, visited_on, units, findings)
    visit = Visit.objects.create(
        leader=leader,
        county=county,
        visited_on=visited_on,
        findings=findings.strip(),
        recorded_by=actor,
    )
    visit.units.set(units)
    _add_follow_ups(visit, follow_ups)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, note="visit_record", target=visit)
    return visit


def can_edit_visit(user: User, visit: Visit) -> bool:
    """The leader edits their own visits; the office any."""
    return user.has_role(*VISIT_OFFICE) or (
        user.has_role(Role.LEADER) and visit.leader_id == user.pk
    )


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: Visit,
    version: int,
    visited_on: date,
    findings: str,
    units=(),
    follow_ups=(),
) -> Visit:
    """Change a visit and add follow-up items; a save based on an older version is a
    ``Conflict`` and writes nothing."""
    _require(can_edit_visit(actor, visit), _("Only the visit's leader and the office change it."))
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.version != version:
        raise Conflict()
    units = _check_visit(locked.county, visited_on, units, findings)
    locked.visited_on, locked.findings = visited_on, findings.strip()
    locked.version += 1
    locked.save()
    locked.units.set(units)
    _add_follow_ups(locked, follow_ups)
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, note="visit_update", target=locked)
    return locked


def can_close(user: User, item: FollowUp) -> bool:
    return (
        item.owner_id == user.pk
        or user.has_role(*VISIT_OFFICE)
        or (user.has_role(Role.LEADER) and item.visit.leader_id == user.pk)
    )


@transaction.atomic
def follow_up_close(*, actor: User, item: FollowUp, note: str) -> FollowUp:
    """Close a follow-up item with a note (who and when are kept). Its owner, the visit's
    leader and the office close it; closing a closed item is a ``Conflict``."""
    _require(
        can_close(actor, item), _("Only the item's owner, the leader and the office close it.")
    )
    if not (note or "").strip():
        raise ValidationError({"note": _("Say how the item was settled.")})
    locked = FollowUp.objects.select_for_update().get(pk=item.pk)
    if locked.closed_at is not None:
        raise Conflict(_("This follow-up item is already closed."))
    locked.closed_at, locked.closed_by, locked.close_note = timezone.now(), actor, note.strip()
    locked.save(update_fields=["closed_at", "closed_by", "close_note"])
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, note="follow_up_close", target=locked)
    return locked


def followup_reminders_sweep(*, today: date | None = None) -> int:
    """Remind each overdue open follow-up item's owner once (the outbox's key and the claimed
    ``reminded_at`` both make a second sweep a no-op). Returns the number of reminders sent."""
    from django.urls import reverse

    today = today or timezone.localdate()
    due = FollowUp.objects.filter(
        closed_at__isnull=True, reminded_at__isnull=True, due_on__lt=today
    ).select_related("owner", "visit__county")
    sent = 0
    for item in due.iterator(chunk_size=500):
        with transaction.atomic():
            # The claim: only one sweep turns this row, so two at once send one reminder.
            claimed = FollowUp.objects.filter(pk=item.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if claimed != 1:
                continue
            notify_many(
                [
                    Message(
                        recipients=[item.owner],
                        kind="grassroots.followup_overdue",
                        title=_("A follow-up item of a supervision visit is overdue: %(title)s")
                        % {"title": item.title},
                        body=_("%(county)s, due on %(due)s.")
                        % {"county": item.visit.county.name, "due": item.due_on.isoformat()},
                        url=reverse("grassroots:visit-detail", args=[item.visit_id]),
                        key=f"grassroots.followup:{item.pk}:{item.due_on.isoformat()}",
                    )
                ]
            )
            sent += 1
    return sent
