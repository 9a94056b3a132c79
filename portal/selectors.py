"""Reads of the shared core, and the home page that every app contributes panels to."""

from collections.abc import Callable

from django.db.models import Count

from portal.models import AuditLog, CalendarYear, Department, Notification, Role, User

HomeContributor = Callable[[User], dict]
_home_contributors: list[HomeContributor] = []


def home_contributor(fn: HomeContributor) -> HomeContributor:
    """Register a function that adds an app's panels to the role home pages (see apps.ready)."""
    if fn not in _home_contributors:
        _home_contributors.append(fn)
    return fn


def covered_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def home_context(user: User) -> dict:
    """Everything a role's home page shows; the template is chosen by role."""
    role = "admin" if user.is_superuser else user.role
    context: dict = {
        "template_role": role,
        "recent_notifications": list(
            Notification.objects.visible_to(user).select_related("target_type")[:5]
        ),
    }
    if role in (Role.HANDLER, Role.DEPARTMENT_HEAD) and user.department_id:
        context["colleagues"] = list(
            User.objects.filter(department_id=user.department_id, is_active=True)
            .exclude(pk=user.pk)
            .order_by("role", "name")
        )
    if role in (Role.LEADER, Role.ADMIN, Role.DISPATCHER):
        context["department_count"] = Department.objects.active().count()
    if role == Role.ADMIN:
        counts = {
            row["role"]: row["n"]
            for row in User.objects.filter(is_active=True).values("role").annotate(n=Count("id"))
        }
        context["users_by_role"] = [(label, counts.get(value, 0)) for value, label in Role.choices]
        context["recent_audit"] = list(
            AuditLog.objects.visible_to(user).select_related("actor")[:8]
        )
    for contributor in _home_contributors:
        context.update(contributor(user))
    return context
