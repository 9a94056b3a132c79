"""Writes of the xiangxian registry; everything is importable from here."""

from xiangxian.services.associations import (
    association_create,
    association_member_add,
    association_member_remove,
    association_officer_set,
    association_update,
)
from xiangxian.services.contributions import (
    contribution_attach,
    contribution_create,
    contribution_update,
)
from xiangxian.services.event_reminders import event_reminders_sweep
from xiangxian.services.events import (
    event_create,
    event_update,
    invitation_itinerary_update,
    programme_item_add,
    programme_item_update,
)
from xiangxian.services.invitations import (
    invitation_answer,
    invitation_check_in,
    invitation_opt_out,
    invitations_send,
)
from xiangxian.services.people import (
    Duplicate,
    DuplicateSuspected,
    duplicates_of,
    xiangxian_clean,
    xiangxian_create,
    xiangxian_merge,
    xiangxian_merge_undo,
    xiangxian_update,
)
from xiangxian.services.records import (
    service_record_create,
    service_record_delete,
    service_record_update,
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
    "association_create",
    "association_member_add",
    "association_member_remove",
    "association_officer_set",
    "association_update",
    "contribution_attach",
    "contribution_create",
    "contribution_update",
    "duplicates_of",
    "saved_search_delete",
    "saved_search_save",
    "service_record_create",
    "service_record_delete",
    "service_record_update",
    "xiangxian_clean",
    "xiangxian_create",
    "xiangxian_merge",
    "xiangxian_merge_undo",
    "xiangxian_update",
]
