"""portal.lifecycle: a table refuses a wrong actor (403) before a wrong moment (409), offers
each actor only what would succeed, and its registry runs only the table's actions."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from portal.exceptions import Conflict
from portal.lifecycle import ActionRegistry, Lifecycle, Transition, system


def boss(user, obj):
    return user == "boss"


def anyone(user, obj):
    return user is not None


def not_locked(obj, user):
    return "It is locked." if obj.locked else None


DOOR = Lifecycle(
    (
        Transition("open", "Open", ("shut",), "open", anyone, not_locked),
        Transition("lock", "Lock", ("shut",), None, boss),
        Transition("shut", "Shut", ("open",), "shut", anyone),
        Transition("decay", "Decay", ("open", "shut"), "gone", system),
    ),
    denied="You cannot %(action)s.",
    conflict="The door is %(status)s, so %(action)s is not possible.",
)


def door(status="shut", locked=False):
    return SimpleNamespace(status=status, locked=locked)


def test_a_transition_not_allowed_from_a_status_is_a_conflict():
    with pytest.raises(Conflict) as raised:
        DOOR.check(door("open"), "guest", "open")
    assert str(raised.value) == "The door is open, so Open is not possible."


def test_a_wrong_actor_is_refused_before_the_status_is_looked_at():
    with pytest.raises(PermissionDenied, match="You cannot Lock."):
        DOOR.check(door("open"), "guest", "lock")


def test_an_extra_check_gives_its_own_reason():
    with pytest.raises(Conflict, match="It is locked."):
        DOOR.check(door(locked=True), "guest", "open")
    assert DOOR.check(door(), "guest", "open").target == "open"


def test_available_per_actor_leaves_out_the_machine_and_waiting_steps():
    assert DOOR.available(door(), "boss") == ["open", "lock"]
    assert DOOR.available(door(), "guest") == ["open"]
    assert DOOR.available(door(locked=True), "guest") == []
    assert DOOR.available(door("open"), "guest") == ["shut"]
    DOOR.check(door(), None, "decay")  # the machine may


def test_target_comes_from_the_table():
    assert DOOR.target("shut") == "shut"
    with pytest.raises(ValueError):
        DOOR.target("lock")


def test_the_registry_runs_the_service_of_a_transition_only():
    actions = ActionRegistry(DOOR, subject="door")
    calls = []
    actions.register_action("shut", service=lambda *, door, actor: calls.append((door, actor)))
    actions.run("shut", "d", "guest")
    assert calls == [("d", "guest")]
    assert [entry.name for entry in actions] == ["shut"]
    with pytest.raises(ValueError):
        actions.register_action("fly", service=print)
    with pytest.raises(ValueError):
        actions.register_action("shut", service=print)
