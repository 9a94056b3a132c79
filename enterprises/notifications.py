"""The app's kinds of notification and what the notification centre calls each.

They are registered with ``portal.registry.register_notification_kind`` (``registrations``) and
stored namespaced: ``assigned`` is ``enterprises.assigned``. The services name a kind by
``kind("assigned")``.
"""

from django.utils.translation import gettext_lazy as _

APP = "enterprises"

KIND_LABELS = {
    "membership_requested": _("Membership request"),
    "membership_verified": _("Membership verified"),
    "membership_rejected": _("Membership rejected"),
    "submitted": _("New appeal"),
    "accepted": _("Appeal accepted"),
    "rejected": _("Appeal not accepted"),
    "merged": _("Appeal merged"),
    "assigned": _("Assignment"),
    "co_assigned": _("Co-handling"),
    "returned": _("Appeal returned"),
    "info_requested": _("Question"),
    "info_provided": _("Answer from the enterprise"),
    "part_submitted": _("Co-handling part"),
    "replied": _("Reply"),
    "rehandle": _("Sent back for re-handling"),
    "rated": _("Rating"),
    "extension_requested": _("Extension request"),
    "extension_decided": _("Extension decision"),
    "supervised": _("Supervision"),
    "closed": _("Appeal closed"),
    "reminder": _("Deadline reminder"),
    "digest": _("Overdue digest"),
    "session_invited": _("Session invitation"),
    "session_answered": _("Invitation answered"),
    "session_changed": _("Session changed"),
    "session_host": _("Session to host"),
    "session_reminder": _("Session tomorrow"),
    "celebration_requested": _("Light-up request"),
    "celebration_decided": _("Light-up decision"),
}


def kind(name: str) -> str:
    """The stored kind of the app's notification ``name`` (one of ``KIND_LABELS``)."""
    if name not in KIND_LABELS:
        raise ValueError(f"{APP} has no notification kind {name!r}.")
    return f"{APP}.{name}"
