"""Reads of the dialogue sessions: scoping, participants, the appeals raised there and figures.

Figures (DESIGN.md §3, by the same definitions as the dashboard): an appeal is *collected* by a
session when it is linked to it (merged repeats count once, through their target); *accepted*
once a dispatcher has accepted it; *closed* when accepted and now closed; the closure rate is
closed ÷ accepted (``None`` when nothing was accepted). Sessions *held* are those held or
summarised; entrepreneurs invited are counted once however many sessions invited them.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from enterprises.models import (
    Appeal,
    DialogueSession,
    InvitationAnswer,
    SessionInvitation,
    Status,
)
from enterprises.models.sessions import HELD_STATUSES
from portal.models import Role, User

ACCEPTED_Q = Q(accepted_at__isnull=False)
CLOSED_Q = ACCEPTED_Q & Q(status=Status.CLOSED)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- per-session counts (also for the dashboard's group_by=session) ---------------------------


def session_appeal_counts(appeals: QuerySet[Appeal] | None = None) -> dict[int, dict]:
    """``{session id: {"collected", "accepted", "closed", "closure_rate"}}`` for every session
    with appeals among ``appeals`` (default: all), in one grouped query.

    Pass an already scoped or filtered queryset (a period, a department…) to count only those;
    merged repeats are left out here as everywhere in the figures.
    """
    appeals = Appeal.objects.all() if appeals is None else appeals
    rows = (
        appeals.filter(session__isnull=False, merged_into__isnull=True)
        .order_by()
        .values("session_id")
        .annotate(
            collected=Count("pk"),
            accepted=Count("pk", filter=ACCEPTED_Q),
            closed=Count("pk", filter=CLOSED_Q),
        )
    )
    return {
        row["session_id"]: {
            "collected": row["collected"],
            "accepted": row["accepted"],
            "closed": row["closed"],
            "closure_rate": rate(row["closed"], row["accepted"]),
        }
        for row in rows
    }


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``queryset`` rows of the outer session (no join fan-out)."""
    counted = (
        queryset.filter(session_id=OuterRef("pk"))
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(sessions: QuerySet[DialogueSession]) -> QuerySet[DialogueSession]:
    """Sessions with ``invited_count``, ``appeal_count``, ``accepted_count`` and
    ``closed_count``: four subqueries in the one query of the list, whatever its length."""
    appeals = Appeal.objects.filter(merged_into__isnull=True)
    return sessions.annotate(
        invited_count=_count(SessionInvitation.objects.all()),
        accepted_invitations=_count(
            SessionInvitation.objects.filter(answer=InvitationAnswer.ACCEPTED)
        ),
        appeal_count=_count(appeals),
        accepted_count=_count(appeals.filter(ACCEPTED_Q)),
        closed_count=_count(appeals.filter(CLOSED_Q)),
    )


def closure_rate(session: DialogueSession) -> float | None:
    """The closure rate of a session annotated by ``with_counts``."""
    return rate(session.closed_count, session.accepted_count)


def session_figures(sessions: QuerySet[DialogueSession] | None = None) -> dict:
    """The overall figures of the held sessions: how many were held, distinct entrepreneurs
    invited, appeals collected, accepted and closed, and the closure rate (three queries)."""
    held = (sessions if sessions is not None else DialogueSession.objects.all()).filter(
        status__in=HELD_STATUSES
    )
    figures = {
        "sessions_held": held.count(),
        "entrepreneurs_invited": SessionInvitation.objects.filter(session__in=held)
        .order_by()
        .values("user_id")
        .distinct()
        .count(),
    }
    figures.update(
        Appeal.objects.filter(session__in=held, merged_into__isnull=True).aggregate(
            appeals_collected=Count("pk"),
            appeals_accepted=Count("pk", filter=ACCEPTED_Q),
            appeals_closed=Count("pk", filter=CLOSED_Q),
        )
    )
    figures["closure_rate"] = rate(figures["appeals_closed"], figures["appeals_accepted"])
    return figures


# --- lists and one session --------------------------------------------------------------------


def sessions_for(user: User) -> QuerySet[DialogueSession]:
    """The sessions ``user`` may see, newest first, with their counts; an entrepreneur's rows
    also carry their own invitation (``my_invitation_id``, ``my_answer``)."""
    sessions = with_counts(DialogueSession.objects.visible_to(user)).order_by("-number")
    if user.is_authenticated and user.role == Role.ENTREPRENEUR:
        mine = SessionInvitation.objects.filter(session_id=OuterRef("pk"), user=user)
        sessions = sessions.annotate(
            my_invitation_id=Subquery(mine.values("pk")[:1]),
            my_answer=Subquery(mine.values("answer")[:1]),
        )
    return sessions


def session_for(user: User, pk: int) -> DialogueSession:
    """One session in ``user``'s scope with its counts, or ``Http404``."""
    return get_object_or_404(sessions_for(user).select_related("created_by"), pk=pk)


def invitations_of(session: DialogueSession) -> list[SessionInvitation]:
    """Everyone invited, with their enterprise and answer, in the order they were invited."""
    return list(
        session.invitations.select_related("user", "enterprise").order_by("invited_at", "id")
    )


def invitation_of(session: DialogueSession, user: User) -> SessionInvitation | None:
    if not user.is_authenticated:
        return None
    return session.invitations.filter(user=user).select_related("enterprise").first()


def hosts_of(session: DialogueSession) -> list[User]:
    return list(session.hosts.order_by("name", "id"))


def experts_of(session: DialogueSession) -> list:
    return list(session.experts.order_by("id"))


@dataclass(frozen=True)
class SessionAppealRow:
    """One appeal of a session as a given viewer may see it.

    ``full`` rows (the viewer can open the appeal) carry everything; the others — another
    enterprise's need, seen by a participant — carry only its progress: category, lead
    department, status and dates. Never its enterprise, title, content or instruction.
    """

    full: bool
    pk: int | None
    number: str
    enterprise: str
    title: str
    instruction: str
    category: str
    department: str
    status: str
    status_label: str
    submitted_on: dt.date
    due_date: dt.date | None
    closed_on: dt.date | None


def session_appeal_rows(session: DialogueSession, user: User) -> list[SessionAppealRow]:
    """The session's appeals, oldest first, each cut to what ``user`` may see (two queries)."""
    visible = set(
        Appeal.objects.visible_to(user).filter(session=session).values_list("pk", flat=True)
    )
    appeals = (
        Appeal.objects.filter(session=session, merged_into__isnull=True)
        .select_related("enterprise", "category", "lead_department")
        .order_by("submitted_at", "id")
    )
    rows = []
    for appeal in appeals:
        full = appeal.pk in visible
        rows.append(
            SessionAppealRow(
                full=full,
                pk=appeal.pk if full else None,
                number=appeal.number if full else "",
                enterprise=appeal.enterprise.name if full else "",
                title=appeal.title if full else "",
                instruction=appeal.session_instruction if full else "",
                category=appeal.category.name,
                department=appeal.lead_department.name if appeal.lead_department else "",
                status=appeal.status,
                status_label=appeal.get_status_display(),
                submitted_on=timezone.localdate(appeal.submitted_at),
                due_date=appeal.due_date,
                closed_on=timezone.localdate(appeal.closed_at) if appeal.closed_at else None,
            )
        )
    return rows


def progress_summary(rows: list[SessionAppealRow]) -> dict:
    """How far the session's appeals have come: counts by stage and the closure rate."""
    open_statuses = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
    return {
        "collected": len(rows),
        "in_progress": sum(1 for row in rows if row.status in open_statuses),
        "replied": sum(1 for row in rows if row.status == Status.REPLIED),
        "closed": sum(1 for row in rows if row.status == Status.CLOSED),
        "rejected": sum(1 for row in rows if row.status == Status.REJECTED),
    }


def pending_invitations_for(user: User) -> list[SessionInvitation]:
    """Invitations to planned sessions that ``user`` has not answered yet, soonest first."""
    if not user.is_authenticated or user.role != Role.ENTREPRENEUR:
        return []
    return list(
        SessionInvitation.objects.filter(
            user=user, answer=InvitationAnswer.PENDING, session__status="planned"
        )
        .select_related("session", "enterprise")
        .order_by("session__held_on", "id")
    )


def leaders() -> QuerySet[User]:
    """Who can host a session."""
    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("name", "id")
