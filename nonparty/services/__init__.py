"""Writes of the non-party people's archive; everything is importable from here."""

from nonparty.services.batches import batch_add_people, batch_approve, batch_create
from nonparty.services.evaluation import (
    evaluation_save,
    evaluation_transition,
    scheme_save,
)
from nonparty.services.liaison import liaison_end, liaison_handover, liaison_link
from nonparty.services.people import (
    education_add,
    education_remove,
    growth_record_add,
    person_create,
    person_update,
    post_add,
)
from nonparty.services.talks import talk_plan_set, talk_record, talk_reminders_sweep

__all__ = [
    "batch_add_people",
    "batch_approve",
    "batch_create",
    "education_add",
    "education_remove",
    "growth_record_add",
    "liaison_end",
    "liaison_handover",
    "liaison_link",
    "person_create",
    "person_update",
    "post_add",
    "talk_plan_set",
    "talk_record",
    "talk_reminders_sweep",
    "evaluation_save",
    "evaluation_transition",
    "scheme_save",
]
