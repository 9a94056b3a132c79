"""Reads of the alliances: who may see and edit, scoped lists, one alliance's parts, coverage."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from alliances.models import EDITOR_ROLES, READER_ROLES, Alliance, AllianceKind
from portal.models import User


def can_see(user: User) -> bool:
    """Whether ``user`` reads alliances at all (lists answer 403 otherwise)."""
    return user.is_authenticated and user.has_role(*READER_ROLES)


def can_edit(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*EDITOR_ROLES))


def alliances(user: User) -> QuerySet[Alliance]:
    """The alliances ``user`` sees, with their lead village and kinds (three queries)."""
    return (
        Alliance.objects.visible_to(user)
        .select_related("lead_village")
        .prefetch_related(Prefetch("kinds", queryset=AllianceKind.objects.order_by("kind")))
        .order_by("name", "pk")
    )
