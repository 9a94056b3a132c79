"""Writes of the xiangxian registry; everything is importable from here."""

from xiangxian.services.events import (
    event_create,
    event_reminders_sweep,
    event_update,
    invitation_answer,
    invitation_check_in,
    invitation_itinerary_update,
    invitation_opt_out,
    invitations_send,
    programme_item_add,
    programme_item_update,
)
from xiangxian.services.people import (
    Duplicate,
    DuplicateSuspected,
    duplicates_of,
    xiangxian_create,
    xiangxian_merge,
    xiangxian_merge_undo,
    xiangxian_update,
)
from xiangxian.services.searches import saved_search_delete, saved_search_save

__all__ = [
    "event_create",
    "event_reminders_sweep",
    "event_update",
    "invitation_answer",
    "invitation_check_in",
    "invitation_itinerary_update",
    "invitation_opt_out",
    "invitations_send",
    "programme_item_add",
    "programme_item_update",
    "Duplicate",
    "DuplicateSuspected",
    "duplicates_of",
    "saved_search_delete",
    "saved_search_save",
    "xiangxian_create",
    "xiangxian_merge",
    "xiangxian_merge_undo",
    "xiangxian_update",
]
