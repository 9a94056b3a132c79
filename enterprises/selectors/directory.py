"""Reads for the enterprise directory and memberships."""

from enterprises.models import Membership
from portal.models import User


def memberships_pending_for(user: User):
    return (
        Membership.objects.visible_to(user)
        .pending()
        .select_related("user", "enterprise", "enterprise__region")
        .order_by("requested_at", "id")
    )


def memberships_of(user: User):
    return Membership.objects.filter(user=user).select_related("enterprise", "enterprise__region")
