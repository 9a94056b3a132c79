"""What the archive's writes share: who may write, and saving a row only once it is valid."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from portal.models import User


def require_editor(actor: User) -> None:
    from nonparty.selectors import can_edit

    if not can_edit(actor):
        raise PermissionDenied(_("Only the united-front office changes the archive."))


def require_recorder(actor: User, person) -> None:
    """The office records anyone's growth; a liaison cadre only their current people's."""
    from nonparty.models import Person
    from nonparty.selectors import can_edit, can_record_growth

    if can_edit(actor):
        return
    if (
        not can_record_growth(actor)
        or not Person.objects.visible_to(actor).filter(pk=person.pk).exists()
    ):
        raise PermissionDenied(_("Only the office and the person's liaison cadre record growth."))


def checked_save(instance: models.Model, *, exclude=None) -> models.Model:
    """Save ``instance`` after the model's own checks (``ValidationError`` keyed by field)."""
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance
