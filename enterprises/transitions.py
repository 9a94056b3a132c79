"""Who may do what to an appeal, and in which status: the whole loop of DESIGN.md §3 in one table.

Services call :func:`check` on the locked row before they change anything; pages and the API
call :func:`available` to show only the actions that would succeed. A wrong role raises
``PermissionDenied`` (403); a right role at the wrong moment raises ``Conflict`` (409).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from enterprises.models import Appeal, CoHandling, Extension, Membership
from enterprises.models import Status as S
from portal.exceptions import Conflict
from portal.models import Role, User

Rule = Callable[[User, Appeal], bool]

# While :func:`available` asks every rule about one appeal, the facts the rules read from the
# database are read once and remembered here; :func:`check` always reads them fresh.
_facts: ContextVar[dict | None] = ContextVar("transition_facts", default=None)


def _fact(key: tuple, read: Callable[[], object]):
    memo = _facts.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _parts(appeal: Appeal) -> dict[int, bool]:
    """Co-handling departments of the assignment in force → whether their part is still due."""
    if appeal.current_assignment_id is None:
        return {}
    return _fact(
        ("parts", appeal.pk, appeal.current_assignment_id),
        lambda: {
            department_id: submitted_at is None
            for department_id, submitted_at in CoHandling.objects.filter(
                assignment_id=appeal.current_assignment_id
            ).values_list("department_id", "submitted_at")
        },
    )


def _extension_pending(appeal: Appeal) -> bool:
    return _fact(
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
        and _fact(
            ("member", appeal.enterprise_id, user.pk),
            Membership.objects.filter(
                user=user, enterprise_id=appeal.enterprise_id, status=Membership.Status.VERIFIED
            ).exists,
        )
    )


def leader(user: User, appeal: Appeal) -> bool:
    return user.has_role(Role.LEADER, Role.ADMIN)


def system(user: User | None, appeal: Appeal) -> bool:
    """Only the machine (actor ``None``) closes unrated replies."""
    return user is None


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


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (rate decides by the rating)
    may: Rule
    wait: Callable[[Appeal, User | None], str | None] | None = None


OPEN = (S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED)
HANDLING = (S.ASSIGNED, S.IN_PROGRESS)

TABLE: dict[str, Transition] = {
    t.action: t
    for t in (
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
    )
}


def check(appeal: Appeal, user: User | None, action: str) -> Transition:
    """Raise ``PermissionDenied`` or ``Conflict`` unless ``user`` may do ``action`` now."""
    transition = TABLE[action]
    if not transition.may(user, appeal):
        raise PermissionDenied(
            _("Your role cannot do this on this appeal: %(action)s.") % {"action": transition.label}
        )
    if appeal.status not in transition.sources:
        raise Conflict(
            _(
                "This appeal is “%(status)s” now, so “%(action)s” is not possible. "
                "Reload the page to see what changed."
            )
            % {"status": appeal.get_status_display(), "action": transition.label}
        )
    if transition.wait is not None and (reason := transition.wait(appeal, user)):
        raise Conflict(reason)
    return transition


def available(appeal: Appeal, user: User) -> list[str]:
    """The actions ``user`` could take on ``appeal`` right now, in table order.

    Reads each fact the rules need (co-handling parts, a pending extension, membership) once.
    """
    token = _facts.set({})
    try:
        actions = []
        for action, transition in TABLE.items():
            if transition.may is system or appeal.status not in transition.sources:
                continue
            if not transition.may(user, appeal):
                continue
            if transition.wait is not None and transition.wait(appeal, user):
                continue
            actions.append(action)
        return actions
    finally:
        _facts.reset(token)
