"""Reads of the enterprises app: scoping, lists and panels."""

from enterprises.selectors.appeals import (
    appeal_for,
    appeals_for,
    department_inbox,
    dispatcher_inbox,
    due_state,
    pending_extensions_for,
    tallied_size,
    timeline,
)
from enterprises.selectors.directory import memberships_of, memberships_pending_for

__all__ = [
    "appeal_for",
    "appeals_for",
    "department_inbox",
    "dispatcher_inbox",
    "due_state",
    "memberships_of",
    "memberships_pending_for",
    "pending_extensions_for",
    "tallied_size",
    "timeline",
]
