"""The lifecycles of this app's objects, declared on ``portal.lifecycle``: who may do what to an
appeal (the whole loop of DESIGN.md §3), to a dialogue session and to a celebration, and in which
status. Services check the locked row against these tables and take the new status from them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from enterprises.models import (
    Appeal,
    CelebrationStatus,
    CoHandling,
    DialogueSession,
    Extension,
    Membership,
    SessionStatus,
)
from enterprises.models import Status as S
from portal.lifecycle import Lifecycle, Transition, fact, system
from portal.models import Role, User


def _parts(appeal: Appeal) -> dict[int, bool]:
    """Co-handling departments of the assignment in force → whether their part is still due."""
    if appeal.current_assignment_id is None:
        return {}
    return fact(
        ("parts", appeal.pk, appeal.current_assignment_id),
        lambda: {
            department_id: submitted_at is None
            for department_id, submitted_at in CoHandling.objects.filter(
                assignment_id=appeal.current_assignment_id
            ).values_list("department_id", "submitted_at")
        },
    )


def _extension_pending(appeal: Appeal) -> bool:
    return fact(
        ("extension", appeal.pk),
        Extension.objects.filter(appeal=appeal, status=Extension.Decision.PENDING).exists,
    )


def dispatcher(user: User, appeal: Appeal) -> bool:
    return user.has_role(Role.DISPATCHER, Role.ADMIN)


def lead_handler(user: User, appeal: Appeal) -> bool:
    return (
        user.is_authenticated
        and user.role in (Role.HANDLER, Role.DEPARTMENT_HEAD)
        and user.department_id is not None
        and user.department_id == appeal.lead_department_id
    )


def co_handler(user: User, appeal: Appeal) -> bool:
    return (
        user.is_authenticated
        and user.role in (Role.HANDLER, Role.DEPARTMENT_HEAD)
        and user.department_id in _parts(appeal)
    )


def extension_approver(user: User, appeal: Appeal) -> bool:
    is_head = user.role == Role.DEPARTMENT_HEAD and user.department_id == appeal.lead_department_id
    return is_head or dispatcher(user, appeal)


def enterprise_member(user: User, appeal: Appeal) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.ENTREPRENEUR
        and fact(
            ("member", appeal.enterprise_id, user.pk),
            Membership.objects.filter(
                user=user, enterprise_id=appeal.enterprise_id, status=Membership.Status.VERIFIED
            ).exists,
        )
    )


def leader(user: User, appeal: Appeal) -> bool:
    return user.has_role(Role.LEADER, Role.ADMIN)


# Extra conditions beyond the status; each returns a reason when the action must wait.
def _no_open_question(appeal: Appeal, user: User | None) -> str | None:
    if appeal.awaiting_info:
        return _("A question to the enterprise is still waiting for its answer.")
    return None


def _open_question(appeal: Appeal, user: User | None) -> str | None:
    if not appeal.awaiting_info:
        return _("Nobody is waiting for information on this appeal.")
    return None


def _pending_extension(appeal: Appeal, user: User | None) -> str | None:
    if not _extension_pending(appeal):
        return _("There is no extension request waiting for a decision.")
    return None


def _no_pending_extension(appeal: Appeal, user: User | None) -> str | None:
    if _extension_pending(appeal):
        return _("An extension request is already waiting for a decision.")
    return None


def _part_pending(appeal: Appeal, user: User | None) -> str | None:
    if not _parts(appeal).get(getattr(user, "department_id", None)):
        return _("Your department has already submitted its part.")
    return None


OPEN = (S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED)
HANDLING = (S.ASSIGNED, S.IN_PROGRESS)

APPEAL = Lifecycle(
    (
        Transition("accept", gettext_lazy("Accept"), (S.SUBMITTED,), S.ACCEPTED, dispatcher),
        Transition(
            "reject",
            pgettext_lazy("appeal action", "Reject"),
            (S.SUBMITTED,),
            S.REJECTED,
            dispatcher,
        ),
        Transition("merge", gettext_lazy("Merge"), (S.SUBMITTED,), S.CLOSED, dispatcher),
        Transition("link", gettext_lazy("Link"), (*OPEN, S.CLOSED), None, dispatcher),
        Transition("assign", gettext_lazy("Assign"), (S.ACCEPTED,), S.ASSIGNED, dispatcher),
        Transition("sign", gettext_lazy("Sign for"), (S.ASSIGNED,), S.IN_PROGRESS, lead_handler),
        Transition("return", gettext_lazy("Return"), HANDLING, S.ACCEPTED, lead_handler),
        Transition(
            "request_info",
            gettext_lazy("Ask for information"),
            (S.IN_PROGRESS,),
            None,
            lead_handler,
            _no_open_question,
        ),
        Transition(
            "provide_info",
            gettext_lazy("Provide information"),
            (S.IN_PROGRESS,),
            None,
            enterprise_member,
            _open_question,
        ),
        Transition(
            "submit_part",
            gettext_lazy("Submit our part"),
            HANDLING,
            None,
            co_handler,
            _part_pending,
        ),
        Transition("reply", gettext_lazy("Reply"), (S.IN_PROGRESS,), S.REPLIED, lead_handler),
        Transition("rate", gettext_lazy("Rate"), (S.REPLIED,), None, enterprise_member),
        Transition(
            "extend",
            gettext_lazy("Ask for an extension"),
            HANDLING,
            None,
            lead_handler,
            _no_pending_extension,
        ),
        Transition(
            "approve_extension",
            gettext_lazy("Approve the extension"),
            HANDLING,
            None,
            extension_approver,
            _pending_extension,
        ),
        Transition(
            "decline_extension",
            gettext_lazy("Decline the extension"),
            HANDLING,
            None,
            extension_approver,
            _pending_extension,
        ),
        Transition("supervise", gettext_lazy("Supervise"), OPEN, None, leader),
        Transition(
            "callback", gettext_lazy("Record a call-back"), (S.REPLIED, S.CLOSED), None, dispatcher
        ),
        Transition("auto_close", gettext_lazy("Close unrated"), (S.REPLIED,), S.CLOSED, system),
    ),
    denied=gettext_lazy("Your role cannot do this on this appeal: %(action)s."),
    conflict=gettext_lazy(
        "This appeal is “%(status)s” now, so “%(action)s” is not possible. "
        "Reload the page to see what changed."
    ),
)


# --- dialogue sessions (亲清半月谈) ----------------------------------------------------------


def organiser(user: User | None, session: DialogueSession | None = None) -> bool:
    return user is not None and user.has_role(Role.DISPATCHER, Role.ADMIN)


def invitee(user: User | None, session: DialogueSession | None = None) -> bool:
    return user is not None and user.is_authenticated and user.role == Role.ENTREPRENEUR


P, H, SUMMARISED = SessionStatus.PLANNED, SessionStatus.HELD, SessionStatus.SUMMARISED

# The whole life of a session; only "hold" and "summarise" change its status.
SESSION = Lifecycle(
    (
        Transition("edit", gettext_lazy("Edit the session"), (P, H), None, organiser),
        Transition("invite", gettext_lazy("Invite an entrepreneur"), (P,), None, organiser),
        Transition("answer", gettext_lazy("Answer the invitation"), (P,), None, invitee),
        Transition("experts", gettext_lazy("Change the experts"), (P, H), None, organiser),
        Transition("hold", gettext_lazy("Mark as held"), (P,), H, organiser),
        Transition("record_need", gettext_lazy("Record a need"), (H, SUMMARISED), None, organiser),
        Transition("summarise", gettext_lazy("Write the minutes"), (H,), SUMMARISED, organiser),
    ),
    denied=gettext_lazy("Your role cannot do this on a dialogue session: %(action)s."),
    conflict=gettext_lazy(
        "This session is “%(status)s” now, so “%(action)s” is not possible. "
        "Reload the page to see what changed."
    ),
)


# --- celebrations (企业亮灯日) --------------------------------------------------------------

CELEBRATION_DECIDERS = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)


def celebration_decider(user: User | None, celebration=None) -> bool:
    return user is not None and user.has_role(*CELEBRATION_DECIDERS)


REQUESTED = (CelebrationStatus.REQUESTED,)

CELEBRATION = Lifecycle(
    (
        Transition(
            "approve",
            gettext_lazy("Approve"),
            REQUESTED,
            CelebrationStatus.APPROVED,
            celebration_decider,
        ),
        Transition(
            "decline",
            gettext_lazy("Decline"),
            REQUESTED,
            CelebrationStatus.DECLINED,
            celebration_decider,
        ),
    ),
    denied=gettext_lazy("Only dispatchers and leaders decide on celebrations."),
    conflict=gettext_lazy("This celebration was already decided (“%(status)s”). Reload the page."),
)
