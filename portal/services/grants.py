"""Granting and revoking roles with a scope (``RoleGrant``), each change in the audit trail."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.models import AuditLog, Department, Region, RoleGrant, User
from portal.models.users import DEPARTMENT_ROLES, REGION_ROLES
from portal.services.audit import audit_record


def check_scope(role: str, department: Department | None, region: Region | None) -> None:
    """Raise ``ValidationError`` unless the scope is what ``role`` takes."""
    if role in DEPARTMENT_ROLES:
        if department is None or region is not None:
            raise ValidationError({"department": _("This role needs a department.")})
    elif role in REGION_ROLES:
        level = REGION_ROLES[role]
        if region is None or department is not None:
            raise ValidationError({"region": _("This role needs a region.")})
        if region.level != level:
            raise ValidationError(
                {
                    "region": _("This role is held in a %(level)s.")
                    % {"level": Region.Level(level).label}
                }
            )
    elif department is not None or region is not None:
        raise ValidationError({"role": _("This role is city-wide: it takes no scope.")})


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: str,
    actor: User | None,
    department: Department | None = None,
    region: Region | None = None,
    request=None,
) -> RoleGrant:
    """Give ``user`` ``role`` in ``department`` or ``region`` (as the role requires). Granting
    what the user already holds raises ``ValidationError`` and changes nothing."""
    check_scope(role, department, region)
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user, role=role, department=department, region=region, granted_by=actor
            )
    except IntegrityError as error:
        raise ValidationError(_("The user already holds this role here.")) from error
    audit_record(
        actor=actor,
        action=AuditLog.Action.GRANT,
        target=user,
        fields=["role"],
        note=str(grant),
        request=request,
    )
    user.__dict__.pop("grants", None)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor: User | None, request=None) -> None:
    """Take the grant back; the audit row keeps what it was."""
    user, text = grant.user, str(grant)
    grant.delete()
    audit_record(
        actor=actor,
        action=AuditLog.Action.REVOKE,
        target=user,
        fields=["role"],
        note=text,
        request=request,
    )
    user.__dict__.pop("grants", None)
