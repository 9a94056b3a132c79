"""Writes of the archive's people: entering and changing a person (never twice the same ID
number or mobile number, never over a colleague's edit), their photo, education and posts, and
their growth record. Every write is audited in its own transaction; phone and ID numbers never
reach the audit note, only the names of the fields that changed."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from nonparty.models import GROWTH_MODELS, Education, Person, Post
from nonparty.services._common import checked_save, require_editor, require_recorder
from portal.exceptions import Conflict
from portal.files import IMAGE_TYPES, check_upload, sanitize_name, storage_token
from portal.models import AuditLog, User
from portal.services import audit_record

PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "native_place",
    "phone",
    "id_number",
    "employer",
    "unit_type",
    "position",
    "professional_title",
    "field",
    "cv",
    "status",
)
PHOTO_TYPES = {
    extension: kind
    for extension, kind in {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "webp": "image/webp",
    }.items()
    if kind in IMAGE_TYPES
}
PHOTO_MAX_BYTES = 2 * 1024 * 1024


def _field(name: str):
    return Person._meta.get_field(name)


def _check_unique_numbers(person: Person) -> None:
    """The same ID number or mobile number is one person: refused under the field's name."""
    errors = {}
    others = Person.objects.exclude(pk=person.pk) if person.pk else Person.objects.all()
    if (
        person.id_number
        and others.filter(_field("id_number").blind_index_q(person.id_number)).exists()
    ):
        errors["id_number"] = [_("A person with this ID number is already in the archive.")]
    if person.phone and others.filter(_field("phone").blind_index_q(person.phone)).exists():
        errors["phone"] = [_("A person with this mobile number is already in the archive.")]
    if errors:
        raise ValidationError(errors)


def _set_photo(person: Person, photo) -> None:
    try:
        checked = check_upload(photo, max_bytes=PHOTO_MAX_BYTES, allowed=PHOTO_TYPES)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from exc
    # Stored under a random name (the user's never reaches the file system), its type kept.
    extension = sanitize_name(checked.name).rpartition(".")[2].lower()
    person.photo.save(f"{storage_token()}.{extension}", photo, save=False)


def person_create(*, actor: User, data: Mapping, photo=None) -> Person:
    """Enter a person from checked ``data`` (the person's fields); ``ValidationError`` keyed by
    field for anything the model refuses or a number already in the archive."""
    require_editor(actor)
    person = Person(**{name: data[name] for name in PERSON_FIELDS if name in data})
    person.created_by = actor
    person.full_clean(exclude=["photo"])
    _check_unique_numbers(person)
    if photo:
        _set_photo(person, photo)
    try:
        with transaction.atomic():
            person.save()
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE,
                target=person,
                fields=[n for n in PERSON_FIELDS if getattr(person, n) not in ("", None)],
            )
    except IntegrityError as exc:  # a colleague entered the same ID number meanwhile
        raise ValidationError(
            {"id_number": [_("A person with this ID number is already in the archive.")]}
        ) from exc
    return person


def person_update(
    *, person: Person, actor: User, data: Mapping, version: int, photo=None
) -> Person:
    """Change a person from a form based on ``version``; a change saved since then by a
    colleague is a ``Conflict`` and nothing is written."""
    require_editor(actor)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.version != version:
            raise Conflict(
                _(
                    "Someone changed this record after you opened it. Reload it and apply your "
                    "change again."
                )
            )
        changed = [n for n in PERSON_FIELDS if n in data and getattr(locked, n) != data[n]]
        for name in changed:
            setattr(locked, name, data[name])
        locked.full_clean(exclude=["photo"])
        _check_unique_numbers(locked)
        if photo:
            _set_photo(locked, photo)
            changed.append("photo")
        if not changed:
            return locked
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
    return locked


def education_add(*, actor: User, person: Person, data: Mapping) -> Education:
    require_editor(actor)
    with transaction.atomic():
        education = checked_save(Education(person=person, **data), exclude=["person"])
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=person,
            fields=["educations"],
            note=_("education added: %(what)s") % {"what": education},
        )
    return education


def education_remove(*, actor: User, education: Education) -> None:
    require_editor(actor)
    with transaction.atomic():
        person = education.person
        what = str(education)
        education.delete()
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=person,
            fields=["educations"],
            note=_("education removed: %(what)s") % {"what": what},
        )


def post_add(*, actor: User, person: Person, data: Mapping) -> Post:
    require_editor(actor)
    with transaction.atomic():
        post = checked_save(Post(person=person, **data), exclude=["person"])
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=person,
            fields=["posts"],
            note=_("post added: %(what)s") % {"what": post},
        )
    return post


def growth_record_add(*, actor: User, person: Person, kind: str, data: Mapping):
    """Record one item of ``person``'s growth (training, placement, proposal, award or action),
    signed by ``actor``: the office, or the person's current liaison cadre."""
    model = GROWTH_MODELS.get(kind)
    if model is None:
        raise ValidationError({"kind": [_("Choose one of the kinds of record.")]})
    require_recorder(actor, person)
    with transaction.atomic():
        record = checked_save(
            model(person=person, recorded_by=actor, **data), exclude=["person", "recorded_by"]
        )
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=record,
            fields=list(data),
            note=_("growth record of %(name)s") % {"name": person.name},
        )
    return record
