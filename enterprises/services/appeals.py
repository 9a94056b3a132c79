"""Every change to an appeal. Each service locks the appeal's row, checks the transition table,
writes the new state and one timeline event in the same transaction, and notifies people.

Of two people acting on the same appeal at once, the second waits for the first's lock, then
finds the status changed and gets a ``Conflict`` — nothing is half-written.
"""

import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.lifecycles import APPEAL
from enterprises.models import (
    Appeal,
    AppealCategory,
    AppealCounter,
    AppealEvent,
    Assignment,
    CoHandling,
    Enterprise,
    Extension,
    InfoRequest,
    Membership,
    Priority,
    Rating,
    Source,
    Status,
)
from enterprises.models.appeals import CloseReason
from enterprises.notifications import kind as notification_kind
from enterprises.services.attachments import attachments_add
from enterprises.services.repeats import repeat_candidates_record
from enterprises.services.stats import handling_days, mark_appeal
from portal.exceptions import Conflict
from portal.models import Department, Role, User
from portal.services import decide, notify
from portal.validators import clean_text
from portal.workdays import add_working_days, working_days_between

__all__ = [
    "appeal_accept",
    "appeal_approve_extension",
    "appeal_assign",
    "appeal_auto_close",
    "appeal_callback",
    "appeal_decline_extension",
    "appeal_extend",
    "appeal_link",
    "appeal_merge",
    "appeal_provide_info",
    "appeal_rate",
    "appeal_reject",
    "appeal_reply",
    "appeal_request_info",
    "appeal_return",
    "appeal_sign",
    "appeal_submit",
    "appeal_submit_part",
    "appeal_supervise",
    "auto_close_days",
    "close_unrated_replies",
    "default_due_date",
    "next_number",
]

Action = AppealEvent.Action
TITLE_MAX = 100
TEXT_MAX = 5000


# --- helpers ----------------------------------------------------------------------------------


def _text(value: str | None, *, field: str, message: str, max_length: int = TEXT_MAX) -> str:
    """Required free text of an appeal step, at most ``TEXT_MAX`` unless told otherwise."""
    return clean_text(value, field=field, max_length=max_length, required=message)


def _begin(appeal: Appeal | int, actor: User | None, action: str) -> Appeal:
    """Lock the appeal's row and check that ``actor`` may do ``action`` in its current status."""
    pk = appeal.pk if isinstance(appeal, Appeal) else appeal
    locked = Appeal.objects.select_for_update(of=("self",)).get(pk=pk)
    APPEAL.check(locked, actor, action)
    return locked


def _record(
    appeal: Appeal,
    action: str,
    actor: User | None,
    *,
    from_status: str,
    note: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> AppealEvent:
    at = at or timezone.now()
    # Every step may change what the escalation ladder owes this appeal: the deadline sweep
    # looks at it again on its next run (enterprises.services.reminders). A submission is
    # created with that mark already.
    if appeal.next_reminder_at != at:
        Appeal.objects.filter(pk=appeal.pk).update(next_reminder_at=at)
        appeal.next_reminder_at = at
    mark_appeal(appeal)  # the figures count its day live until the roll-up catches up
    return AppealEvent.objects.create(
        appeal=appeal,
        action=action,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=appeal.status,
        note=note,
        data=data or {},
    )


def _members(appeal: Appeal):
    return User.objects.filter(
        is_active=True,
        memberships__enterprise_id=appeal.enterprise_id,
        memberships__status=Membership.Status.VERIFIED,
    )


def _department_staff(department_id: int | None, *roles: str):
    if department_id is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, department_id=department_id, role__in=roles or (Role.HANDLER,)
    )


def _dispatchers():
    return User.objects.filter(is_active=True, role=Role.DISPATCHER)


def _tell(
    recipients, kind: str, appeal: Appeal, title: str, body: str = "", departments=()
) -> None:
    """Notify people in the app, and through the channels they chose; ``departments`` also get
    a post from their robot (DingTalk/WeCom) when one of their recipients wants it."""
    notify(
        recipients=list(recipients),
        kind=notification_kind(kind),
        title=title,
        body=body,
        url=appeal.get_absolute_url(),
        target=appeal,
        webhook_departments=[d for d in departments if d is not None],
    )


def _end_clock_stop(appeal: Appeal, *, now: datetime, answer: str = "", by: User | None = None):
    """Restart the clock: the deadlines move later by the working days it stood still."""
    request = InfoRequest.objects.select_for_update().filter(appeal=appeal, ended_at__isnull=True)
    request = request.first()
    appeal.awaiting_info = False
    if request is None:
        return None
    stopped = max(
        0, working_days_between(timezone.localdate(request.asked_at), timezone.localdate(now))
    )
    request.answer, request.answered_by, request.ended_at = answer, by, now
    request.stopped_days = stopped
    request.save(update_fields=["answer", "answered_by", "ended_at", "stopped_days"])
    if stopped:
        appeal.stopped_days += stopped
        if appeal.due_date:
            appeal.due_date = add_working_days(appeal.due_date, stopped)
        if appeal.original_due_date:
            appeal.original_due_date = add_working_days(appeal.original_due_date, stopped)
    return request


def default_due_date(category: AppealCategory, start: date | None = None) -> date:
    """The category's time limit counted in working days from ``start`` (today)."""
    return add_working_days(start or timezone.localdate(), category.handle_days)


def next_number(year: int) -> str:
    """The next appeal number of ``year``, e.g. ``QH-2026-000123``.

    The counter row stays locked until the caller's transaction ends, so two submissions can
    never draw the same number and a rolled-back one leaves no gap.
    """
    last = _counter_step(year)
    if last is None:
        try:
            with transaction.atomic():
                last = AppealCounter.objects.create(year=year, last=1).last
        except IntegrityError:  # another submission created the year's row first
            last = _counter_step(year)
    return f"QH-{year}-{last:06d}"


def _counter_step(year: int) -> int | None:
    """Move the year's counter on and read it in one statement; ``None`` if it has no row."""
    table = connection.ops.quote_name(AppealCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])
        row = cursor.fetchone()
    return row[0] if row else None


# --- submission and triage --------------------------------------------------------------------


@transaction.atomic
def appeal_submit(
    *,
    actor: User,
    enterprise: Enterprise | int | None,
    title: str,
    content: str,
    category: AppealCategory | int | None,
    source: str = Source.PLATFORM,
    files: Sequence = (),
) -> Appeal:
    """Record a new appeal of ``enterprise`` with status ``submitted`` and tell the dispatchers.

    Entrepreneurs submit for an enterprise they are a verified member of; dispatchers record
    appeals that came by hotline, visit or dialogue session for any enterprise.
    Raises ``ValidationError`` keyed by field, and writes nothing, on any bad input.
    """
    errors: dict[str, list[str]] = {}
    if actor.role == Role.ENTREPRENEUR:
        allowed_sources = (Source.PLATFORM,)
    elif actor.has_role(Role.DISPATCHER, Role.ADMIN):
        allowed_sources = tuple(Source.values)
    else:
        raise PermissionDenied(_("Only entrepreneurs and dispatchers record appeals."))

    enterprise_id = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    if not enterprise_id:
        errors["enterprise"] = [_("Choose the enterprise.")]
    else:
        enterprise = Enterprise.objects.visible_to(actor).filter(pk=enterprise_id).first()
        if enterprise is None:
            errors["enterprise"] = [_("You cannot submit appeals for this enterprise.")]
    category_id = category.pk if isinstance(category, AppealCategory) else category
    category = (
        AppealCategory.objects.filter(pk=category_id, is_active=True).first()
        if category_id
        else None
    )
    if category is None:
        errors["category"] = [_("Choose one of the listed categories.")]
    if source not in allowed_sources:
        errors["source"] = [_("This source cannot be chosen here.")]
    for field, message, max_length in (
        ("title", _("Give the appeal a short title."), TITLE_MAX),
        ("content", _("Describe the problem."), TEXT_MAX),
    ):
        try:
            _text(
                title if field == "title" else content,
                field=field,
                message=message,
                max_length=max_length,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    appeal = Appeal.objects.create(
        # A provisional, unique placeholder: the number is drawn last (below), so that the
        # year's counter row stays locked for the end of the transaction only.
        number=f"~{secrets.token_hex(9)}",
        enterprise=enterprise,
        submitted_by=actor,
        title=title.strip(),
        content=content.strip(),
        category=category,
        source=source,
        submitted_at=now,
        next_reminder_at=now,
    )
    event = _record(appeal, Action.SUBMIT, actor, from_status="", at=now)
    attachments_add(appeal=appeal, actor=actor, files=files, event=event)
    repeat_candidates_record(appeal)
    appeal.number = next_number(timezone.localdate(now).year)
    Appeal.objects.filter(pk=appeal.pk).update(number=appeal.number)
    _tell(
        _dispatchers(),
        "submitted",
        appeal,
        _("New appeal %(number)s from %(enterprise)s")
        % {"number": appeal.number, "enterprise": enterprise.name},
    )
    return appeal


@transaction.atomic
def appeal_accept(*, appeal: Appeal, actor: User, note: str = "") -> Appeal:
    """Accept a submitted appeal (受理): it now counts in the figures and awaits routing."""
    appeal = _begin(appeal, actor, "accept")
    before, now = appeal.status, timezone.now()
    appeal.status, appeal.accepted_at = APPEAL.target("accept"), now
    appeal.save(update_fields=["status", "accepted_at", "updated_at"])
    _record(appeal, Action.ACCEPT, actor, from_status=before, note=(note or "").strip(), at=now)
    _tell(
        _members(appeal),
        "accepted",
        appeal,
        _("Your appeal %(number)s has been accepted") % {"number": appeal.number},
    )
    return appeal


@transaction.atomic
def appeal_reject(*, appeal: Appeal, actor: User, reason: str) -> Appeal:
    """Decline a submitted appeal with a reason the enterprise will read."""
    reason = _text(reason, field="reason", message=_("Give a reason for the rejection."))
    appeal = _begin(appeal, actor, "reject")
    before = appeal.status
    appeal.status = APPEAL.target("reject")
    appeal.save(update_fields=["status", "updated_at"])
    _record(appeal, Action.REJECT, actor, from_status=before, note=reason)
    _tell(
        _members(appeal),
        "rejected",
        appeal,
        _("Your appeal %(number)s was not accepted") % {"number": appeal.number},
        body=reason,
    )
    return appeal


def _other_appeal(appeal: Appeal, other: Appeal | int | None, field: str) -> Appeal:
    other_id = other.pk if isinstance(other, Appeal) else other
    target = Appeal.objects.filter(pk=other_id).first() if other_id else None
    if target is None or target.pk == appeal.pk:
        raise ValidationError({field: [_("Choose another appeal.")]})
    if target.enterprise_id != appeal.enterprise_id:
        raise ValidationError({field: [_("Only appeals of the same enterprise can be joined.")]})
    return target


@transaction.atomic
def appeal_merge(*, appeal: Appeal, actor: User, into: Appeal | int, note: str = "") -> Appeal:
    """Close a submitted repeat as merged into an earlier appeal; figures count it once."""
    target = _other_appeal(appeal, into, "into")
    if target.merged_into_id is not None:
        raise ValidationError({"into": [_("That appeal was itself merged; choose its target.")]})
    appeal = _begin(appeal, actor, "merge")
    before, now = appeal.status, timezone.now()
    appeal.status, appeal.merged_into = APPEAL.target("merge"), target
    appeal.closed_at, appeal.close_reason = now, CloseReason.MERGED
    appeal.save(update_fields=["status", "merged_into", "closed_at", "close_reason", "updated_at"])
    appeal.linked.add(target)
    _record(
        appeal,
        Action.MERGE,
        actor,
        from_status=before,
        note=(note or "").strip(),
        data={"into": target.pk, "number": target.number},
        at=now,
    )
    _tell(
        _members(appeal),
        "merged",
        appeal,
        _("Your appeal %(number)s is handled together with %(other)s")
        % {"number": appeal.number, "other": target.number},
    )
    return appeal


@transaction.atomic
def appeal_link(*, appeal: Appeal, actor: User, other: Appeal | int, note: str = "") -> Appeal:
    """Mark two appeals of one enterprise as related; both stay in the loop and in the figures."""
    target = _other_appeal(appeal, other, "other")
    appeal = _begin(appeal, actor, "link")
    appeal.linked.add(target)
    _record(
        appeal,
        Action.LINK,
        actor,
        from_status=appeal.status,
        note=(note or "").strip(),
        data={"other": target.pk, "number": target.number},
    )
    return appeal


# --- routing ------------------------------------------------------------------------------------


def _active_department(value, field: str) -> Department:
    department_id = value.pk if isinstance(value, Department) else value
    department = (
        Department.objects.filter(pk=department_id, is_active=True).first()
        if department_id
        else None
    )
    if department is None:
        raise ValidationError({field: [_("Choose one of the listed departments.")]})
    return department


@transaction.atomic
def appeal_assign(
    *,
    appeal: Appeal,
    actor: User,
    department: Department | int | None,
    co_departments: Iterable[Department | int] = (),
    due_date: date | None = None,
    co_due_date: date | None = None,
    priority: int | None = None,
    note: str = "",
) -> Appeal:
    """Route an accepted appeal to a lead department (and co-handling ones) with a deadline.

    The first routing's deadline defaults to the category's limit and may only be shortened.
    Routing again keeps the deadline in force; after a routing dispute it cannot be moved.
    """
    lead = _active_department(department, "department")
    co = []
    for value in co_departments or ():
        co_department = _active_department(value, "co_departments")
        if co_department.pk == lead.pk:
            raise ValidationError(
                {"co_departments": [_("The lead department cannot also co-handle.")]}
            )
        if co_department not in co:
            co.append(co_department)
    if priority is not None and priority not in Priority.values:
        raise ValidationError({"priority": [_("Choose one of the listed priorities.")]})

    appeal = _begin(appeal, actor, "assign")
    today, now = timezone.localdate(), timezone.now()
    limit = default_due_date(appeal.category, today)
    last = appeal.assignments.order_by("-assigned_at", "-id").first()
    if appeal.due_date is None:  # first routing
        due = due_date or limit
        if due > limit:
            raise ValidationError(
                {
                    "due_at": [
                        _(
                            "%(category)s allows at most %(days)d working days (until %(limit)s); "
                            "ask for an extension later if more time is needed."
                        )
                        % {
                            "category": appeal.category.name,
                            "days": appeal.category.handle_days,
                            "limit": limit.isoformat(),
                        }
                    ]
                }
            )
    elif last is not None and last.is_dispute:
        if due_date is not None and due_date != appeal.due_date:
            raise ValidationError(
                {
                    "due_at": [
                        _("A routing dispute keeps the original deadline (%(due)s).")
                        % {"due": appeal.due_date.isoformat()}
                    ]
                }
            )
        due = appeal.due_date
    else:
        due = due_date or appeal.due_date
    if due < today:
        raise ValidationError({"due_at": [_("The deadline cannot be in the past.")]})
    co_due = co_due_date or max(add_working_days(due, -2), add_working_days(today, 1))
    if co and not (today <= co_due <= due):
        raise ValidationError(
            {"co_due_at": [_("The co-handling deadline must fall between today and the deadline.")]}
        )

    assignment = Assignment.objects.create(
        appeal=appeal,
        department=lead,
        assigned_by=actor,
        assigned_at=now,
        sign_due_date=add_working_days(today, appeal.category.sign_days),
    )
    CoHandling.objects.bulk_create(
        CoHandling(assignment=assignment, appeal=appeal, department=d, due_date=co_due) for d in co
    )
    before = appeal.status
    appeal.status = APPEAL.target("assign")
    appeal.lead_department, appeal.current_assignment = lead, assignment
    appeal.assigned_at = appeal.assigned_at or now
    appeal.signed_at = None
    appeal.due_date = due
    appeal.original_due_date = appeal.original_due_date or due
    if priority is not None:
        appeal.priority = priority
    appeal.save()
    _record(
        appeal,
        Action.ASSIGN,
        actor,
        from_status=before,
        note=(note or "").strip(),
        data={
            "department": lead.pk,
            "department_name": lead.name,
            "co_departments": [d.pk for d in co],
            "co_department_names": [d.name for d in co],
            "due_date": due.isoformat(),
            "co_due_date": co_due.isoformat() if co else None,
        },
        at=now,
    )
    title = _("Appeal %(number)s assigned to your department, due %(due)s") % {
        "number": appeal.number,
        "due": due.isoformat(),
    }
    _tell(_department_staff(lead.pk, Role.HANDLER), "assigned", appeal, title, departments=[lead])
    for co_department in co:
        _tell(
            _department_staff(co_department.pk, Role.HANDLER),
            "co_assigned",
            appeal,
            _("Your department co-handles appeal %(number)s; your part is due %(due)s")
            % {"number": appeal.number, "due": co_due.isoformat()},
            departments=[co_department],
        )
    return appeal


@transaction.atomic
def appeal_sign(*, appeal: Appeal, actor: User) -> Appeal:
    """The lead department signs for the appeal (签收) and starts work."""
    appeal = _begin(appeal, actor, "sign")
    before, now = appeal.status, timezone.now()
    Assignment.objects.filter(pk=appeal.current_assignment_id).update(
        signed_at=now, signed_by=actor
    )
    appeal.status, appeal.signed_at = APPEAL.target("sign"), now
    appeal.save(update_fields=["status", "signed_at", "updated_at"])
    _record(appeal, Action.SIGN, actor, from_status=before, at=now)
    return appeal


@transaction.atomic
def appeal_return(*, appeal: Appeal, actor: User, reason: str) -> Appeal:
    """Send a misrouted appeal back to the dispatchers (回退).

    Within one working day of assignment it is a routing dispute: the deadline stays.
    """
    reason = _text(reason, field="reason", message=_("Say why this appeal is not yours."))
    appeal = _begin(appeal, actor, "return")
    before, now = appeal.status, timezone.now()
    assignment = appeal.current_assignment
    is_dispute = (
        working_days_between(timezone.localdate(assignment.assigned_at), timezone.localdate(now))
        <= 1
    )
    Assignment.objects.filter(pk=assignment.pk).update(
        returned_at=now, return_reason=reason[:500], is_dispute=is_dispute
    )
    _end_clock_stop(appeal, now=now)
    # A pending extension goes with the department that asked for it.
    for extension in Extension.objects.filter(appeal=appeal, status=Extension.Decision.PENDING):
        decide(extension, by=None, decision=Extension.Decision.DECLINED)
    department = appeal.lead_department
    appeal.status = APPEAL.target("return")
    appeal.lead_department = appeal.current_assignment = None
    appeal.signed_at = None
    appeal.save()
    _record(
        appeal,
        Action.RETURN,
        actor,
        from_status=before,
        note=reason,
        data={
            "department": department.pk,
            "department_name": department.name,
            "dispute": is_dispute,
        },
        at=now,
    )
    _tell(
        _dispatchers(),
        "returned",
        appeal,
        _("%(department)s returned appeal %(number)s")
        % {"department": department.name, "number": appeal.number},
        body=reason,
    )
    return appeal


# --- handling -----------------------------------------------------------------------------------


@transaction.atomic
def appeal_request_info(*, appeal: Appeal, actor: User, question: str) -> Appeal:
    """Ask the enterprise for more information (补充材料); the clock stops until it answers."""
    question = _text(question, field="question", message=_("Write the question."), max_length=2000)
    appeal = _begin(appeal, actor, "request_info")
    now = timezone.now()
    InfoRequest.objects.create(appeal=appeal, question=question, asked_by=actor, asked_at=now)
    appeal.awaiting_info = True
    appeal.save(update_fields=["awaiting_info", "updated_at"])
    _record(appeal, Action.REQUEST_INFO, actor, from_status=appeal.status, note=question, at=now)
    _tell(
        _members(appeal),
        "info_requested",
        appeal,
        _("Appeal %(number)s needs more information from you") % {"number": appeal.number},
        body=question,
    )
    return appeal


@transaction.atomic
def appeal_provide_info(
    *, appeal: Appeal, actor: User, content: str, files: Sequence = ()
) -> Appeal:
    """The enterprise answers the question; the clock starts again with the deadline moved."""
    content = _text(content, field="content", message=_("Write your answer."))
    appeal = _begin(appeal, actor, "provide_info")
    now = timezone.now()
    request = _end_clock_stop(appeal, now=now, answer=content, by=actor)
    appeal.save()
    event = _record(
        appeal,
        Action.PROVIDE_INFO,
        actor,
        from_status=appeal.status,
        note=content,
        data={"stopped_days": request.stopped_days if request else 0},
        at=now,
    )
    attachments_add(appeal=appeal, actor=actor, files=files, event=event)
    _tell(
        _department_staff(appeal.lead_department_id, Role.HANDLER),
        "info_provided",
        appeal,
        _("The enterprise answered your question on appeal %(number)s") % {"number": appeal.number},
    )
    return appeal


@transaction.atomic
def appeal_submit_part(
    *, appeal: Appeal, actor: User, content: str, files: Sequence = ()
) -> Appeal:
    """A co-handling department gives its part to the lead department."""
    content = _text(content, field="content", message=_("Write your department's part."))
    appeal = _begin(appeal, actor, "submit_part")
    co = CoHandling.objects.select_for_update().get(
        assignment_id=appeal.current_assignment_id, department_id=actor.department_id
    )
    if co.submitted_at is not None:
        raise Conflict(_("Your department has already submitted its part."))
    now = timezone.now()
    co.part, co.submitted_at, co.submitted_by = content, now, actor
    co.save(update_fields=["part", "submitted_at", "submitted_by"])
    event = _record(
        appeal,
        Action.SUBMIT_PART,
        actor,
        from_status=appeal.status,
        note=content,
        data={
            "department": actor.department_id,
            "department_name": actor.department.name,
            "on_time": timezone.localdate(now) <= co.due_date,
        },
        at=now,
    )
    attachments_add(appeal=appeal, actor=actor, files=files, event=event)
    _tell(
        _department_staff(appeal.lead_department_id, Role.HANDLER),
        "part_submitted",
        appeal,
        _("%(department)s submitted its part of appeal %(number)s")
        % {"department": actor.department.name, "number": appeal.number},
    )
    return appeal


@transaction.atomic
def appeal_reply(*, appeal: Appeal, actor: User, content: str, files: Sequence = ()) -> Appeal:
    """The lead department answers the enterprise; the enterprise may now rate the answer."""
    content = _text(content, field="content", message=_("Write the reply to the enterprise."))
    appeal = _begin(appeal, actor, "reply")
    before, now = appeal.status, timezone.now()
    if appeal.awaiting_info:  # answering without the information ends the clock stop too
        _end_clock_stop(appeal, now=now)
    appeal.status, appeal.replied_at = APPEAL.target("reply"), now
    appeal.first_replied_at = appeal.first_replied_at or now
    appeal.reply_count += 1
    appeal.save()
    event = _record(
        appeal,
        Action.REPLY,
        actor,
        from_status=before,
        note=content,
        data={"on_time": timezone.localdate(now) <= appeal.due_date},
        at=now,
    )
    attachments_add(appeal=appeal, actor=actor, files=files, event=event)
    _tell(
        _members(appeal),
        "replied",
        appeal,
        _("Appeal %(number)s has been answered: please rate the answer")
        % {"number": appeal.number},
    )
    return appeal


@transaction.atomic
def appeal_rate(*, appeal: Appeal, actor: User, rating: str, comment: str = "") -> Appeal:
    """The enterprise rates the answer: satisfied closes it, dissatisfied sends it back (重办)."""
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("Choose one of the listed ratings.")]})
    comment = clean_text(
        comment,
        field="comment",
        max_length=2000,
        required=(
            _("Tell the department what is still missing.")
            if rating == Rating.DISSATISFIED
            else None
        ),
    )
    appeal = _begin(appeal, actor, "rate")
    before, now = appeal.status, timezone.now()
    appeal.rating, appeal.rated_at = rating, now
    if rating == Rating.DISSATISFIED:
        appeal.status = Status.IN_PROGRESS
        appeal.rehandle_count += 1
    else:
        appeal.status, appeal.closed_at, appeal.close_reason = (
            Status.CLOSED,
            now,
            CloseReason.RATED,
        )
        appeal.handling_days = handling_days(appeal)
    appeal.save()
    _record(
        appeal,
        Action.RATE,
        actor,
        from_status=before,
        note=comment,
        data={"rating": rating},
        at=now,
    )
    if rating == Rating.DISSATISFIED:
        _tell(
            [*_department_staff(appeal.lead_department_id, Role.HANDLER), *_dispatchers()],
            "rehandle",
            appeal,
            _("The enterprise sent appeal %(number)s back for re-handling")
            % {"number": appeal.number},
            body=comment,
            departments=[appeal.lead_department],
        )
    else:
        _tell(
            _department_staff(appeal.lead_department_id, Role.HANDLER),
            "rated",
            appeal,
            _("Appeal %(number)s was rated “%(rating)s” and closed")
            % {"number": appeal.number, "rating": Rating(rating).label},
        )
    return appeal


# --- deadlines, supervision, follow-up ---------------------------------------------------------


@transaction.atomic
def appeal_extend(*, appeal: Appeal, actor: User, due_date: date | None, reason: str) -> Appeal:
    """Ask for a later deadline; it takes effect only when a head or dispatcher approves."""
    reason = _text(
        reason, field="reason", message=_("Say why more time is needed."), max_length=2000
    )
    if due_date is None:
        raise ValidationError({"due_at": [_("Choose the new deadline.")]})
    appeal = _begin(appeal, actor, "extend")
    if due_date <= appeal.due_date:
        raise ValidationError(
            {
                "due_at": [
                    _("The new deadline must be after the current one (%(due)s).")
                    % {"due": appeal.due_date.isoformat()}
                ]
            }
        )
    Extension.objects.create(
        appeal=appeal,
        requested_by=actor,
        previous_due_date=appeal.due_date,
        requested_due_date=due_date,
        reason=reason,
    )
    _record(
        appeal,
        Action.EXTEND,
        actor,
        from_status=appeal.status,
        note=reason,
        data={"from": appeal.due_date.isoformat(), "to": due_date.isoformat()},
    )
    _tell(
        [*_department_staff(appeal.lead_department_id, Role.DEPARTMENT_HEAD), *_dispatchers()],
        "extension_requested",
        appeal,
        _("Extension of appeal %(number)s to %(due)s needs your decision")
        % {"number": appeal.number, "due": due_date.isoformat()},
        body=reason,
    )
    return appeal


def _decide_extension(*, appeal: Appeal, actor: User, action: str, note: str) -> Appeal:
    appeal = _begin(appeal, actor, action)
    extension = Extension.objects.get(appeal=appeal, status=Extension.Decision.PENDING)
    approved = action == "approve_extension"
    decision = Extension.Decision.APPROVED if approved else Extension.Decision.DECLINED
    decide(extension, by=actor, decision=decision, note=note)
    now = extension.decided_at
    if approved:
        appeal.due_date, appeal.extended = extension.requested_due_date, True
        appeal.save(update_fields=["due_date", "extended", "updated_at"])
    _record(
        appeal,
        Action.APPROVE_EXTENSION if approved else Action.DECLINE_EXTENSION,
        actor,
        from_status=appeal.status,
        note=note,
        data={"to": extension.requested_due_date.isoformat()},
        at=now,
    )
    _tell(
        [extension.requested_by],
        "extension_decided",
        appeal,
        (
            _("The extension of appeal %(number)s to %(due)s was approved")
            if approved
            else _("The extension of appeal %(number)s to %(due)s was declined")
        )
        % {"number": appeal.number, "due": extension.requested_due_date.isoformat()},
        body=note,
    )
    return appeal


@transaction.atomic
def appeal_approve_extension(*, appeal: Appeal, actor: User, note: str = "") -> Appeal:
    """Approve the pending extension: its date becomes the deadline in force."""
    return _decide_extension(
        appeal=appeal, actor=actor, action="approve_extension", note=(note or "").strip()
    )


@transaction.atomic
def appeal_decline_extension(*, appeal: Appeal, actor: User, note: str) -> Appeal:
    """Decline the pending extension with a reason; the deadline stays."""
    note = _text(note, field="note", message=_("Give a reason for declining."), max_length=2000)
    return _decide_extension(appeal=appeal, actor=actor, action="decline_extension", note=note)


@transaction.atomic
def appeal_supervise(*, appeal: Appeal, actor: User, note: str) -> Appeal:
    """A leader puts the appeal under supervision (督办): it becomes urgent."""
    note = _text(
        note, field="note", message=_("Write the supervision instruction."), max_length=2000
    )
    appeal = _begin(appeal, actor, "supervise")
    appeal.is_supervised, appeal.priority = True, Priority.URGENT
    appeal.save(update_fields=["is_supervised", "priority", "updated_at"])
    _record(appeal, Action.SUPERVISE, actor, from_status=appeal.status, note=note)
    recipients = [*_dispatchers()]
    if appeal.lead_department_id:
        recipients += _department_staff(
            appeal.lead_department_id, Role.HANDLER, Role.DEPARTMENT_HEAD
        )
    _tell(
        recipients,
        "supervised",
        appeal,
        _("Appeal %(number)s is now supervised by %(leader)s")
        % {"number": appeal.number, "leader": actor.display_name},
        body=note,
        departments=[appeal.lead_department],
    )
    return appeal


@transaction.atomic
def appeal_callback(*, appeal: Appeal, actor: User, rating: str, note: str = "") -> Appeal:
    """Record a call-back (回访) to the enterprise beside its own rating."""
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("Choose one of the listed ratings.")]})
    appeal = _begin(appeal, actor, "callback")
    appeal.callback_rating = rating
    appeal.save(update_fields=["callback_rating", "updated_at"])
    _record(
        appeal,
        Action.CALLBACK,
        actor,
        from_status=appeal.status,
        note=(note or "").strip()[:2000],
        data={"rating": rating},
    )
    return appeal


def appeal_auto_close(*, appeal: Appeal, days: int, now: datetime | None = None) -> bool:
    """Close a reply left unrated for ``days`` working days (自动办结) and tell the enterprise.

    The caller holds the appeal's row lock (the deadline sweep does). Returns False, changing
    nothing, when the appeal is no longer an unrated reply.
    """
    now = now or timezone.now()
    if appeal.status not in APPEAL["auto_close"].sources:
        return False
    before = appeal.status
    APPEAL.check(appeal, None, "auto_close")
    appeal.status, appeal.closed_at = APPEAL.target("auto_close"), now
    appeal.close_reason = CloseReason.AUTO
    appeal.handling_days = handling_days(appeal)
    appeal.save(
        update_fields=["status", "closed_at", "close_reason", "handling_days", "updated_at"]
    )
    _record(
        appeal,
        Action.AUTO_CLOSE,
        None,
        from_status=before,
        note=_("Closed automatically: no rating within %(days)d working days.") % {"days": days},
        at=now,
    )
    _tell(
        _members(appeal),
        "closed",
        appeal,
        _("Appeal %(number)s was closed without your rating") % {"number": appeal.number},
    )
    return True


def auto_close_days() -> int | None:
    """Working days an unrated reply waits before it closes: the ladder's auto-close rung
    (admin-editable), or None when an administrator switched it off."""
    from enterprises.models import EscalationRule

    rule = EscalationRule.objects.filter(auto_close=True, is_active=True).first()
    return rule.offset_days if rule else None


def close_unrated_replies(*, today: date | None = None) -> int:
    """Close every reply left unrated for the auto-close rung's working days, at once.

    The deadline sweep does this one appeal at a time as replies come due; this catches up in
    bulk (``seed_demo`` uses it). Each appeal closes under its own row lock.
    """
    days = auto_close_days()
    if days is None:
        return 0
    today = today or timezone.localdate()
    # Replies on or before this day have waited long enough.
    cutoff = add_working_days(today, -days)
    cutoff_at = timezone.make_aware(datetime.combine(cutoff, datetime.max.time()))
    closed = 0
    for pk in Appeal.objects.filter(status=Status.REPLIED, replied_at__lte=cutoff_at).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update().get(pk=pk)
            if appeal.status != Status.REPLIED or timezone.localdate(appeal.replied_at) > cutoff:
                continue
            closed += appeal_auto_close(appeal=appeal, days=days)
    return closed
