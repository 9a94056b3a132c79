"""Who may do what to an object, and in which status: one table per kind of object.

An app declares a :class:`Lifecycle` of :class:`Transition` rows (each in its own ``lifecycles`` module).
Services call :meth:`Lifecycle.check` on the locked row before they change anything and take the
new status from :meth:`Lifecycle.target`; pages and the API call :meth:`Lifecycle.available` to
show only the actions that would succeed. A wrong actor raises ``PermissionDenied`` (403); the
right actor at the wrong moment raises ``Conflict`` (409).

An :class:`ActionRegistry` maps each action a person can take to the service that does it and
to the form (pages) and serializer (API) that collect its arguments, so the page and the API
dispatch the same way.
"""

from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from portal.exceptions import Conflict

Rule = Callable[[Any, Any], bool]  # (user, obj) -> may the user do it?
Wait = Callable[[Any, Any], str | None]  # (obj, user) -> why it must wait, or None

# While :meth:`Lifecycle.available` asks every rule about one object, the facts the rules read
# from the database are read once and remembered here; :meth:`Lifecycle.check` reads them fresh.
_facts: ContextVar[dict | None] = ContextVar("lifecycle_facts", default=None)


def fact(key: tuple, read: Callable[[], object]):
    """``read()``, remembered under ``key`` while :meth:`Lifecycle.available` runs."""
    memo = _facts.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def system(user, obj) -> bool:
    """Only the machine (actor ``None``) takes this step; it is never offered to a person."""
    return user is None


@dataclass(frozen=True)
class Transition:
    """One row of a table: ``action`` from any of ``sources`` to ``target`` if ``may`` allows.

    ``target`` ``None`` means the status does not change (or the service decides it, as a
    rating does). ``wait`` returns a reason when the action must wait although the status fits.
    """

    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    may: Rule
    wait: Wait | None = None

    @property
    def automatic(self) -> bool:
        return self.may is system


class Lifecycle:
    """A transition table with the messages its refusals carry.

    ``denied`` and ``conflict`` are (lazy) message templates; they may use ``%(action)s`` (the
    transition's label) and ``%(status)s`` (the object's status as displayed).
    """

    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        denied: str,
        conflict: str,
        status_field: str = "status",
    ):
        self.table: dict[str, Transition] = {}
        for transition in transitions:
            if transition.action in self.table:
                raise ValueError(f"Transition {transition.action!r} is declared twice.")
            self.table[transition.action] = transition
        self.denied = denied
        self.conflict = conflict
        self.status_field = status_field

    def __getitem__(self, action: str) -> Transition:
        return self.table[action]

    def __contains__(self, action: str) -> bool:
        return action in self.table

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.table.values())

    def target(self, action: str) -> str:
        """The status ``action`` leads to (a ``KeyError`` or ``ValueError`` if it has none)."""
        target = self.table[action].target
        if target is None:
            raise ValueError(f"Transition {action!r} does not change the status.")
        return target

    def _status(self, obj) -> str:
        return getattr(obj, self.status_field)

    def _context(self, obj, transition: Transition) -> dict:
        display = getattr(obj, f"get_{self.status_field}_display", None)
        return {
            "action": transition.label,
            "status": display() if display else self._status(obj),
        }

    def check(self, obj, user, action: str) -> Transition:
        """Raise ``PermissionDenied`` or ``Conflict`` unless ``user`` may do ``action`` now."""
        transition = self.table[action]
        if not transition.may(user, obj):
            raise PermissionDenied(self.denied % self._context(obj, transition))
        if self._status(obj) not in transition.sources:
            raise Conflict(self.conflict % self._context(obj, transition))
        if transition.wait is not None and (reason := transition.wait(obj, user)):
            raise Conflict(reason)
        return transition

    def allowed(self, user, action: str, obj=None) -> bool:
        """Whether ``user``'s role could ever do ``action`` (rules that need no object)."""
        return self.table[action].may(user, obj)

    def check_actor(self, user, action: str) -> None:
        """Raise ``PermissionDenied`` unless ``user`` may do ``action`` at all; lets a service
        refuse a wrong actor before it locks (and waits for) any row."""
        transition = self.table[action]
        if not transition.may(user, None):
            raise PermissionDenied(self.denied % {"action": transition.label, "status": ""})

    def available(self, obj, user) -> list[str]:
        """The actions ``user`` could take on ``obj`` right now, in table order.

        Each fact the rules read through :func:`fact` is read once.
        """
        token = _facts.set({})
        try:
            status = self._status(obj)
            actions = []
            for action, transition in self.table.items():
                if transition.automatic or status not in transition.sources:
                    continue
                if not transition.may(user, obj):
                    continue
                if transition.wait is not None and transition.wait(obj, user):
                    continue
                actions.append(action)
            return actions
        finally:
            _facts.reset(token)


@dataclass(frozen=True)
class Action:
    """What a person's action runs: ``service(<object>=obj, actor=user, **arguments)``."""

    name: str
    service: Callable
    form: type | None = None
    serializer: type | None = None
    done: str = ""  # what the page says once it is done


class ActionRegistry:
    """The actions of one lifecycle, each with its service, form and serializer.

    Filled by the app at import time (``register_action``); read by its pages and its API.
    Every registered action must be a transition of the lifecycle.
    """

    def __init__(self, lifecycle: Lifecycle, *, subject: str):
        self.lifecycle = lifecycle
        self.subject = subject  # the service's keyword for the object: ``appeal=...``
        self._actions: dict[str, Action] = {}

    def register_action(
        self,
        name: str,
        *,
        service: Callable,
        form: type | None = None,
        serializer: type | None = None,
        done: str = "",
    ) -> Action:
        if name not in self.lifecycle:
            raise ValueError(f"{name!r} is not a transition of this lifecycle.")
        if name in self._actions:
            raise ValueError(f"Action {name!r} is registered twice.")
        entry = Action(name, service, form, serializer, done)
        self._actions[name] = entry
        return entry

    def __getitem__(self, name: str) -> Action:
        return self._actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def __iter__(self) -> Iterator[Action]:
        return iter(self._actions.values())

    def get(self, name: str) -> Action | None:
        return self._actions.get(name)

    def run(self, name: str, obj, actor, **arguments):
        """Run the service of ``name`` on ``obj`` for ``actor``."""
        return self._actions[name].service(**{self.subject: obj}, actor=actor, **arguments)
