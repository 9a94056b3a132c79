"""Writes of liaison: linking a cadre to a person (the person's earlier link ends that day),
ending a link, and handing a cadre's people over to another cadre — every link stays, dated,
so the history of who looked after whom is kept."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from nonparty.models import EDITOR_ROLES, Handover, Liaison, Person
from nonparty.services._common import require_editor
from portal.exceptions import Conflict
from portal.models import AuditLog, Role, User
from portal.services import audit_record

CADRE_ROLES = (Role.LIAISON, *EDITOR_ROLES)


def _check_cadre(cadre: User, field: str = "cadre") -> None:
    if cadre is None or not cadre.is_active or not cadre.has_role(*CADRE_ROLES):
        raise ValidationError({field: [_("Choose a liaison cadre of the office.")]})


def liaison_link(*, actor: User, person: Person, cadre: User, starts_on: dt.date) -> Liaison:
    """Make ``cadre`` the person's liaison from ``starts_on``; a current link to someone else
    ends on that day (kept in the history)."""
    require_editor(actor)
    _check_cadre(cadre)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        current = Liaison.objects.current().filter(person=person).first()
        if current is not None:
            if current.cadre_id == cadre.pk:
                raise Conflict(_("This cadre is the person's liaison already."))
            if starts_on < current.starts_on:
                raise ValidationError(
                    {"starts_on": [_("Start on or after the current link's first day.")]}
                )
            current.ends_on = starts_on
            current.save(update_fields=["ends_on"])
        link = Liaison.objects.create(
            cadre=cadre, person=person, starts_on=starts_on, created_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=link,
            fields=["cadre", "starts_on"],
            note=_("liaison of %(name)s") % {"name": person.name},
        )
    return link


def liaison_end(*, actor: User, link: Liaison, ends_on: dt.date) -> Liaison:
    require_editor(actor)
    with transaction.atomic():
        locked = Liaison.objects.select_for_update().get(pk=link.pk)
        if locked.ends_on is not None:
            raise Conflict(_("This link has ended already."))
        if ends_on < locked.starts_on:
            raise ValidationError({"ends_on": [_("End on or after the link's first day.")]})
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=["ends_on"])
    return locked


def liaison_handover(
    *, actor: User, from_cadre: User, to_cadre: User, on: dt.date, note: str = ""
) -> Handover:
    """Move every current person of ``from_cadre`` to ``to_cadre`` on ``on``: each old link
    ends that day and a new one starts, both pointing at the handover."""
    require_editor(actor)
    _check_cadre(to_cadre, "to_cadre")
    if from_cadre is None:
        raise ValidationError({"from_cadre": [_("Choose the cadre who hands over.")]})
    if from_cadre.pk == to_cadre.pk:
        raise ValidationError({"to_cadre": [_("Choose another cadre to hand over to.")]})
    with transaction.atomic():
        links = list(
            Liaison.objects.select_for_update().current().filter(cadre=from_cadre).order_by("pk")
        )
        if not links:
            raise ValidationError({"from_cadre": [_("This cadre has no people to hand over.")]})
        if any(link.starts_on > on for link in links):
            raise ValidationError({"on": [_("Hand over on or after the latest link's first day.")]})
        handover = Handover.objects.create(
            from_cadre=from_cadre,
            to_cadre=to_cadre,
            on=on,
            note=(note or "").strip()[:200],
            people_count=len(links),
            done_by=actor,
        )
        Liaison.objects.filter(Q(pk__in=[link.pk for link in links])).update(
            ends_on=on, handover_out=handover
        )
        Liaison.objects.bulk_create(
            [
                Liaison(
                    cadre=to_cadre,
                    person_id=link.person_id,
                    starts_on=on,
                    handover_in=handover,
                    created_by=actor,
                )
                for link in links
            ]
        )
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=handover,
            fields=["from_cadre", "to_cadre", "on"],
            note=_("%(count)d people handed over") % {"count": len(links)},
        )
    return handover
