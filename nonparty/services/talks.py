"""Writes of yearly talk plans: putting a person in a cadre's plan for a year, recording a talk,
and the monthly reminder to a cadre behind plan (once a month, through the outbox)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nonparty.models import Status, Talk, TalkPlan
from nonparty.services._common import checked_save, require_editor
from nonparty.services.liaison import _check_cadre
from portal.exceptions import Conflict
from portal.models import AuditLog, User
from portal.services import audit_record, notify

KIND_BEHIND = "nonparty.talks_behind"


def talk_plan_set(*, actor: User, year: int, cadre: User, person, times: int) -> TalkPlan:
    """Put ``person`` in ``cadre``'s plan for ``year`` with ``times`` talks (replacing the
    person's plan of that year, whoever's it was)."""
    require_editor(actor)
    _check_cadre(cadre)
    if person.status == Status.WITHDRAWN:
        raise ValidationError({"person": [_("A withdrawn person is not planned for talks.")]})
    with transaction.atomic():
        plan = TalkPlan.objects.filter(year=year, person=person).first() or TalkPlan(
            year=year, person=person, created_by=actor
        )
        plan.cadre, plan.times = cadre, times
        checked_save(plan, exclude=["person", "cadre", "created_by"])
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=plan,
            fields=["cadre", "times"],
        )
    return plan


def talk_record(*, actor: User, plan: TalkPlan, data) -> Talk:
    """Record a talk of ``plan``: by its cadre or the office, within the plan's year, never for
    a withdrawn person."""
    from nonparty.selectors import can_edit

    if actor.pk != plan.cadre_id and not can_edit(actor):
        raise PermissionDenied(_("Only the planned cadre and the office record this talk."))
    if plan.person.status == Status.WITHDRAWN:
        raise Conflict(_("This person has withdrawn: the plan no longer holds them."))
    held_on = data.get("held_on")
    if isinstance(held_on, dt.date) and held_on.year != plan.year:
        raise ValidationError({"held_on": [_("Choose a day of the plan's year.")]})
    with transaction.atomic():
        talk = checked_save(
            Talk(plan=plan, recorded_by=actor, **data), exclude=["plan", "recorded_by"]
        )
        audit_record(actor=actor, action=AuditLog.Action.CREATE, target=talk, fields=list(data))
    return talk


def talk_reminders_sweep(*, today: dt.date | None = None) -> int:
    """Tell each cadre behind plan — fewer talks held this year than the months gone by call
    for (``times`` × whole months past ÷ 12, over the people still in the plan) — once this
    month (the notification's key). Returns how many cadres were told."""
    from nonparty.selectors.talks import completion_rows

    today = today or timezone.localdate()
    months_past = today.month - 1
    if months_past == 0:
        return 0
    told = 0
    for row in completion_rows(TalkPlan.objects.all(), today.year):
        due = row["planned"] * months_past // 12
        if row["done"] >= due:
            continue
        cadre = row["cadre"]
        created = notify(
            recipients=[cadre],
            kind=KIND_BEHIND,
            title=_("Talks behind plan: %(done)d of %(due)d due by now")
            % {"done": row["done"], "due": due},
            body=_("Your plan for %(year)d holds %(planned)d talks.")
            % {"year": today.year, "planned": row["planned"]},
            url=reverse("nonparty:talks") + f"?year={today.year}",
            key=f"{KIND_BEHIND}:{today.year}-{today.month:02d}:{cadre.pk}",
        )
        told += 1 if created else 0
    return told
