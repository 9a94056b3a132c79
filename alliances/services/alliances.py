"""Writes of the alliances themselves: entering and changing one (with its kinds), and its member
villages joining and leaving.

Each write is one transaction with its audit row; only the office writes
(``services._common.require_editor``). A change based on an old version is a ``Conflict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from alliances.models import Alliance, AllianceKind, Kind, Membership, MembershipRole
from alliances.services._common import date_of, raise_if, require_editor, village_of
from portal.exceptions import Conflict
from portal.models import AuditLog, User
from portal.services import audit_record
from portal.validators import clean_text

FIELDS = ("name", "founded_on", "lead_village", "description", "status")


def _clean(data: Mapping) -> tuple[dict, list[str]]:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "name": clean_text(
            data.get("name"),
            field="name",
            max_length=100,
            required=_("Enter the alliance's name."),
            errors=errors,
        ),
        "founded_on": date_of(
            data.get("founded_on"),
            field="founded_on",
            errors=errors,
            required=_("Enter the day the alliance was founded."),
        ),
        "lead_village": village_of(data.get("lead_village"), field="lead_village", errors=errors),
        "description": clean_text(
            data.get("description"), field="description", max_length=4000, errors=errors
        ),
        "status": str(data.get("status") or Alliance.Status.ACTIVE),
    }
    if cleaned["status"] not in Alliance.Status.values:
        errors.setdefault("status", []).append(_("Choose a status from the list."))
    kinds = data.get("kinds") or []
    if isinstance(kinds, str):
        kinds = [kinds]
    kinds = sorted({str(kind) for kind in kinds})
    if not kinds:
        errors.setdefault("kinds", []).append(_("Choose at least one kind."))
    elif any(kind not in Kind.values for kind in kinds):
        errors.setdefault("kinds", []).append(_("Choose kinds from the list."))
    raise_if(errors)
    return cleaned, kinds


def _name_taken() -> ValidationError:
    return ValidationError({"name": [_("An alliance of this name is already recorded.")]})


def alliance_create(*, actor: User, data: Mapping) -> Alliance:
    """Enter an alliance with its kinds; its lead village becomes its first member (role lead,
    from the founding day). Names are unique."""
    require_editor(actor)
    cleaned, kinds = _clean(data)
    if Alliance.objects.filter(name=cleaned["name"]).exists():
        raise _name_taken()
    try:
        with transaction.atomic():
            alliance = Alliance.objects.create(created_by=actor, **cleaned)
            AllianceKind.objects.bulk_create(
                AllianceKind(alliance=alliance, kind=kind) for kind in kinds
            )
            Membership.objects.create(
                alliance=alliance,
                region=cleaned["lead_village"],
                role=MembershipRole.LEAD,
                joined_on=cleaned["founded_on"],
            )
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE,
                target=alliance,
                fields=[*(f for f in FIELDS if cleaned[f] not in ("", None)), "kinds"],
            )
    except IntegrityError as exc:  # a colleague entered the same name meanwhile
        raise _name_taken() from exc
    return alliance


def alliance_update(*, actor: User, alliance: Alliance | int, data: Mapping, version: int):
    """Change an alliance from a form based on ``version``. A colleague's change saved since
    then is never overwritten: that is a ``Conflict``, and nothing is written. The members are
    not touched (a new lead village joins through ``membership_add``)."""
    require_editor(actor)
    cleaned, kinds = _clean(data)
    pk = alliance.pk if isinstance(alliance, Alliance) else alliance
    try:
        with transaction.atomic():
            locked = Alliance.objects.select_for_update().get(pk=pk)
            if locked.version != version:
                raise Conflict(
                    _(
                        "Someone changed this alliance after you opened it. Reload it and apply "
                        "your change again."
                    )
                )
            changed = [name for name in FIELDS if getattr(locked, name) != cleaned[name]]
            old_kinds = sorted(locked.kinds.values_list("kind", flat=True))
            if old_kinds != kinds:
                locked.kinds.exclude(kind__in=kinds).delete()
                AllianceKind.objects.bulk_create(
                    AllianceKind(alliance=locked, kind=kind)
                    for kind in kinds
                    if kind not in old_kinds
                )
                changed.append("kinds")
            if not changed:
                return locked
            for name in changed:
                if name != "kinds":
                    setattr(locked, name, cleaned[name])
            locked.version = F("version") + 1
            locked.save()
            locked.refresh_from_db()
            audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
    except IntegrityError as exc:
        raise _name_taken() from exc
    return locked


def membership_add(
    *,
    actor: User,
    alliance: Alliance,
    region,
    joined_on: dt.date | str,
    role: str = MembershipRole.MEMBER,
) -> Membership:
    """A village joins ``alliance`` on ``joined_on``; a village is an open member once at most
    (a village that left may join again)."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    village = village_of(region, field="region", errors=errors)
    joined = date_of(joined_on, field="joined_on", errors=errors, required=_("Enter a date."))
    if role not in MembershipRole.values:
        errors.setdefault("role", []).append(_("Choose a role from the list."))
    raise_if(errors)
    already = ValidationError(
        {"region": [_("%(name)s is already a member of this alliance.") % {"name": village.name}]}
    )
    try:
        with transaction.atomic():
            Alliance.objects.select_for_update().filter(pk=alliance.pk).exists()
            if Membership.objects.filter(
                alliance=alliance, region=village, left_on__isnull=True
            ).exists():
                raise already
            membership = Membership.objects.create(
                alliance=alliance, region=village, joined_on=joined, role=role
            )
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE,
                target=membership,
                fields=["region", "role", "joined_on"],
            )
    except IntegrityError as exc:  # the same village added by a colleague meanwhile
        raise already from exc
    return membership


def membership_leave(*, actor: User, membership: Membership | int, left_on: dt.date | str):
    """A member village leaves on ``left_on`` (not before it joined); leaving twice is a
    ``Conflict``."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    left = date_of(left_on, field="left_on", errors=errors, required=_("Enter a date."))
    raise_if(errors)
    pk = membership.pk if isinstance(membership, Membership) else membership
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=pk)
        if locked.left_on is not None:
            raise Conflict(_("This village has already left the alliance."))
        if left < locked.joined_on:
            raise ValidationError(
                {"left_on": [_("A village cannot leave before the day it joined.")]}
            )
        locked.left_on = left
        locked.save(update_fields=["left_on"])
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=["left_on"])
    return locked
