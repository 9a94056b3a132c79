"""Reads for the appeal loop and the home page panels."""

from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from enterprises.models import (
    Appeal,
    AppealEvent,
    AppealTally,
    Attachment,
    Enterprise,
    Extension,
    Membership,
    RepeatCandidate,
    Status,
)
from enterprises.models.appeals import OPEN, UNANSWERED, co_handled_assignments
from enterprises.selectors.directory import memberships_of, memberships_pending_for
from portal.models import Role, User
from portal.models.users import DEPARTMENT_ROLES
from portal.workdays import add_working_days


def home_panels(user: User) -> dict:
    """The appeal and membership panels of each role's home page, in a fixed number of queries."""
    today = timezone.localdate()
    appeals = appeals_for(user).order_by()
    if user.role == Role.ENTREPRENEUR:
        memberships = list(memberships_of(user))
        waiting = Q(status=Status.REPLIED) | Q(status=Status.IN_PROGRESS, awaiting_info=True)
        return {
            "memberships": memberships,
            "has_verified_membership": any(
                m.status == Membership.Status.VERIFIED for m in memberships
            ),
            "appeal_counts": appeals.aggregate(
                open=Count("id", filter=Q(status__in=OPEN)),
                waiting=Count("id", filter=waiting),
                closed=Count("id", filter=Q(status=Status.CLOSED)),
            ),
            "appeals_waiting": list(appeals.filter(waiting).order_by("-updated_at", "-id")[:5]),
            "appeals_open": list(
                appeals.filter(status__in=OPEN)
                .exclude(waiting)
                .order_by("-submitted_at", "-id")[:5]
            ),
        }
    if user.role in (Role.HANDLER, Role.DEPARTMENT_HEAD):
        inbox = department_inbox(user)
        urgent = list(inbox[:6])
        for appeal in urgent:
            appeal.due = due_state(appeal, today)
        panels = {
            "inbox_counts": inbox.order_by().aggregate(
                all=Count("id"),
                sign=Count("id", filter=Q(status=Status.ASSIGNED)),
                overdue=Count("id", filter=Q(due_date__lt=today)),
                due_soon=Count(
                    "id",
                    filter=Q(due_date__gte=today, due_date__lte=add_working_days(today, 2)),
                ),
            ),
            "inbox_urgent": urgent,
        }
        if user.role == Role.DEPARTMENT_HEAD:
            panels["pending_extension_count"] = pending_extensions_for(user).count()
        return panels
    if user.has_role(Role.DISPATCHER, Role.ADMIN, Role.LEADER):
        pending = memberships_pending_for(user)
        panels = {
            "pending_memberships": list(pending[:5]),
            "pending_membership_count": pending.count(),
            "enterprise_count": Enterprise.objects.visible_to(user).count(),
            "appeal_counts": appeals.aggregate(
                new=Count("id", filter=Q(status=Status.SUBMITTED)),
                route=Count("id", filter=Q(status=Status.ACCEPTED)),
                overdue=Count("id", filter=Q(status__in=UNANSWERED, due_date__lt=today)),
                supervised=Count("id", filter=Q(status__in=OPEN, is_supervised=True)),
                open=Count("id", filter=Q(status__in=OPEN)),
            ),
        }
        if user.role == Role.LEADER:
            supervised = list(
                appeals.filter(status__in=OPEN, is_supervised=True).order_by(
                    F("due_date").asc(nulls_last=True), "id"
                )[:5]
            )
            for appeal in supervised:
                appeal.due = due_state(appeal, today)
            panels["appeals_supervised"] = supervised
        else:
            panels["appeals_newest"] = list(
                appeals.filter(status=Status.SUBMITTED).order_by("-submitted_at", "-id")[:5]
            )
            panels["pending_extension_count"] = pending_extensions_for(user).count()
        return panels
    return {}


# --- appeals ----------------------------------------------------------------------------------


def appeals_for(user: User):
    """The appeals ``user`` may see, with what every list row shows, in a fixed number of queries."""
    return Appeal.objects.visible_to(user).select_related(
        "enterprise", "category", "lead_department"
    )


def tallied_size(user: User, params, filters: Iterable[str]) -> int | None:
    """How many appeals a list of ``user``'s holds, read from the tally when that is exact,
    else ``None`` (count them).

    Exact when the list's query ``params`` (a ``QueryDict``) give none of the ``filters`` but
    ``status``, and only valid statuses, and ``user`` sees every appeal or a department's: then
    the sums of the ``AppealTally`` rows (PostgreSQL keeps them) replace a ``COUNT`` of up to
    10^6 rows. A department's scope (``Appeal.objects.visible_to``) is what it leads, read from
    the tally, and what it co-handles under another lead, counted from its co-handling rows
    through the index ``appeal_by_assignment``. Entrepreneurs' lists are short: counted.
    """
    if connection.vendor != "postgresql":
        return None
    sees_all = not appeals_for(user).query.has_filters()
    department = user.department_id if user.role in DEPARTMENT_ROLES else None
    if not sees_all and department is None:
        return None
    if any(params.get(name) not in (None, "") for name in filters if name != "status"):
        return None
    statuses = [status for status in params.getlist("status") if status]
    if any(status not in Status.values for status in statuses):
        return None  # the list answers with the error
    tally = AppealTally.objects.filter(status__in=statuses) if statuses else AppealTally.objects
    if sees_all:
        return tally.aggregate(size=Coalesce(Sum("delta"), 0))["size"]
    led = tally.filter(lead_department_id=department).aggregate(size=Coalesce(Sum("delta"), 0))
    co_handled = Appeal.objects.filter(
        current_assignment_id__in=co_handled_assignments(department)
    ).exclude(lead_department_id=department)
    if statuses:
        co_handled = co_handled.filter(status__in=statuses)
    return led["size"] + co_handled.count()


def appeal_for(user: User, pk: int) -> Appeal:
    """One appeal in ``user``'s scope, or ``Http404``."""
    return get_object_or_404(
        appeals_for(user).select_related(
            "submitted_by", "current_assignment", "merged_into", "enterprise__region", "session"
        ),
        pk=pk,
    )


def timeline(appeal: Appeal) -> list[AppealEvent]:
    """The appeal's events, oldest first, with their actors and files."""
    return list(
        appeal.events.select_related("actor", "actor__department").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    )


def due_state(appeal: Appeal, today: date | None = None) -> str:
    """``overdue`` (red), ``due_soon`` (amber, within 2 working days) or ``""``."""
    if appeal.status not in UNANSWERED or appeal.due_date is None:
        return ""
    today = today or timezone.localdate()
    if appeal.due_date < today:
        return "overdue"
    if appeal.due_date <= add_working_days(today, 2):
        return "due_soon"
    return ""


def department_inbox(user: User):
    """What the user's department has to sign for or work on, most urgent first."""
    return (
        appeals_for(user)
        .filter(status__in=[Status.ASSIGNED, Status.IN_PROGRESS])
        .order_by("due_date", "-priority", "id")
    )


def dispatcher_inbox(user: User):
    """New appeals to triage and returned ones to route again, oldest first, with repeats."""
    return (
        appeals_for(user)
        .filter(status__in=[Status.SUBMITTED, Status.ACCEPTED])
        .prefetch_related(
            Prefetch(
                "repeat_candidates",
                queryset=RepeatCandidate.objects.select_related("candidate").order_by("-score"),
            )
        )
        .order_by("-priority", "submitted_at", "id")
    )


def pending_extensions_for(user: User):
    """Extension requests the user may decide: a head's own department, or all for dispatchers."""
    qs = Extension.objects.filter(status=Extension.Decision.PENDING).select_related(
        "appeal", "appeal__enterprise", "appeal__lead_department", "requested_by"
    )
    if user.has_role(Role.DISPATCHER, Role.ADMIN):
        return qs.order_by("requested_at")
    if user.role == Role.DEPARTMENT_HEAD:
        return qs.filter(appeal__lead_department_id=user.department_id).order_by("requested_at")
    return qs.none()
