"""Writes of what people give back (反哺): recording a contribution with its evidence, correcting
it, attaching more evidence. Each write is audited in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Attachment, AuditLog, Region, User
from portal.services import audit_record
from portal.services.attachments import attachment_add
from portal.validators import clean_text
from xiangxian.models import Contribution, ContributionKind, Xiangxian
from xiangxian.services._common import date_of, money, require_editor

FIELDS = (
    "kind",
    "title",
    "region",
    "made_on",
    "amount_yuan",
    "quantity",
    "unit",
    "income_added_yuan",
    "collective_income_yuan",
    "description",
)
# Evidence is documents and photos (PDF, images, Office), at most this many per save.
MAX_FILES = 5


def _clean(data: Mapping) -> dict:
    """The contribution's fields from ``data``, checked as the form checks them; every problem
    at once, keyed by field, in the user's language."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    cleaned["kind"] = data.get("kind") or ""
    if cleaned["kind"] not in ContributionKind.values:
        errors["kind"] = [_("Choose one of the listed kinds.")]
    cleaned["title"] = clean_text(
        data.get("title"),
        field="title",
        max_length=100,
        required=_("Say in a few words what was given."),
        errors=errors,
    )
    region = data.get("region")
    if not isinstance(region, Region):
        region = Region.objects.filter(pk=region).first() if str(region or "").isdigit() else None
    if region is None or region.level not in (Region.Level.TOWNSHIP, Region.Level.VILLAGE):
        errors["region"] = [_("Choose the village or township that benefits.")]
    cleaned["region"] = region
    cleaned["made_on"] = date_of(
        data.get("made_on"), field="made_on", errors=errors, required=_("Enter the date.")
    )
    cleaned["amount_yuan"] = money(data.get("amount_yuan"), field="amount_yuan", errors=errors)
    cleaned["quantity"] = money(
        data.get("quantity"), field="quantity", errors=errors, positive=True
    )
    cleaned["unit"] = clean_text(data.get("unit"), field="unit", max_length=20, errors=errors)
    for name in ("income_added_yuan", "collective_income_yuan"):
        cleaned[name] = money(data.get(name), field=name, errors=errors)
    cleaned["description"] = clean_text(
        data.get("description"), field="description", max_length=4000, errors=errors
    )
    if not errors:
        if cleaned["amount_yuan"] is None and cleaned["quantity"] is None:
            errors["amount_yuan"] = [_("Give the amount in yuan, or a quantity with its unit.")]
        if cleaned["quantity"] is not None and not cleaned["unit"]:
            errors["unit"] = [_("Give the unit of the quantity, e.g. t.")]
        if cleaned["unit"] and cleaned["quantity"] is None:
            errors["quantity"] = [_("Give the quantity the unit is for.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _attach(contribution: Contribution, files: Iterable, actor: User) -> list[Attachment]:
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"files": [_("Attach at most %(n)d files at a time.") % {"n": MAX_FILES}]}
        )
    attached = []
    for upload in files:
        try:
            attached.append(attachment_add(obj=contribution, upload=upload, actor=actor))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
    return attached


def contribution_create(
    *, actor: User, xiangxian: Xiangxian, data: Mapping, files: Iterable = ()
) -> Contribution:
    """Record what ``xiangxian`` gave, with its evidence: all of it, or nothing if a file is
    refused."""
    require_editor(actor)
    cleaned = _clean(data)
    if xiangxian.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another; record it there."))
    with transaction.atomic():
        contribution = Contribution.objects.create(
            xiangxian=xiangxian, recorded_by=actor, **cleaned
        )
        attached = _attach(contribution, files, actor)
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=contribution,
            fields=[name for name in FIELDS if cleaned[name] not in ("", None)]
            + (["files"] if attached else []),
        )
    return contribution


def contribution_update(
    *, actor: User, contribution: Contribution, data: Mapping, files: Iterable = ()
) -> Contribution:
    """Correct a contribution and attach more evidence; the audit row names what changed."""
    require_editor(actor)
    cleaned = _clean(data)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        changed = [name for name in FIELDS if getattr(locked, name) != cleaned[name]]
        for name in changed:
            setattr(locked, name, cleaned[name])
        if changed:
            locked.save(update_fields=changed)
        attached = _attach(locked, files, actor)
        if changed or attached:
            audit_record(
                actor=actor,
                action=AuditLog.Action.UPDATE,
                target=locked,
                fields=changed + (["files"] if attached else []),
                note=", ".join(a.name for a in attached),
            )
    return locked


@transaction.atomic
def contribution_attach(
    *, actor: User, contribution: Contribution, files: Iterable
) -> list[Attachment]:
    """Attach evidence to a contribution (checked by content); audited."""
    require_editor(actor)
    attached = _attach(contribution, files, actor)
    if not attached:
        raise ValidationError({"files": [_("Choose a file to attach.")]})
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        target=contribution,
        fields=["files"],
        note=", ".join(a.name for a in attached),
    )
    return attached
