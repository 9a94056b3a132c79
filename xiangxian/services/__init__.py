"""Writes of the xiangxian registry; everything is importable from here."""

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
from xiangxian.services.searches import saved_search_delete, saved_search_save

__all__ = [
    "Duplicate",
    "DuplicateSuspected",
    "duplicates_of",
    "saved_search_delete",
    "saved_search_save",
    "xiangxian_clean",
    "xiangxian_create",
    "xiangxian_merge",
    "xiangxian_merge_undo",
    "xiangxian_update",
]
