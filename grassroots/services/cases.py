"""Writes of the typical-case library: drafting and changing a case (with its photos and the
people involved), and its steps draft → recommended → published (one transition table)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.models import CASE_OFFICE, CasePhoto, CaseReference, CaseStatus, TypicalCase
from grassroots.models.units import county_of
from portal import registry
from portal.exceptions import Conflict
from portal.files import ALLOWED, IMAGE_TYPES, check_uploads, store_upload
from portal.models import AuditLog, Role, User
from portal.services.audit import audit_record

PHOTO_TYPES = {ext: mime for ext, mime in ALLOWED.items() if mime in IMAGE_TYPES}
MAX_PHOTOS = 9
MAX_TAGS = 10


@dataclass(frozen=True)
class Step:
    name: str
    label: object
    source: str
    target: str
    # "county": the case's county staff or the office; "office": the office only.
    who: str


STEPS = {
    "recommend": Step(
        "recommend", gettext_lazy("Recommend"), CaseStatus.DRAFT, CaseStatus.RECOMMENDED, "county"
    ),
    "publish": Step(
        "publish", gettext_lazy("Publish"), CaseStatus.RECOMMENDED, CaseStatus.PUBLISHED, "office"
    ),
}


def is_case_office(user: User) -> bool:
    return user.has_role(*CASE_OFFICE)


def keeps_county(user: User, county) -> bool:
    """County staff of ``county`` (the ones who draft and recommend its cases)."""
    return county is not None and county.code in user.region_codes(Role.COUNTY_STAFF)


def can_draft(user: User) -> bool:
    return is_case_office(user) or user.has_role(Role.COUNTY_STAFF)


def can_edit_case(user: User, case: TypicalCase) -> bool:
    """The office changes any case; county staff their county's until it is published."""
    if is_case_office(user):
        return True
    return case.status != CaseStatus.PUBLISHED and keeps_county(user, case.county)


def may_take(user: User, case: TypicalCase, step: Step) -> bool:
    if step.who == "office":
        return is_case_office(user)
    return is_case_office(user) or keeps_county(user, case.county)


def available_steps(user: User, case: TypicalCase) -> list[Step]:
    return [s for s in STEPS.values() if s.source == case.status and may_take(user, case, s)]


def clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.replace("，", ",").split(",")
    cleaned = []
    for tag in tags or ():
        tag = str(tag).strip()[:20]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(n)d tags.") % {"n": MAX_TAGS}})
    return cleaned


def check_references(references) -> list[tuple[str, int]]:
    """``[(kind, id)]`` checked against the apps that keep them; an unknown kind or id is
    refused with a message naming it."""
    found, errors = [], []
    wanted: dict[str, set[int]] = {}
    for kind, ref_id in references or ():
        try:
            ref_id = int(ref_id)
        except (TypeError, ValueError):
            errors.append(_("%(id)s is not a number.") % {"id": ref_id})
            continue
        if registry.reference_kind(kind) is None:
            errors.append(_("Unknown kind of person: %(kind)s.") % {"kind": kind})
            continue
        wanted.setdefault(kind, set()).add(ref_id)
    for kind, ids in wanted.items():
        known = registry.reference_kind(kind).labels(ids)
        for ref_id in sorted(ids):
            if ref_id in known:
                found.append((kind, ref_id))
            else:
                errors.append(
                    _("No %(label)s has the id %(id)d.")
                    % {"label": registry.reference_kind(kind).label, "id": ref_id}
                )
    if errors:
        raise ValidationError({"people": errors})
    return found


def _check(data: dict, actor: User) -> dict:
    errors = {}
    for name, message in (
        ("title", _("Enter the title.")),
        ("summary", _("Enter a summary.")),
        ("body", _("Enter the text of the case.")),
    ):
        if not (data.get(name) or "").strip():
            errors[name] = message
    region = data.get("region")
    county = county_of(region) if region is not None else None
    if county is None:
        errors["region"] = _("Choose a county or a place within one.")
    elif not is_case_office(actor) and not keeps_county(actor, county):
        errors["region"] = _("You keep the cases of your own county only.")
    units = list(data.get("units") or ())
    if county is not None and any(unit.county_id != county.pk for unit in units):
        errors["units"] = _("Only units of the case's county can be chosen.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": data["title"].strip(),
        "domain": data["domain"],
        "region": region,
        "summary": data["summary"].strip(),
        "body": data["body"].strip(),
        "tags": clean_tags(data.get("tags")),
        "units": units,
        "references": check_references(data.get("people")),
    }


def _save_related(case: TypicalCase, cleaned: dict, photos, actor: User) -> None:
    case.units.set(cleaned["units"])
    case.references.all().delete()
    CaseReference.objects.bulk_create(
        CaseReference(case=case, kind=kind, ref_id=ref_id) for kind, ref_id in cleaned["references"]
    )
    photos = list(photos or ())
    if photos:
        if case.photos.count() + len(photos) > MAX_PHOTOS:
            raise ValidationError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
        checked = check_uploads(photos, max_count=MAX_PHOTOS, allowed=PHOTO_TYPES)
        for upload, check in zip(photos, checked, strict=True):
            store_upload(CasePhoto(case=case), upload, actor=actor, checked=check)


@transaction.atomic
def case_create(*, actor: User, data: dict, photos=()) -> TypicalCase:
    """Draft a case: county staff for their county, the office for any."""
    if not can_draft(actor):
        raise PermissionDenied(_("County staff and the office draft typical cases."))
    cleaned = _check(data, actor)
    related = {key: cleaned.pop(key) for key in ("units", "references")}
    case = TypicalCase.objects.create(created_by=actor, **cleaned)
    _save_related(case, {**cleaned, **related}, photos, actor)
    audit_record(actor=actor, action=AuditLog.Action.CREATE, note="case_create", target=case)
    return case


@transaction.atomic
def case_update(
    *, actor: User, case: TypicalCase, version: int, data: dict, photos=()
) -> TypicalCase:
    """Change a case; a save based on an older version is a ``Conflict`` (nothing written)."""
    if not can_edit_case(actor, case):
        raise PermissionDenied(_("You cannot change this case."))
    locked = TypicalCase.objects.select_for_update().get(pk=case.pk)
    if locked.version != version:
        raise Conflict()
    cleaned = _check(data, actor)
    related = {key: cleaned.pop(key) for key in ("units", "references")}
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    _save_related(locked, {**cleaned, **related}, photos, actor)
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, note="case_update", target=locked)
    return locked


@transaction.atomic
def case_step(*, actor: User, case: TypicalCase, step: str) -> TypicalCase:
    """Take ``step`` (``recommend``, ``publish``): a wrong role is ``PermissionDenied`` (403),
    a step that does not start from the case's status a ``Conflict`` (409)."""
    found = STEPS.get(step)
    if found is None:
        raise ValidationError({"action": _("Unknown step.")})
    locked = TypicalCase.objects.select_for_update().get(pk=case.pk)
    if not may_take(actor, locked, found):
        raise PermissionDenied(_("You may not take this step."))
    if locked.status != found.source:
        raise Conflict(
            _("A case that is %(status)s cannot be given this step (%(step)s).")
            % {"status": locked.get_status_display(), "step": found.label}
        )
    locked.status = found.target
    now = timezone.now()
    if found.target == CaseStatus.RECOMMENDED:
        locked.recommended_at = now
    if found.target == CaseStatus.PUBLISHED:
        locked.published_at, locked.published_by = now, actor
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, note=found.name, target=locked)
    return locked
