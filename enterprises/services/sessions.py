"""Every change to a 亲清半月谈 dialogue session, its invitations and the needs raised there.

Each service locks the session's row, checks ``lifecycles.SESSION`` (who may take which step in which status)
and writes in one transaction. A need raised at a session becomes an appeal through the appeal
loop's own ``appeal_submit`` (source ``session``), linked to the session with the host leader's
instruction (交办意见) written on its timeline in the same transaction.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.lifecycles import SESSION
from enterprises.models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    DialogueSession,
    Enterprise,
    InvitationAnswer,
    Membership,
    SessionExpert,
    SessionInvitation,
    SessionReminder,
    SessionStatus,
    Source,
)
from enterprises.notifications import kind as notification_kind
from enterprises.services.appeals import appeal_submit
from portal.exceptions import Conflict
from portal.models import Role, User
from portal.services import notify
from portal.validators import clean_text

__all__ = [
    "send_session_reminders",
    "session_add_expert",
    "session_answer",
    "session_create",
    "session_hold",
    "session_invite",
    "session_record_need",
    "session_remove_expert",
    "session_summarise",
    "session_update",
]

THEME_MAX = 200
VENUE_MAX = 200
AGENDA_MAX = 5000
MINUTES_MAX = 20000
INSTRUCTION_MAX = 2000
# The day-before reminder goes out from this hour (local time) on the day before the session.
REMINDER_FROM_HOUR = 9


def _lock(session: DialogueSession | int, user: User | None, step: str) -> DialogueSession:
    pk = session.pk if isinstance(session, DialogueSession) else session
    locked = DialogueSession.objects.select_for_update().get(pk=pk)
    SESSION.check(locked, user, step)
    return locked


def _leaders(values: Iterable, errors: dict) -> list[User]:
    ids = []
    for value in values or ():
        pk = value.pk if isinstance(value, User) else value
        if pk not in ids:
            ids.append(pk)
    if not all(isinstance(pk, int) for pk in ids):
        errors.setdefault("hosts", []).append(_("Choose host leaders from the list."))
        return []
    found = {u.pk: u for u in User.objects.filter(pk__in=ids, role=Role.LEADER, is_active=True)}
    if len(found) != len(ids):
        errors.setdefault("hosts", []).append(_("Host leaders must be active leaders."))
    return [found[pk] for pk in ids if pk in found]


def _number(value, *, exclude: int | None, errors: dict) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
        errors.setdefault("number", []).append(_("Give the session number as a whole number."))
        return None
    taken = DialogueSession.objects.filter(number=value)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        errors.setdefault("number", []).append(
            _("Session %(number)d already exists.") % {"number": value}
        )
    return value


def _clean_session_fields(data: dict, *, exclude: int | None) -> tuple[dict, list[User]]:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "number": _number(data.get("number"), exclude=exclude, errors=errors),
        "theme": clean_text(
            data.get("theme"),
            field="theme",
            max_length=THEME_MAX,
            required=_("Give the session's theme."),
            errors=errors,
        ),
        "venue": clean_text(
            data.get("venue"),
            field="venue",
            max_length=VENUE_MAX,
            required=_("Say where the session takes place."),
            errors=errors,
        ),
        "agenda": clean_text(
            data.get("agenda"), field="agenda", max_length=AGENDA_MAX, errors=errors
        ),
        "held_on": data.get("held_on"),
        "start_time": data.get("start_time"),
    }
    if not isinstance(cleaned["held_on"], dt.date):
        errors.setdefault("held_on", []).append(_("Choose the session's date."))
    if cleaned["start_time"] is not None and not isinstance(cleaned["start_time"], dt.time):
        errors.setdefault("start_time", []).append(_("Give the starting time as HH:MM."))
    hosts = _leaders(data.get("hosts") or (), errors)
    if errors:
        raise ValidationError(errors)
    return cleaned, hosts


def _session_title(session: DialogueSession) -> str:
    return _("Dialogue session %(number)d (亲清半月谈): %(theme)s") % {
        "number": session.number,
        "theme": session.theme,
    }


def _when_and_where(session: DialogueSession) -> str:
    when = session.held_on.isoformat()
    if session.start_time:
        when = f"{when} {session.start_time:%H:%M}"
    return _("%(when)s at %(venue)s") % {"when": when, "venue": session.venue}


def _tell(recipients, kind: str, session: DialogueSession, title: str, body: str = "") -> None:
    notify(
        recipients=list(recipients),
        kind=notification_kind(kind),
        title=title,
        body=body,
        url=session.get_absolute_url(),
        target=session,
    )


def _expected_guests(session: DialogueSession) -> list[User]:
    """Invited entrepreneurs who have not said they cannot come."""
    invitations = (
        SessionInvitation.objects.filter(session=session, user__is_active=True)
        .exclude(answer=InvitationAnswer.DECLINED)
        .select_related("user")
    )
    return [invitation.user for invitation in invitations]


# --- the session ----------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    actor: User,
    number: int | None,
    theme: str,
    held_on: dt.date | None,
    venue: str,
    start_time: dt.time | None = None,
    hosts: Iterable[User | int] = (),
    agenda: str = "",
) -> DialogueSession:
    """Plan a session (第N期, unique) with its host leaders; the hosts are told.

    Raises ``PermissionDenied`` unless a dispatcher plans it, and ``ValidationError`` keyed by
    field, writing nothing, on any bad input.
    """
    if not SESSION.allowed(actor, "edit"):
        raise PermissionDenied(_("Only dispatchers plan dialogue sessions."))
    cleaned, leaders = _clean_session_fields(
        {
            "number": number,
            "theme": theme,
            "held_on": held_on,
            "venue": venue,
            "start_time": start_time,
            "hosts": hosts,
            "agenda": agenda,
        },
        exclude=None,
    )
    try:
        with transaction.atomic():
            session = DialogueSession.objects.create(
                **cleaned, created_by=actor, created_at=timezone.now()
            )
    except IntegrityError:  # the same number, planned at the same moment by someone else
        raise ValidationError(
            {"number": [_("Session %(number)d already exists.") % {"number": cleaned["number"]}]}
        ) from None
    session.hosts.set(leaders)
    if leaders:
        _tell(
            leaders,
            "session_host",
            session,
            _("You host %(session)s") % {"session": _session_title(session)},
            body=_when_and_where(session),
        )
    return session


@transaction.atomic
def session_update(
    *,
    session: DialogueSession,
    actor: User,
    number: int | None,
    theme: str,
    held_on: dt.date | None,
    venue: str,
    start_time: dt.time | None = None,
    hosts: Iterable[User | int] = (),
    agenda: str = "",
) -> DialogueSession:
    """Change a planned or held session. If the date, time or venue of a planned session
    changes, every invited entrepreneur who has not declined is told (and the day-before
    reminder follows the new date)."""
    session = _lock(session, actor, "edit")
    cleaned, leaders = _clean_session_fields(
        {
            "number": number,
            "theme": theme,
            "held_on": held_on,
            "venue": venue,
            "start_time": start_time,
            "hosts": hosts,
            "agenda": agenda,
        },
        exclude=session.pk,
    )
    before = (session.held_on, session.start_time, session.venue)
    for name, value in cleaned.items():
        setattr(session, name, value)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        raise ValidationError(
            {"number": [_("Session %(number)d already exists.") % {"number": cleaned["number"]}]}
        ) from None
    session.hosts.set(leaders)
    if session.status == SessionStatus.PLANNED and before != (
        session.held_on,
        session.start_time,
        session.venue,
    ):
        _tell(
            _expected_guests(session),
            "session_changed",
            session,
            _("%(session)s has moved") % {"session": _session_title(session)},
            body=_when_and_where(session),
        )
    return session


@transaction.atomic
def session_hold(*, session: DialogueSession, actor: User) -> DialogueSession:
    """Mark a planned session as held (on or after its day); needs can now be recorded."""
    session = _lock(session, actor, "hold")
    today = timezone.localdate()
    if session.held_on > today:
        raise Conflict(
            _("This session is planned for %(date)s; it can be marked held from that day on.")
            % {"date": session.held_on.isoformat()}
        )
    session.status, session.held_at = SESSION.target("hold"), timezone.now()
    session.save(update_fields=["status", "held_at", "updated_at"])
    return session


@transaction.atomic
def session_summarise(*, session: DialogueSession, actor: User, minutes: str) -> DialogueSession:
    """Put a held session's minutes on record: it is summarised."""
    errors: dict[str, list[str]] = {}
    minutes = clean_text(
        minutes,
        field="minutes",
        max_length=MINUTES_MAX,
        required=_("Write the minutes of the session."),
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    session = _lock(session, actor, "summarise")
    session.minutes, session.summarised_at = minutes, timezone.now()
    session.status = SESSION.target("summarise")
    session.save(update_fields=["minutes", "status", "summarised_at", "updated_at"])
    return session


@transaction.atomic
def session_add_expert(
    *, session: DialogueSession, actor: User, name: str, organisation: str = "", field: str = ""
) -> SessionExpert:
    """Add an expert (a person without an account) to a planned or held session."""
    errors: dict[str, list[str]] = {}
    name = clean_text(
        name, field="name", max_length=50, required=_("Give the expert's name."), errors=errors
    )
    organisation = clean_text(organisation, field="organisation", max_length=100, errors=errors)
    field_ = clean_text(field, field="field", max_length=100, errors=errors)
    if errors:
        raise ValidationError(errors)
    session = _lock(session, actor, "experts")
    return SessionExpert.objects.create(
        session=session, name=name, organisation=organisation, field=field_
    )


@transaction.atomic
def session_remove_expert(*, expert: SessionExpert, actor: User) -> None:
    _lock(expert.session_id, actor, "experts")
    SessionExpert.objects.filter(pk=expert.pk).delete()


# --- invitations ------------------------------------------------------------------------------


@transaction.atomic
def session_invite(
    *,
    session: DialogueSession,
    actor: User,
    user: User | int | None,
    enterprise: Enterprise | int | None,
) -> SessionInvitation:
    """Invite a verified member of an enterprise to a planned session; they are told at once."""
    enterprise_id = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    user_id = user.pk if isinstance(user, User) else user
    session = _lock(session, actor, "invite")
    membership = (
        Membership.objects.verified()
        .filter(
            user_id=user_id,
            enterprise_id=enterprise_id,
            user__is_active=True,
            user__role=Role.ENTREPRENEUR,
        )
        .select_related("user", "enterprise")
        .first()
        if user_id and enterprise_id
        else None
    )
    if membership is None:
        raise ValidationError({"user": [_("Invite a verified member of the chosen enterprise.")]})
    if SessionInvitation.objects.filter(session=session, user_id=user_id).exists():
        raise ValidationError(
            {
                "user": [
                    _("%(name)s is already invited to this session.")
                    % {"name": membership.user.display_name}
                ]
            }
        )
    invitation = SessionInvitation.objects.create(
        session=session,
        user=membership.user,
        enterprise=membership.enterprise,
        invited_by=actor,
        invited_at=timezone.now(),
    )
    _tell(
        [membership.user],
        "session_invited",
        session,
        _("You are invited to %(session)s") % {"session": _session_title(session)},
        body=_when_and_where(session) + "\n" + _("Please tell us whether you can attend."),
    )
    return invitation


@transaction.atomic
def session_answer(
    *, invitation: SessionInvitation, actor: User, answer: str, note: str = ""
) -> SessionInvitation:
    """The invited entrepreneur says whether they will attend (and may change their mind until
    the session is held); the person who invited them is told."""
    if answer not in (InvitationAnswer.ACCEPTED, InvitationAnswer.DECLINED):
        raise ValidationError({"answer": [_("Answer that you will attend or that you cannot.")]})
    errors: dict[str, list[str]] = {}
    note = clean_text(note, field="note", max_length=200, errors=errors)
    if errors:
        raise ValidationError(errors)
    session = _lock(invitation.session_id, actor, "answer")
    invitation = SessionInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.user_id != actor.pk:
        raise PermissionDenied(_("Only the invited person can answer this invitation."))
    changed = invitation.answer != answer
    invitation.answer, invitation.answer_note = answer, note
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "answer_note", "answered_at"])
    if changed:
        organisers = (
            [invitation.invited_by]
            if invitation.invited_by_id and invitation.invited_by.is_active
            else list(User.objects.filter(role=Role.DISPATCHER, is_active=True))
        )
        title = (
            _("%(name)s (%(enterprise)s) will attend session %(number)d")
            if answer == InvitationAnswer.ACCEPTED
            else _("%(name)s (%(enterprise)s) cannot attend session %(number)d")
        ) % {
            "name": actor.display_name,
            "enterprise": invitation.enterprise.name,
            "number": session.number,
        }
        _tell(organisers, "session_answered", session, title, body=note)
    return invitation


def send_session_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind everyone invited to tomorrow's sessions who has not declined; returns how many
    reminders were sent.

    Each reminder is claimed by inserting its ``SessionReminder`` row (unique per invitation and
    session date) in the same transaction as its notification, so a retry, a second sweep or two
    sweeps at once send each reminder once. The work is only tomorrow's invitations (an index on
    planned sessions by day), whatever the size of the tables.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < REMINDER_FROM_HOUR:
        return 0
    tomorrow = local.date() + dt.timedelta(days=1)
    already = SessionReminder.objects.filter(invitation_id=OuterRef("pk"), session_date=tomorrow)
    due = (
        SessionInvitation.objects.filter(
            session__status=SessionStatus.PLANNED, session__held_on=tomorrow, user__is_active=True
        )
        .exclude(answer=InvitationAnswer.DECLINED)
        .exclude(Exists(already))
        .select_related("session", "user")
        .order_by("id")
    )
    sent = 0
    for invitation in due:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    SessionReminder.objects.create(
                        invitation=invitation, session_date=tomorrow, sent_at=now
                    )
            except IntegrityError:
                continue  # another sweep got there first
            session = invitation.session
            _tell(
                [invitation.user],
                "session_reminder",
                session,
                _("Tomorrow: %(session)s") % {"session": _session_title(session)},
                body=_when_and_where(session),
            )
            sent += 1
    return sent


# --- needs ------------------------------------------------------------------------------------


@transaction.atomic
def session_record_need(
    *,
    session: DialogueSession,
    actor: User,
    enterprise: Enterprise | int | None,
    category: AppealCategory | int | None,
    title: str,
    content: str,
    instruction: str,
    leader: User | int | None = None,
    files: Sequence = (),
) -> Appeal:
    """Record a need an invited enterprise raised at a held session as an appeal.

    The appeal is submitted through the loop (source ``session``, so it is triaged, routed and
    watched like any other), linked to the session, and the host leader's instruction (交办意见)
    is kept on the appeal and written on its timeline, all in one transaction.
    """
    session = _lock(session, actor, "record_need")
    errors: dict[str, list[str]] = {}
    instruction = clean_text(
        instruction,
        field="instruction",
        max_length=INSTRUCTION_MAX,
        required=_("Write the host leader's instruction (交办意见)."),
        errors=errors,
    )
    enterprise_id = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    if (
        not enterprise_id
        or not SessionInvitation.objects.filter(
            session=session, enterprise_id=enterprise_id
        ).exists()
    ):
        errors.setdefault("enterprise", []).append(
            _("Choose one of the enterprises invited to this session.")
        )
    hosts = {host.pk: host for host in session.hosts.all()}
    leader_id = leader.pk if isinstance(leader, User) else leader
    if leader_id is None and len(hosts) == 1:
        leader_id = next(iter(hosts))
    if hosts and leader_id not in hosts:
        errors.setdefault("leader", []).append(
            _("Choose the host leader who gave the instruction.")
        )
    if errors:
        raise ValidationError(errors)

    appeal = appeal_submit(
        actor=actor,
        enterprise=enterprise_id,
        title=title,
        content=content,
        category=category,
        source=Source.SESSION,
        files=files,
    )
    appeal.session, appeal.session_instruction = session, instruction
    appeal.save(update_fields=["session", "session_instruction", "updated_at"])
    host = hosts.get(leader_id)
    AppealEvent.objects.create(
        appeal=appeal,
        action=AppealEvent.Action.INSTRUCT,
        actor=actor,
        at=timezone.now(),
        from_status=appeal.status,
        to_status=appeal.status,
        note=instruction,
        data={
            "session": session.pk,
            "session_number": session.number,
            "leader": host.pk if host else None,
            "leader_name": host.display_name if host else "",
        },
    )
    return appeal
