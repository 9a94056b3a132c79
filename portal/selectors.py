"""Reads of the shared core, and the home page that every app contributes panels to."""

from django.db.models import Count
from django.template.loader import select_template

from portal import registry
from portal.models import AuditLog, CalendarYear, Department, Notification, Region, Role, User
from portal.regions import significant_prefix


def covered_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def home_context(user: User) -> dict:
    """Everything a role's home page shows: the portal's blocks, the panels and figures that
    apps register (``portal.registry``); the template is chosen by role."""
    role = "admin" if user.is_superuser else user.role
    panels = registry.home_panels(role)
    context: dict = {
        "template": select_template([f"portal/home/{role}.html", "portal/home/default.html"]),
        "home_panel_templates": [panel.template_for(role) for panel in panels],
        "home_stylesheets": list(
            dict.fromkeys(sheet for panel in panels for sheet in panel.stylesheets)
        ),
        "home_figures": registry.figures_for(user),
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
    for panel in panels:
        if panel.context is not None:
            context.update(panel.context(user))
    return context


REGION_KINDS = {Region.Level.COUNTY: "county", Region.Level.VILLAGE: "village"}


def roles_of(user: User) -> list[dict]:
    """Every grant of ``user`` as ``{"role","scope"}``: scope null for a city-wide role, else
    ``{"kind","id"|"code","name"}`` (department, enterprise, county or village). Two queries
    at most, whatever the number of grants."""
    departments = Department.objects.in_bulk(user.department_ids())
    regions = Region.objects.in_bulk(user.region_ids())
    rows: list[dict] = []
    for grant in user.grants:
        if grant.department_id:
            department = departments[grant.department_id]
            scope = {"kind": "department", "id": department.pk, "name": department.name}
            rows.append({"role": grant.role, "scope": scope})
        elif grant.region_id:
            region = regions[grant.region_id]
            kind = REGION_KINDS.get(region.level, "region")
            # The code as CONTRACT.md writes it: without the trailing zeros of its level
            # (江山市 330881; a village keeps all 12 digits). The API's filters take either.
            code = significant_prefix(region.code)
            scope = {"kind": kind, "code": code, "name": region.name}
            rows.append({"role": grant.role, "scope": scope})
        elif (scopes := registry.grant_scopes(grant.role)) is not None:
            # An app keeps this role's scope; holding it with nothing in scope yet (a pending
            # membership) still lists the role.
            rows += [{"role": grant.role, "scope": scope} for scope in scopes(user)] or [
                {"role": grant.role, "scope": None}
            ]
        else:
            rows.append({"role": grant.role, "scope": None})
    return rows
