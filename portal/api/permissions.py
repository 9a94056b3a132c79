from rest_framework.permissions import BasePermission

from portal.models import Role


def has_role(*roles: str) -> type[BasePermission]:
    """A permission class admitting signed-in users of the given roles (and superusers)."""

    class HasRole(BasePermission):
        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and user.has_role(*roles))

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole


IsStaffRole = has_role(Role.DISPATCHER, Role.LEADER, Role.ADMIN)
