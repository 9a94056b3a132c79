"""The deadline sweep: reminders and escalations nobody has to remember to send.

``sweep_deadlines`` looks only at appeals whose ``next_reminder_at`` has come (a partial index
holds just those), so its cost grows with what is due, not with the appeal table. For each it
works out which rungs of the ladder (``EscalationRule``) are due, records each firing as a
``Reminder`` under its unique key (appeal, rule, deadline in force, occurrence, part), tells
people in one batch, and moves ``next_reminder_at`` to the next rung or clears it.

Two sweeps at once take disjoint batches (``SKIP LOCKED``); a sweep retried after a worker died
finds the reminders of the committed batches already recorded and sends nothing twice. In-app
notifications are written in the same transaction; e-mail and robot deliveries are handed to
Celery after commit, and if the broker is down they wait in the outbox for the next sweep.
"""

import datetime as dt
import functools
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from enterprises.models import (
    Appeal,
    AppealEvent,
    CoHandling,
    EscalationRule,
    Membership,
    OverdueDigest,
    Reminder,
    Status,
    Trigger,
)
from enterprises.models.appeals import ROUTED, UNANSWERED
from enterprises.notifications import kind as notification_kind
from enterprises.services.appeals import appeal_auto_close
from portal.bulk import insert_rows
from portal.models import Department, Role, User
from portal.services import Message, deliveries_requeue, notify_many
from portal.workdays import add_working_days, is_working_day

logger = logging.getLogger("enterprises.reminders")

__all__ = [
    "SweepResult",
    "fire_time",
    "reminders_reschedule",
    "send_overdue_digest",
    "sweep_deadlines",
]

BATCH_SIZE = 500
# Statuses in which a department works on the appeal against its deadline.
WORKING = (Status.ASSIGNED, Status.IN_PROGRESS)


@dataclass
class SweepResult:
    appeals: int = 0
    reminders: int = 0
    notifications: int = 0
    closed: int = 0
    requeued: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reminders} reminders recorded ({self.notifications} notifications, "
            f"{self.closed} appeals closed, {self.appeals} appeals looked at, "
            f"{self.requeued} deliveries requeued)"
        )


@dataclass(frozen=True)
class _Firing:
    rule: EscalationRule
    deadline: dt.date
    occurrence: dt.date
    part: CoHandling | None = None


@dataclass
class _Plan:
    firings: list[_Firing] = field(default_factory=list)
    next_at: dt.datetime | None = None


def fire_time(day: dt.date) -> dt.datetime:
    """The moment a rung due on ``day`` fires: the reminder hour, local time."""
    moment = dt.datetime.combine(day, dt.time(settings.REMINDER_HOUR, settings.REMINDER_MINUTE))
    return timezone.make_aware(moment)


def _anchors(appeal: Appeal, rule: EscalationRule, parts: list[CoHandling]):
    """(deadline, part) pairs the rule counts from for this appeal in its current state."""
    if rule.supervised_only and not appeal.is_supervised:
        return []
    if rule.trigger == Trigger.UNSIGNED:
        assignment = appeal.current_assignment
        if appeal.status == Status.ASSIGNED and assignment and assignment.signed_at is None:
            return [(assignment.sign_due_date, None)]
        return []
    if rule.trigger == Trigger.DUE:
        # The clock stands still while the enterprise owes an answer: nothing about the
        # deadline fires; when it restarts, the deadline has moved and the rungs with it.
        if appeal.status in UNANSWERED and appeal.due_date and not appeal.awaiting_info:
            return [(appeal.due_date, None)]
        return []
    if rule.trigger == Trigger.PART_DUE:
        if appeal.status in WORKING and not appeal.awaiting_info:
            return [(part.due_date, part) for part in parts]
        return []
    if rule.trigger == Trigger.UNRATED and appeal.status == Status.REPLIED and appeal.replied_at:
        return [(timezone.localdate(appeal.replied_at), None)]
    return []


def _plan(
    appeal: Appeal,
    rules: list[EscalationRule],
    parts: list[CoHandling],
    sent: set[tuple],
    now: dt.datetime,
) -> _Plan:
    """Which rungs fire now for this appeal, and when it must be looked at next."""
    today = timezone.localdate(now)
    plan = _Plan()
    for rule in rules:
        for deadline, part in _anchors(appeal, rule, parts):
            first_day = add_working_days(deadline, rule.offset_days)
            # "Due in two days" is pointless on the deadline day, and "due today" after it: the
            # later rungs take over (a sweep catching up after an outage sends only those).
            if rule.trigger == Trigger.DUE and (
                (rule.offset_days < 0 and today >= deadline)
                or (rule.offset_days == 0 and today > deadline)
            ):
                continue
            if fire_time(first_day) > now:
                _later(plan, fire_time(first_day))
                continue
            if rule.repeat_daily:
                # Once a working day while it holds: today's firing if its hour has come, else
                # the last working day's (a sweep that missed days sends one, not a backlog).
                latest = today
                if not is_working_day(today) or fire_time(today) > now:
                    latest = add_working_days(today, -1)
                occurrence = max(latest, first_day)
                _later(plan, fire_time(add_working_days(occurrence, 1)))
            else:
                occurrence = deadline
            key = (appeal.pk, rule.pk, deadline, occurrence, part.pk if part else 0)
            if key not in sent:
                plan.firings.append(_Firing(rule, deadline, occurrence, part))
    return plan


def _later(plan: _Plan, moment: dt.datetime) -> None:
    if plan.next_at is None or moment < plan.next_at:
        plan.next_at = moment


def sweep_deadlines(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Fire every rung of the escalation ladder that is due at ``now`` (default: the clock).

    Safe to run twice, and twice at once. Returns what it did.
    """
    now = now or timezone.now()
    result = SweepResult()
    rules = list(EscalationRule.objects.filter(is_active=True))
    seen: set[int] = set()
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            with transaction.atomic():
                # The partial index on next_reminder_at gives both the rows and their order.
                batch = list(
                    Appeal.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("current_assignment")
                    .filter(next_reminder_at__lte=now)
                    .order_by("next_reminder_at", "pk")[:batch_size]
                )
                if not batch or seen.intersection(a.pk for a in batch):
                    if batch:  # an appeal came back: its next check was not moved on
                        logger.error("Deadline sweep stopped: appeal %s is due again", batch[0].pk)
                    break
                _sweep_batch(batch, rules, now, result)
            seen.update(a.pk for a in batch)
            if len(batch) < batch_size:
                break
    # The outbox lives on the real clock, whatever moment the sweep pretends (--now).
    result.requeued = deliveries_requeue()
    if result.reminders or result.closed:
        logger.info("Deadline sweep: %s", result)
    return result


def _sweep_batch(
    batch: list[Appeal], rules: list[EscalationRule], now: dt.datetime, result: SweepResult
) -> None:
    ids = [appeal.pk for appeal in batch]
    parts = defaultdict(list)
    assignments = [a.current_assignment_id for a in batch if a.current_assignment_id]
    if assignments and any(rule.trigger == Trigger.PART_DUE for rule in rules):
        for part in CoHandling.objects.filter(
            assignment_id__in=assignments, submitted_at__isnull=True
        ).select_related("department"):
            parts[part.appeal_id].append(part)

    plans = {}
    candidates = {a.pk: a for a in batch}
    # Reminders of the deadlines in force only: those of deadlines since moved can never match.
    deadlines = {a.due_date for a in batch if a.due_date}
    deadlines |= {a.current_assignment.sign_due_date for a in batch if a.current_assignment}
    deadlines |= {timezone.localdate(a.replied_at) for a in batch if a.replied_at}
    deadlines |= {part.due_date for appeal_parts in parts.values() for part in appeal_parts}
    sent = set(
        Reminder.objects.filter(appeal_id__in=ids, deadline__in=deadlines).values_list(
            "appeal_id", "rule_id", "deadline", "occurrence", "part"
        )
    )
    for appeal in batch:
        plans[appeal.pk] = _plan(appeal, rules, parts[appeal.pk], sent, now)

    firing = [(candidates[pk], f) for pk, plan in plans.items() for f in plan.firings]
    people = _People.load([appeal for appeal, _f in firing], [f for _a, f in firing])

    reminders, messages = [], []
    for appeal, fire in firing:
        if fire.rule.auto_close:
            # Closing tells the enterprise itself (in-app, with its channels).
            if appeal_auto_close(appeal=appeal, days=fire.rule.offset_days, now=now):
                result.closed += 1
                appeal.next_reminder_at = None
            recipients, departments = [], []
        else:
            recipients, departments = people.for_firing(appeal, fire)
        reminders.append(
            Reminder(
                appeal=appeal,
                rule=fire.rule,
                deadline=fire.deadline,
                occurrence=fire.occurrence,
                part=fire.part.pk if fire.part else 0,
                department_id=fire.part.department_id if fire.part else appeal.lead_department_id,
                recipients=len(recipients),
                created_at=now,
            )
        )
        if recipients or departments:
            messages.append(_message(appeal, fire, recipients, departments))
    insert_rows(reminders)
    notifications = notify_many(messages) if messages else []

    # Most appeals of a batch move to one of a few moments (a reminder hour): one UPDATE per
    # moment is far cheaper than a CASE over 500 rows.
    moving = defaultdict(list)
    for appeal in batch:
        if appeal.status in (Status.CLOSED, Status.REJECTED):
            appeal.next_reminder_at = None
        else:
            appeal.next_reminder_at = plans[appeal.pk].next_at
        moving[appeal.next_reminder_at].append(appeal.pk)
    for moment, pks in moving.items():
        Appeal.objects.filter(pk__in=pks).update(next_reminder_at=moment)
    result.appeals += len(batch)
    result.reminders += len(reminders)
    result.notifications += len(notifications)


class _People:
    """Everyone a batch of firings may tell, read in a fixed number of queries."""

    def __init__(self):
        self.department_staff = defaultdict(list)  # (department id, role) -> users
        self.dispatchers: list[User] = []
        self.supervisors = defaultdict(list)  # appeal id -> users
        self.members = defaultdict(list)  # enterprise id -> users
        self.departments: dict[int, Department] = {}

    @classmethod
    def load(cls, appeals: list[Appeal], firings: list[_Firing]) -> "_People":
        people = cls()
        if not firings:
            return people
        rules = {f.rule.pk: f.rule for f in firings}.values()
        department_ids = {a.lead_department_id for a in appeals if a.lead_department_id}
        department_ids |= {f.part.department_id for f in firings if f.part}
        supervised = [a.pk for a in appeals if a.is_supervised]
        if supervised and any(rule.notify_supervisors for rule in rules):
            for appeal_id, actor_id in AppealEvent.objects.filter(
                appeal_id__in=supervised, action=AppealEvent.Action.SUPERVISE
            ).values_list("appeal_id", "actor_id"):
                people.supervisors[appeal_id].append(actor_id)
        wanted = Q(role__in=(Role.HANDLER, Role.DEPARTMENT_HEAD), department_id__in=department_ids)
        if any(rule.notify_dispatchers for rule in rules):
            wanted |= Q(role=Role.DISPATCHER)
        supervisor_ids = {pk for ids in people.supervisors.values() for pk in ids}
        if supervisor_ids:
            wanted |= Q(pk__in=supervisor_ids)
        users = {user.pk: user for user in User.objects.filter(wanted, is_active=True)}
        for user in users.values():
            if user.role == Role.DISPATCHER:
                people.dispatchers.append(user)
            if user.department_id and user.role in (Role.HANDLER, Role.DEPARTMENT_HEAD):
                people.department_staff[user.department_id, user.role].append(user)
        for appeal_id, ids in list(people.supervisors.items()):
            people.supervisors[appeal_id] = [users[pk] for pk in dict.fromkeys(ids) if pk in users]
        people.departments = Department.objects.in_bulk(department_ids)
        enterprises = {a.enterprise_id for a in appeals}
        if any(rule.notify_enterprise and not rule.auto_close for rule in rules):
            for membership in Membership.objects.filter(
                enterprise_id__in=enterprises,
                status=Membership.Status.VERIFIED,
                user__is_active=True,
            ).select_related("user"):
                people.members[membership.enterprise_id].append(membership.user)
        return people

    def for_firing(self, appeal: Appeal, fire: _Firing) -> tuple[list[User], list[Department]]:
        rule, recipients, departments = fire.rule, [], []
        lead = appeal.lead_department_id
        # Handlers and heads are told only while their department holds the appeal.
        if lead and appeal.status in ROUTED:
            if rule.notify_handlers:
                recipients += self.department_staff[lead, Role.HANDLER]
            if rule.notify_heads:
                recipients += self.department_staff[lead, Role.DEPARTMENT_HEAD]
            if (rule.notify_handlers or rule.notify_heads) and lead in self.departments:
                departments.append(self.departments[lead])
        if rule.notify_part_department and fire.part:
            recipients += self.department_staff[fire.part.department_id, Role.HANDLER]
            if fire.part.department_id in self.departments:
                departments.append(self.departments[fire.part.department_id])
        if rule.notify_dispatchers:
            recipients += self.dispatchers
        if rule.notify_supervisors:
            recipients += self.supervisors[appeal.pk]
        if rule.notify_enterprise:
            recipients += self.members[appeal.enterprise_id]
        return list({user.pk: user for user in recipients}.values()), departments


def _appeal_url(pk: int) -> str:
    # reverse() once per sweep rather than once per message.
    return _appeal_url_prefix() + f"{pk}/"


@functools.lru_cache(maxsize=1)
def _appeal_url_prefix() -> str:
    return reverse("appeals:detail", args=[0]).removesuffix("0/")


@functools.lru_cache(maxsize=512)
def _day(day: dt.date, language: str) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _message(appeal: Appeal, fire: _Firing, recipients, departments) -> Message:
    values = {"number": appeal.number, "date": _day(fire.deadline, translation.get_language())}
    rule = fire.rule
    if rule.trigger == Trigger.UNSIGNED:
        title = _("Appeal %(number)s waits to be signed for (sign for by %(date)s)") % values
    elif rule.trigger == Trigger.PART_DUE:
        title = _("Your department's part of appeal %(number)s is due on %(date)s") % values
    elif rule.offset_days < 0:
        title = _("Appeal %(number)s is due on %(date)s") % values
    elif rule.offset_days == 0:
        title = _("Appeal %(number)s is due today (%(date)s)") % values
    else:
        title = _("Appeal %(number)s is overdue: the deadline was %(date)s") % values
    body = f"{appeal.title}\n{rule.name}"
    return Message(
        recipients=recipients,
        kind=notification_kind("reminder"),
        title=title,
        body=body,
        url=_appeal_url(appeal.pk),
        target=appeal,
        webhook_departments=departments,
        key=(
            f"reminder:{appeal.pk}:{rule.pk}:{fire.deadline:%Y%m%d}:"
            f"{fire.occurrence:%Y%m%d}:{fire.part.pk if fire.part else 0}"
        ),
    )


def reminders_reschedule(*, now: dt.datetime | None = None) -> None:
    """After the ladder changed: the next sweep looks at every unfinished appeal again.

    One UPDATE, after commit; the sweep then works through them in batches.
    """
    moment = now or timezone.now()

    def mark():
        Appeal.objects.filter(status__in=(*UNANSWERED, Status.REPLIED)).update(
            next_reminder_at=moment
        )

    transaction.on_commit(mark)


# --- the daily overdue digest ------------------------------------------------------------------

DIGEST_LIST_LIMIT = 10


def send_overdue_digest(*, today: dt.date | None = None) -> int:
    """Send leaders (every department) and department heads (their own) the day's overdue
    appeals by department, once a day each. Returns the number of digests sent."""
    today = today or timezone.localdate()
    overdue = Appeal.objects.counted().overdue(today)
    by_department = {
        row["lead_department"]: row["n"]
        for row in overdue.order_by().values("lead_department").annotate(n=Count("pk"))
    }
    if not by_department:
        return 0
    departments = Department.objects.in_bulk([pk for pk in by_department if pk])
    # The longest-overdue appeals of each department, in one query.
    oldest = defaultdict(list)
    ranked = overdue.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("lead_department"),
            order_by=[F("due_date").asc(), F("pk").asc()],
        )
    ).filter(rank__lte=DIGEST_LIST_LIMIT)
    for number, department_id in ranked.order_by("due_date", "pk").values_list(
        "number", "lead_department"
    ):
        oldest[department_id].append(number)
    already = set(OverdueDigest.objects.filter(day=today).values_list("recipient_id", flat=True))
    readers = User.objects.filter(
        Q(role=Role.LEADER) | Q(role=Role.DEPARTMENT_HEAD, department_id__in=list(by_department)),
        is_active=True,
    ).exclude(pk__in=already)

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for reader in readers:
            scope = [reader.department_id] if reader.role == Role.DEPARTMENT_HEAD else by_department
            rows = sorted(
                ((departments.get(pk), by_department[pk], oldest[pk]) for pk in scope if pk),
                key=lambda row: -row[1],
            )
            total = sum(n for _d, n, _o in rows)
            if not total:
                continue
            with transaction.atomic():
                digest, created = OverdueDigest.objects.get_or_create(
                    recipient=reader, day=today, defaults={"appeals": total}
                )
                if not created:  # another run sent it a moment ago
                    continue
                lines = [
                    _("%(department)s: %(count)d overdue — %(numbers)s")
                    % {
                        "department": department.name if department else "—",
                        "count": n,
                        "numbers": "、".join(numbers),
                    }
                    for department, n, numbers in rows
                ]
                notify_many(
                    [
                        Message(
                            recipients=[reader],
                            kind=notification_kind("digest"),
                            title=_("%(count)d appeals are overdue (%(day)s)")
                            % {"count": total, "day": date_format(today, "SHORT_DATE_FORMAT")},
                            body="\n".join(lines),
                            url=reverse("appeals:list") + "?overdue=true",
                            key=f"digest:{today:%Y%m%d}:{reader.pk}",
                        )
                    ]
                )
            sent += 1
    return sent
