"""Writes of the associations (联谊会): entering one, its members, its officers by term.

Each write is audited in its own transaction; only the registry's editors write."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.models import AuditLog, User
from portal.services import audit_record
from portal.validators import clean_text
from xiangxian.models import (
    SINGLE_POSTS,
    Association,
    AssociationMembership,
    AssociationOfficer,
    Post,
    Xiangxian,
)
from xiangxian.services._common import date_of, require_office_editor

FIELDS = ("name", "founded_on", "description")


def _clean(*, name: str, founded_on, description: str) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "name": clean_text(
            name,
            field="name",
            max_length=100,
            required=_("Enter the association's name."),
            errors=errors,
        ),
        "founded_on": None,
        "description": clean_text(description, field="description", max_length=4000, errors=errors),
    }
    if founded_on not in (None, ""):
        cleaned["founded_on"] = date_of(
            founded_on, field="founded_on", errors=errors, required=_("Enter a date.")
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _name_taken() -> ValidationError:
    return ValidationError({"name": [_("An association of this name is already recorded.")]})


def association_create(
    *, actor: User, name: str, founded_on: dt.date | str | None = None, description: str = ""
) -> Association:
    """Enter an association; its name is unique."""
    require_office_editor(actor)
    cleaned = _clean(name=name, founded_on=founded_on, description=description)
    if Association.objects.filter(name=cleaned["name"]).exists():
        raise _name_taken()
    try:
        with transaction.atomic():
            association = Association.objects.create(created_by=actor, **cleaned)
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE,
                target=association,
                fields=[f for f in FIELDS if cleaned[f] not in ("", None)],
            )
    except IntegrityError as exc:  # a colleague entered the same name meanwhile
        raise _name_taken() from exc
    return association


def association_update(
    *,
    actor: User,
    association: Association,
    name: str,
    founded_on: dt.date | str | None = None,
    description: str = "",
) -> Association:
    require_office_editor(actor)
    cleaned = _clean(name=name, founded_on=founded_on, description=description)
    if Association.objects.filter(name=cleaned["name"]).exclude(pk=association.pk).exists():
        raise _name_taken()
    try:
        with transaction.atomic():
            locked = Association.objects.select_for_update().get(pk=association.pk)
            changed = [f for f in FIELDS if getattr(locked, f) != cleaned[f]]
            if not changed:
                return locked
            for f in changed:
                setattr(locked, f, cleaned[f])
            locked.save(update_fields=changed)
            audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
    except IntegrityError as exc:
        raise _name_taken() from exc
    return locked


def _current(xiangxian: Xiangxian) -> None:
    if xiangxian.merged_into_id is not None:
        raise ValidationError(
            {"xiangxian": [_("This record was merged into another; choose that one.")]}
        )


def association_member_add(
    *,
    actor: User,
    association: Association,
    xiangxian: Xiangxian,
    joined_on: dt.date | str | None,
) -> AssociationMembership:
    """Make ``xiangxian`` a member; a person is a member of an association once."""
    require_office_editor(actor)
    errors: dict[str, list[str]] = {}
    joined = date_of(
        joined_on, field="joined_on", errors=errors, required=_("Enter the day they joined.")
    )
    if errors:
        raise ValidationError(errors)
    _current(xiangxian)
    taken = ValidationError(
        {"xiangxian": [_("%(name)s is a member already.") % {"name": xiangxian.name}]}
    )
    if AssociationMembership.objects.filter(association=association, xiangxian=xiangxian).exists():
        raise taken
    try:
        with transaction.atomic():
            membership = AssociationMembership.objects.create(
                association=association, xiangxian=xiangxian, joined_on=joined
            )
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE,
                target=membership,
                fields=["association", "xiangxian", "joined_on"],
            )
    except IntegrityError as exc:
        raise taken from exc
    return membership


@transaction.atomic
def association_member_remove(*, actor: User, membership: AssociationMembership) -> None:
    """Take a member off the list; their open posts in the association end today."""
    require_office_editor(actor)
    from django.utils import timezone

    today = timezone.localdate()
    open_posts = AssociationOfficer.objects.filter(
        association_id=membership.association_id,
        xiangxian_id=membership.xiangxian_id,
        term_end__isnull=True,
    )
    for officer in open_posts.select_for_update():
        officer.term_end = max(today, officer.term_start)
        officer.save(update_fields=["term_end"])
        audit_record(
            actor=actor, action=AuditLog.Action.UPDATE, target=officer, fields=["term_end"]
        )
    audit_record(
        actor=actor,
        action=AuditLog.Action.DELETE,
        target=membership,
        note=_("%(person)s left %(association)s")
        % {"person": membership.xiangxian.name, "association": membership.association.name},
    )
    membership.delete()


def association_officer_set(
    *,
    actor: User,
    association: Association,
    xiangxian: Xiangxian,
    post: str,
    term_start: dt.date | str | None,
    term_end: dt.date | str | None = None,
) -> AssociationOfficer:
    """Put ``xiangxian`` in ``post`` for a term (open-ended without ``term_end``). A person not
    yet a member becomes one on the term's first day. For a post held by one person at a time
    (会长, 秘书长) the current holder's term ends the day before the new term starts."""
    require_office_editor(actor)
    errors: dict[str, list[str]] = {}
    if post not in Post.values:
        errors["post"] = [_("Choose one of the listed posts.")]
    start = date_of(
        term_start,
        field="term_start",
        errors=errors,
        required=_("Enter the first day of the term."),
    )
    end = None
    if term_end not in (None, ""):
        end = date_of(term_end, field="term_end", errors=errors, required=_("Enter a date."))
    if start and end and end < start:
        errors["term_end"] = [_("The term cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    _current(xiangxian)
    with transaction.atomic():
        Association.objects.select_for_update().get(pk=association.pk)  # one change at a time
        if post in SINGLE_POSTS and end is None:
            for holder in AssociationOfficer.objects.filter(
                association=association, post=post, term_end__isnull=True
            ):
                handover = start - dt.timedelta(days=1)
                if handover < holder.term_start:
                    raise ValidationError(
                        {
                            "term_start": [
                                _(
                                    "The current holder's term started on %(day)s; the new "
                                    "term must start after it."
                                )
                                % {"day": holder.term_start.isoformat()}
                            ]
                        }
                    )
                holder.term_end = handover
                holder.save(update_fields=["term_end"])
                audit_record(
                    actor=actor, action=AuditLog.Action.UPDATE, target=holder, fields=["term_end"]
                )
        if not AssociationMembership.objects.filter(
            association=association, xiangxian=xiangxian
        ).exists():
            membership = AssociationMembership.objects.create(
                association=association, xiangxian=xiangxian, joined_on=start
            )
            audit_record(
                actor=actor,
                action=AuditLog.Action.CREATE,
                target=membership,
                fields=["association", "xiangxian", "joined_on"],
            )
        officer = AssociationOfficer.objects.create(
            association=association,
            xiangxian=xiangxian,
            post=post,
            term_start=start,
            term_end=end,
        )
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=officer,
            fields=["post", "term_start"] + (["term_end"] if end else []),
        )
    return officer
