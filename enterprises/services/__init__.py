"""Writes of the enterprises app. Each function keeps one promise atomically or not at all."""

from enterprises.services import appeals
from enterprises.services.appeals import *  # noqa: F403
from enterprises.services.memberships import (
    entrepreneur_register,
    membership_reject,
    membership_request,
    membership_verify,
)

__all__ = [
    "entrepreneur_register",
    "membership_reject",
    "membership_request",
    "membership_verify",
    *appeals.__all__,
]
