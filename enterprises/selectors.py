"""Reads for enterprises and memberships."""

from enterprises.models import Enterprise, Membership
from portal.models import Role, User
from portal.selectors import home_contributor


def memberships_pending_for(user: User):
    return (
        Membership.objects.visible_to(user)
        .pending()
        .select_related("user", "enterprise", "enterprise__region")
        .order_by("requested_at", "id")
    )


def memberships_of(user: User):
    return Membership.objects.filter(user=user).select_related("enterprise", "enterprise__region")


@home_contributor
def home_panels(user: User) -> dict:
    if user.role == Role.ENTREPRENEUR:
        memberships = list(memberships_of(user))
        return {
            "memberships": memberships,
            "has_verified_membership": any(
                m.status == Membership.Status.VERIFIED for m in memberships
            ),
        }
    if user.has_role(Role.DISPATCHER, Role.ADMIN, Role.LEADER):
        pending = memberships_pending_for(user)
        return {
            "pending_memberships": list(pending[:5]),
            "pending_membership_count": pending.count(),
            "enterprise_count": Enterprise.objects.visible_to(user).count(),
        }
    return {}
