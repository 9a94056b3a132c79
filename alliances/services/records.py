"""Writes of what alliances build and do: village companies (强村公司) and bases (基地), maker
teams, activities and tourism figures per period. Each write is audited in its own transaction;
only the office writes."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alliances.models import (
    Activity,
    ActivityKind,
    Alliance,
    Base,
    MakerTeam,
    TourismFigure,
    VillageCompany,
)
from alliances.periods import Period
from alliances.services._common import (
    count,
    date_of,
    money,
    raise_if,
    require_editor,
    village_of,
)
from portal.models import AuditLog, User
from portal.services import audit_record
from portal.validators import clean_text


def _alliance_of(value, errors: dict, *, required: bool) -> Alliance | None:
    if value in (None, ""):
        if required:
            errors.setdefault("alliance", []).append(_("Choose an alliance."))
        return None
    if isinstance(value, Alliance):
        return value
    found = Alliance.objects.filter(pk=value).first() if str(value).isdigit() else None
    if found is None:
        errors.setdefault("alliance", []).append(_("Choose an alliance."))
    return found


def _save(*, actor: User, instance, cleaned: dict, duplicate: ValidationError):
    """Create ``instance`` (no pk) or write ``cleaned`` into it; one audit row naming the
    fields set or changed. A unique rule broken by a colleague meanwhile is ``duplicate``."""
    creating = instance.pk is None
    # (a new row's unset relation reads as None: RelatedObjectDoesNotExist is an AttributeError)
    changed = [name for name, value in cleaned.items() if getattr(instance, name, None) != value]
    if not creating and not changed:
        return instance
    for name in changed:
        setattr(instance, name, cleaned[name])
    try:
        with transaction.atomic():
            instance.save()
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE if creating else AuditLog.Action.UPDATE,
                target=instance,
                fields=changed,
            )
    except IntegrityError as exc:
        raise duplicate from exc
    return instance


# --- companies and bases ----------------------------------------------------------------------


def _clean_village_record(data: Mapping) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "name": clean_text(
            data.get("name"),
            field="name",
            max_length=100,
            required=_("Enter a name."),
            errors=errors,
        ),
        "village": village_of(data.get("village"), field="village", errors=errors),
        "alliance": _alliance_of(data.get("alliance"), errors, required=False),
        "kind": clean_text(data.get("kind"), field="kind", max_length=50, errors=errors),
        "founded_on": date_of(data.get("founded_on"), field="founded_on", errors=errors),
    }
    raise_if(errors)
    return cleaned


def _village_record_save(model, *, actor, instance, data):
    require_editor(actor)
    cleaned = _clean_village_record(data)
    duplicate = ValidationError(
        {"name": [_("The village already has one of this name.")]}, code="duplicate"
    )
    exists = model.objects.filter(village=cleaned["village"], name=cleaned["name"])
    if instance is not None:
        exists = exists.exclude(pk=instance.pk)
    if exists.exists():
        raise duplicate
    if instance is None:
        instance = model(created_by=actor)
    return _save(actor=actor, instance=instance, cleaned=cleaned, duplicate=duplicate)


def company_save(
    *, actor: User, data: Mapping, company: VillageCompany | None = None
) -> VillageCompany:
    """Enter a village company (强村公司), or change ``company``; names are unique per village."""
    return _village_record_save(VillageCompany, actor=actor, instance=company, data=data)


def base_save(*, actor: User, data: Mapping, base: Base | None = None) -> Base:
    """Enter a base (基地), or change ``base``; names are unique per village."""
    return _village_record_save(Base, actor=actor, instance=base, data=data)


# --- maker teams ------------------------------------------------------------------------------


def maker_team_save(
    *, actor: User, alliance: Alliance, data: Mapping, team: MakerTeam | None = None
) -> MakerTeam:
    """Enter a maker team (创客团队) of ``alliance`` or change ``team``; names unique per
    alliance."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    cleaned = {
        "name": clean_text(
            data.get("name"),
            field="name",
            max_length=100,
            required=_("Enter a name."),
            errors=errors,
        ),
        "members_count": count(data.get("members_count"), field="members_count", errors=errors),
        "projects_landed": count(
            data.get("projects_landed"), field="projects_landed", errors=errors
        ),
        "jobs_created": count(data.get("jobs_created"), field="jobs_created", errors=errors),
        "benefit_yuan": money(data.get("benefit_yuan"), field="benefit_yuan", errors=errors),
    }
    raise_if(errors)
    for name in ("members_count", "projects_landed", "jobs_created", "benefit_yuan"):
        if cleaned[name] is None:
            cleaned[name] = 0
    duplicate = ValidationError({"name": [_("The alliance already has a team of this name.")]})
    exists = MakerTeam.objects.filter(alliance=alliance, name=cleaned["name"])
    if team is not None:
        exists = exists.exclude(pk=team.pk)
    if exists.exists():
        raise duplicate
    return _save(
        actor=actor,
        instance=team or MakerTeam(alliance=alliance),
        cleaned=cleaned,
        duplicate=duplicate,
    )


# --- activities -------------------------------------------------------------------------------


def activity_save(
    *, actor: User, alliance: Alliance, data: Mapping, activity: Activity | None = None
) -> Activity:
    """Record an activity of ``alliance`` (an exchange, a festival such as 三月三, a training),
    or change ``activity``."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or ActivityKind.OTHER)
    if kind not in ActivityKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind from the list."))
    cleaned = {
        "title": clean_text(
            data.get("title"),
            field="title",
            max_length=200,
            required=_("Enter a title."),
            errors=errors,
        ),
        "kind": kind,
        "held_on": date_of(
            data.get("held_on"), field="held_on", errors=errors, required=_("Enter a date.")
        ),
        "place": clean_text(data.get("place"), field="place", max_length=200, errors=errors),
        "participants": count(data.get("participants"), field="participants", errors=errors),
        "description": clean_text(
            data.get("description"), field="description", max_length=4000, errors=errors
        ),
    }
    raise_if(errors)
    return _save(
        actor=actor,
        instance=activity or Activity(alliance=alliance),
        cleaned=cleaned,
        duplicate=ValidationError(_("This activity could not be saved.")),
    )


# --- tourism ----------------------------------------------------------------------------------


def tourism_figure_set(*, actor: User, alliance: Alliance, data: Mapping) -> TourismFigure:
    """Record ``alliance``'s visitors and their spending for a period (2023H1, 2023); a period
    already recorded is changed in place (one row per alliance and period)."""
    require_editor(actor)
    errors: dict[str, list[str]] = {}
    period = None
    try:
        period = Period.parse(data.get("period"))
    except ValueError:
        errors.setdefault("period", []).append(
            _("Enter a period as a year (2023) or a half year (2023H1, 2023H2).")
        )
    cleaned = {
        "visitors": count(
            data.get("visitors"),
            field="visitors",
            errors=errors,
            required=_("Enter the number of visitors."),
        ),
        "consumption_yuan": money(
            data.get("consumption_yuan"),
            field="consumption_yuan",
            errors=errors,
            required=_("Enter the visitors' spending in yuan."),
        ),
    }
    raise_if(errors)
    with transaction.atomic():
        Alliance.objects.select_for_update().filter(pk=alliance.pk).exists()
        instance = TourismFigure.objects.filter(alliance=alliance, period=period.code).first()
        return _save(
            actor=actor,
            instance=instance or TourismFigure(alliance=alliance, period=period.code),
            cleaned=cleaned,
            duplicate=ValidationError({"period": [_("This period is already recorded.")]}),
        )
