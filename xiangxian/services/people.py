"""Writes of the registry's people: entering a person (with the duplicates they may be), editing
one without losing a colleague's edit, and merging two records of one person, undoably.

Every write is audited in its own transaction; phone and ID numbers are never written to the
audit note, only the names of the fields that changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Conflict
from portal.models import AuditLog, Region, Role, TaggedItem, User
from portal.regions import is_within
from portal.services import audit_record
from portal.services.tags import tags_set
from portal.validators import (
    clean_text,
    normalize_mobile,
    normalize_resident_id,
    validate_mobile,
    validate_resident_id,
)
from xiangxian.models import (
    PROVINCES,
    Gender,
    Invitation,
    Referral,
    Sector,
    Xiangxian,
    XiangxianMerge,
)
from xiangxian.models.people import CITY_REGISTRY_ROLES

# The fields a person's form writes, each with its longest text where it is text.
TEXT_FIELDS = {
    "name": 50,
    "residence_city": 50,
    "abroad": 50,
    "organisation": 100,
    "title": 100,
    "honours": 200,
    "notes": 2000,
}
FIELDS = (
    *TEXT_FIELDS,
    "gender",
    "birth_year",
    "hometown",
    "residence_province",
    "sector",
    "phone",
    "id_number",
    "referral",
    "is_key",
)
PERSONAL_FIELDS = ("phone", "id_number")


def _field(name: str):
    return Xiangxian._meta.get_field(name)


# --- duplicates -------------------------------------------------------------------------------


@dataclass
class Duplicate:
    """A current record that may be the same person, and why it was found."""

    person: Xiangxian
    reasons: list[str] = field(default_factory=list)


class DuplicateSuspected(Exception):
    """Entering this person may repeat a record already there: confirm, or open that one."""

    def __init__(self, candidates: list[Duplicate]):
        super().__init__(_("This person may already be in the registry."))
        self.candidates = candidates


def duplicates_of(
    *,
    name: str = "",
    birth_year: int | None = None,
    hometown: Region | int | None = None,
    phone: str = "",
    id_number: str = "",
    exclude: int | None = None,
) -> list[Duplicate]:
    """Current records that may be this person: the same ID number, the same mobile number, or
    the same name, year of birth and hometown. Three indexed lookups at most; the strongest
    reason first."""
    checks: list[tuple[Q, str]] = []
    if id_number:
        checks.append((_field("id_number").blind_index_q(id_number), _("same ID number")))
    if phone:
        checks.append((_field("phone").blind_index_q(phone), _("same mobile number")))
    hometown_id = hometown.pk if isinstance(hometown, Region) else hometown
    if name and birth_year and hometown_id:
        checks.append(
            (
                Q(name=name.strip(), birth_year=birth_year, hometown_id=hometown_id),
                _("same name, year of birth and hometown"),
            )
        )
    found: dict[int, Duplicate] = {}
    for condition, reason in checks:
        people = Xiangxian.objects.current().filter(condition).select_related("hometown", "sector")
        if exclude is not None:
            people = people.exclude(pk=exclude)
        for person in people[:20]:
            found.setdefault(person.pk, Duplicate(person)).reasons.append(reason)
    return list(found.values())


# --- entering and editing ---------------------------------------------------------------------


def _clean(data: Mapping) -> dict:
    """The person's fields from ``data`` checked as the form and the import check them; every
    problem at once, keyed by field, in the user's language."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, longest in TEXT_FIELDS.items():
        cleaned[name] = clean_text(
            data.get(name),
            field=name,
            max_length=longest,
            required=_("Enter the person's name.") if name == "name" else None,
            errors=errors,
        )
    cleaned["gender"] = data.get("gender") or ""
    if cleaned["gender"] not in ("", *Gender.values):
        errors["gender"] = [_("Choose one of the listed genders.")]
    cleaned["referral"] = data.get("referral") or ""
    if cleaned["referral"] not in ("", *Referral.values):
        errors["referral"] = [_("Choose one of the listed sources.")]
    birth_year = data.get("birth_year")
    if birth_year in (None, ""):
        cleaned["birth_year"] = None
    else:
        try:
            cleaned["birth_year"] = int(birth_year)
        except (TypeError, ValueError):
            cleaned["birth_year"] = None
            errors["birth_year"] = [_("Enter the year of birth as four digits, e.g. 1968.")]
        else:
            if not 1900 <= cleaned["birth_year"] <= timezone.localdate().year:
                errors["birth_year"] = [_("Enter the year of birth as four digits, e.g. 1968.")]
    cleaned["hometown"] = _instance(Region, data.get("hometown"))
    if cleaned["hometown"] is None:
        errors["hometown"] = [_("Choose the person's hometown.")]
    cleaned["sector"] = _instance(Sector, data.get("sector"))
    if cleaned["sector"] is None:
        errors["sector"] = [_("Choose the person's sector.")]
    province = data.get("residence_province") or ""
    if province and province not in PROVINCES:
        errors["residence_province"] = [_("Choose one of the listed provinces.")]
    cleaned["residence_province"] = province
    if cleaned["abroad"] and (province or cleaned["residence_city"]):
        errors["abroad"] = [_("Someone living abroad has no province or city in China.")]
    elif not cleaned["abroad"] and not province:
        errors["residence_province"] = [
            _("Choose the province the person lives in, or write the country abroad.")
        ]
    for name, validator, normalizer in (
        ("phone", validate_mobile, normalize_mobile),
        ("id_number", validate_resident_id, normalize_resident_id),
    ):
        value = (data.get(name) or "").strip()
        if value:
            try:
                validator(value)
            except ValidationError as exc:
                errors[name] = exc.messages
            value = normalizer(value)
        cleaned[name] = value
    cleaned["is_key"] = bool(data.get("is_key"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def xiangxian_clean(*, data: Mapping) -> dict:
    """``data`` checked as entering a person checks it (the import checks each row with it):
    the cleaned fields, or ``ValidationError`` with every problem keyed by field."""
    return _clean(data)


def _instance(model: type[models.Model], value):
    if isinstance(value, model):
        return value
    try:
        return model.objects.filter(pk=int(value)).first() if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _id_number_taken(exc: IntegrityError) -> bool:
    return "xiangxian_one_current_per_id_number" in str(exc) or "id_number_hash" in str(exc)


def _id_taken_error() -> ValidationError:
    return ValidationError(
        {"id_number": [_("A person with this ID number is already in the registry.")]}
    )


def _check_hometown_in_scope(actor: User, hometown) -> None:
    """County staff enter and keep only their county's people; the office anyone."""
    if actor.has_role(*CITY_REGISTRY_ROLES):
        return
    if not is_within(hometown, actor.region_codes(Role.COUNTY_STAFF)):
        raise ValidationError({"hometown": [_("Choose a hometown in your county.")]})


def xiangxian_create(
    *,
    actor: User,
    data: Mapping,
    tags: Iterable[int] = (),
    confirmed_new: bool = False,
) -> Xiangxian:
    """Enter a person. Raises ``ValidationError`` for bad fields, and ``DuplicateSuspected``
    with the candidates unless the user has confirmed that this is someone new; the same ID
    number is never entered twice."""
    cleaned = _clean(data)
    _check_hometown_in_scope(actor, cleaned["hometown"])
    candidates = duplicates_of(
        name=cleaned["name"],
        birth_year=cleaned["birth_year"],
        hometown=cleaned["hometown"],
        phone=cleaned["phone"],
        id_number=cleaned["id_number"],
    )
    if any(_("same ID number") in c.reasons for c in candidates):
        raise _id_taken_error()
    if candidates and not confirmed_new:
        raise DuplicateSuspected(candidates)
    try:
        with transaction.atomic():
            person = Xiangxian.objects.create(**cleaned, created_by=actor)
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE,
                target=person,
                fields=[name for name in FIELDS if cleaned.get(name) not in ("", None, False)],
                note=_("entered although it may repeat: %(ids)s")
                % {"ids": ", ".join(f"#{c.person.pk}" for c in candidates)}
                if candidates
                else "",
            )
            if tags:
                tags_set(person, tags, actor=actor)
    except IntegrityError as exc:  # a colleague entered the same ID number meanwhile
        if _id_number_taken(exc):
            raise _id_taken_error() from exc
        raise
    return person


def xiangxian_update(
    *, person: Xiangxian | int, actor: User, data: Mapping, version: int
) -> Xiangxian:
    """Change a person's record from a form based on ``version``. A colleague's change saved
    since then is never overwritten: that is a ``Conflict``, and nothing is written."""
    cleaned = _clean(data)
    _check_hometown_in_scope(actor, cleaned["hometown"])
    pk = person.pk if isinstance(person, Xiangxian) else person
    try:
        with transaction.atomic():
            locked = Xiangxian.objects.select_for_update().get(pk=pk)
            if locked.merged_into_id is not None:
                raise Conflict(_("This record was merged into another; change that one."))
            if locked.version != version:
                raise Conflict(
                    _(
                        "Someone changed this record after you opened it. Reload it and apply your "
                        "change again."
                    )
                )
            changed = [name for name in FIELDS if getattr(locked, name) != cleaned[name]]
            if not changed:
                return locked
            for name in changed:
                setattr(locked, name, cleaned[name])
            locked.version = F("version") + 1
            locked.save()
            locked.refresh_from_db()
            audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
    except IntegrityError as exc:
        if _id_number_taken(exc):
            raise _id_taken_error() from exc
        raise
    return locked


# --- merging ----------------------------------------------------------------------------------


def _linked_relations():
    """Every foreign key to a person from another model: services, contributions, memberships,
    invitations and whatever is added later move with a merge without being listed here."""
    for relation in Xiangxian._meta.related_objects:
        # Seen from the person, a foreign key to them is one-to-many (the reverse side).
        if relation.related_model in (Xiangxian, XiangxianMerge) or not (
            relation.one_to_many or relation.one_to_one
        ):
            continue
        yield relation.related_model, relation.field.name


def _movable_rows(model: type[models.Model], fk: str, source: Xiangxian, target: Xiangxian):
    """The pks of ``source``'s rows that may move to ``target``: a row that would repeat one of
    ``target``'s under a unique rule with the person in it (a membership of an association
    both are members of) stays with ``source``, as a tag both carry does, and comes back with
    it if the merge is undone."""
    rows = model._base_manager.filter(**{fk: source})
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or constraint.condition:
            continue
        fields = list(constraint.fields)
        if fk not in fields or len(fields) < 2:
            continue
        others = [name for name in fields if name != fk]
        taken = set(model._base_manager.filter(**{fk: target}).values_list(*others).distinct())
        if taken:
            keep = [
                pk for pk, *values in rows.values_list("pk", *others) if tuple(values) not in taken
            ]
            rows = rows.filter(pk__in=keep)
    return list(rows.values_list("pk", flat=True))


def _tag_items(person: Xiangxian):
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Xiangxian), object_id=str(person.pk)
    )


def _lock_pair(first: int, second: int) -> dict[int, Xiangxian]:
    # Always in the same order, so two merges of the same pair cannot deadlock.
    return {
        person.pk: person
        for person in Xiangxian.objects.select_for_update()
        .filter(pk__in=[first, second])
        .order_by("pk")
    }


@transaction.atomic
def xiangxian_merge(
    *, source: Xiangxian | int, target: Xiangxian | int, actor: User
) -> XiangxianMerge:
    """Fold ``source`` into ``target``: every linked record and tag of ``source`` moves to
    ``target``, fields ``target`` leaves empty are filled from ``source``, and ``source`` stays,
    hidden, pointing at ``target`` until the merge is undone."""
    source_pk = source.pk if isinstance(source, Xiangxian) else source
    target_pk = target.pk if isinstance(target, Xiangxian) else target
    if source_pk == target_pk:
        raise ValidationError({"target": [_("Choose another record to merge with.")]})
    locked = _lock_pair(source_pk, target_pk)
    source, target = locked.get(source_pk), locked.get(target_pk)
    if source is None or target is None:
        raise ValidationError({"target": [_("Choose another record to merge with.")]})
    if source.merged_into_id or target.merged_into_id:
        raise Conflict(_("One of the two records is already merged into another."))
    # One invitation per person and event: two of one event cannot become one person's two.
    if Invitation.objects.filter(
        xiangxian=source,
        event__in=Invitation.objects.filter(xiangxian=target).values("event"),
    ).exists():
        raise Conflict(
            _("Both records are invited to the same event: withdraw one invitation first.")
        )
    moved: dict[str, list] = {}
    for model, fk in _linked_relations():
        rows = _movable_rows(model, fk, source, target)
        if rows:
            model._base_manager.filter(pk__in=rows).update(**{fk: target})
            moved[f"{model._meta.label_lower}.{fk}"] = rows
    target_tags = set(_tag_items(target).values_list("tag_id", flat=True))
    tag_rows = list(_tag_items(source).exclude(tag_id__in=target_tags).values_list("pk", flat=True))
    if tag_rows:
        TaggedItem.objects.filter(pk__in=tag_rows).update(object_id=str(target.pk))
        moved["portal.taggeditem"] = tag_rows
    filled = []
    for name in FIELDS:
        if name == "id_number" and source.id_number_hash:
            continue  # unique among current records: it stays on the merged record
        if getattr(target, name) in ("", None) and getattr(source, name) not in ("", None):
            setattr(target, name, getattr(source, name))
            filled.append(name)
    if filled:
        moved["filled"] = filled
        target.version = F("version") + 1
        target.save()
    source.merged_into = target
    source.version = F("version") + 1
    source.save(update_fields=["merged_into", "version", "updated_at"])
    merge = XiangxianMerge.objects.create(
        source=source, target=target, moved=moved, merged_by=actor
    )
    note = _("merged record #%(source)s into #%(target)s") % {
        "source": source.pk,
        "target": target.pk,
    }
    audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, target=source, fields=["merged_into"], note=note
    )
    audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, target=target, fields=filled, note=note
    )
    return merge


@transaction.atomic
def xiangxian_merge_undo(*, merge: XiangxianMerge | int, actor: User) -> XiangxianMerge:
    """Undo a merge: the records moved go back to the merged record, the fields filled from it
    are emptied again where the kept record still holds what was filled, and the merged record
    is current again."""
    pk = merge.pk if isinstance(merge, XiangxianMerge) else merge
    merge = XiangxianMerge.objects.select_for_update().get(pk=pk)
    if merge.undone_at is not None:
        raise Conflict(_("This merge was undone already."))
    locked = _lock_pair(merge.source_id, merge.target_id)
    source, target = locked[merge.source_id], locked[merge.target_id]
    if source.id_number_hash and source.id_number_hash == target.id_number_hash:
        raise Conflict(
            _("Both records hold the same ID number: they are one person and stay merged.")
        )
    moved = dict(merge.moved)
    filled = moved.pop("filled", [])
    tag_rows = moved.pop("portal.taggeditem", [])
    relations = {
        f"{model._meta.label_lower}.{fk}": (model, fk) for model, fk in _linked_relations()
    }
    for key, rows in moved.items():
        model, fk = relations[key]
        model._base_manager.filter(pk__in=rows, **{fk: target}).update(**{fk: source})
    if tag_rows:
        TaggedItem.objects.filter(pk__in=tag_rows, object_id=str(target.pk)).update(
            object_id=str(source.pk)
        )
    emptied = []
    for name in filled:
        if getattr(target, name) == getattr(source, name):
            setattr(target, name, Xiangxian._meta.get_field(name).get_default())
            emptied.append(name)
    if emptied:
        target.version = F("version") + 1
        target.save()
    source.merged_into = None
    source.version = F("version") + 1
    source.save(update_fields=["merged_into", "version", "updated_at"])
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    note = _("undid the merge of record #%(source)s into #%(target)s") % {
        "source": source.pk,
        "target": target.pk,
    }
    audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, target=source, fields=["merged_into"], note=note
    )
    audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, target=target, fields=emptied, note=note
    )
    return merge
