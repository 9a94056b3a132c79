"""Errors that services raise and every interface (page, API, command) turns into one answer."""

from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The action does not fit the object's current state (someone else acted first). HTTP 409."""

    default_message = _(
        "This item was changed by someone else in the meantime. Reload and try again."
    )

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))
