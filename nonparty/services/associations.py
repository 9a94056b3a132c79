"""Writes of the associations (知联会) and the president's yearly report and review.

The office records the report on the president's behalf (non-party people have no accounts),
opens it for review with a closing day — issuing each current member a one-time link whose
token is kept only as a hash — and closes it with a summary. A member's scores are stored
without the member: the link is marked used in the same transaction, by a conditional update,
so a token scores once even when two requests race.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nonparty.models import (
    Association,
    AssociationMembership,
    Person,
    PresidentReport,
    ReportState,
    Review,
    ReviewLink,
    Status,
)
from nonparty.services._common import checked_save, require_editor
from portal.exceptions import Conflict
from portal.models import AuditLog, User
from portal.services import audit_record

REPORT_FIELDS = (
    "text",
    "activities_held",
    "proposals_submitted",
    "proposals_adopted",
    "participations",
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def association_create(*, actor: User, name: str, region, president: Person | None = None):
    require_editor(actor)
    with transaction.atomic():
        association = checked_save(
            Association(name=name, region=region, president=president, created_by=actor),
            exclude=["created_by"],
        )
        audit_record(
            actor=actor, action=AuditLog.Action.CREATE, target=association, fields=["name"]
        )
    return association


def member_add(
    *, actor: User, association: Association, person: Person, joined_on: dt.date
) -> AssociationMembership:
    """Make ``person`` a current member (a withdrawn person cannot join)."""
    require_editor(actor)
    if person.status == Status.WITHDRAWN:
        raise ValidationError({"person": [_("A withdrawn person cannot join.")]})
    with transaction.atomic():
        Association.objects.select_for_update().filter(pk=association.pk).first()
        if association.memberships.filter(person=person, left_on__isnull=True).exists():
            raise Conflict(_("This person is a member already."))
        membership = AssociationMembership.objects.create(
            association=association, person=person, joined_on=joined_on
        )
        audit_record(
            actor=actor, action=AuditLog.Action.CREATE, target=membership, fields=["joined_on"]
        )
    return membership


def member_leave(
    *, actor: User, membership: AssociationMembership, left_on: dt.date
) -> AssociationMembership:
    require_editor(actor)
    with transaction.atomic():
        membership = AssociationMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.left_on is not None:
            raise Conflict(_("This member has left already."))
        if left_on < membership.joined_on:
            raise ValidationError({"left_on": [_("Leave on or after the day of joining.")]})
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        audit_record(
            actor=actor, action=AuditLog.Action.UPDATE, target=membership, fields=["left_on"]
        )
    return membership


def report_create(
    *, actor: User, association: Association, year: int, data: dict
) -> PresidentReport:
    """A draft report of ``year`` by the association's president, recorded by ``actor``."""
    require_editor(actor)
    if association.president_id is None:
        raise ValidationError({"__all__": [_("The association has no president: name one first.")]})
    if PresidentReport.objects.filter(association=association, year=year).exists():
        raise ValidationError({"year": [_("This year's report is recorded already.")]})
    with transaction.atomic():
        report = checked_save(
            PresidentReport(
                association=association,
                year=year,
                president_id=association.president_id,
                recorded_by=actor,
                **{name: data[name] for name in REPORT_FIELDS if name in data},
            ),
            exclude=["association", "president", "recorded_by"],
        )
        audit_record(
            actor=actor, action=AuditLog.Action.CREATE, target=report, fields=list(REPORT_FIELDS)
        )
    return report


def report_update(*, actor: User, report: PresidentReport, data: dict, version: int):
    """Change a draft's text and figures; a stale ``version`` is a conflict."""
    require_editor(actor)
    with transaction.atomic():
        current = PresidentReport.objects.select_for_update().get(pk=report.pk)
        if current.state != ReportState.DRAFT:
            raise Conflict(_("Only a draft report can be changed."))
        if current.version != version:
            raise Conflict()
        for name in REPORT_FIELDS:
            if name in data:
                setattr(current, name, data[name])
        current.version += 1
        checked_save(current, exclude=["association", "president", "recorded_by"])
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=current, fields=list(data))
    return current


def _expiry(closes_on: dt.date) -> dt.datetime:
    """The end of the closing day, local time."""
    end = dt.datetime.combine(closes_on + dt.timedelta(days=1), dt.time(0))
    return timezone.make_aware(end, timezone.get_current_timezone())


@dataclass
class IssuedLink:
    person: Person
    token: str


def _issue(report, people, actor, expires_at) -> list[IssuedLink]:
    issued, rows = [], []
    for person in people:
        token = secrets.token_urlsafe(24)
        rows.append(
            ReviewLink(
                report=report,
                person=person,
                token_hash=token_hash(token),
                expires_at=expires_at,
                issued_by=actor,
            )
        )
        issued.append(IssuedLink(person, token))
    ReviewLink.objects.bulk_create(rows)
    return issued


def report_open(
    *, actor: User, report: PresidentReport, closes_on: dt.date, today: dt.date | None = None
) -> list[IssuedLink]:
    """Open the draft for review until ``closes_on`` and issue a link to each current member
    (the president reviews no one's report of their own). Returns the tokens, shown once."""
    require_editor(actor)
    today = today or timezone.localdate()
    if closes_on < today:
        raise ValidationError({"closes_on": [_("Choose today or a later day.")]})
    with transaction.atomic():
        current = PresidentReport.objects.select_for_update().get(pk=report.pk)
        if current.state != ReportState.DRAFT:
            raise Conflict(_("Only a draft report can be opened for review."))
        members = [
            m.person
            for m in AssociationMembership.objects.filter(
                association_id=current.association_id, left_on__isnull=True
            )
            .exclude(person_id=current.president_id)
            .exclude(person__status=Status.WITHDRAWN)
            .select_related("person")
            .order_by("person__name", "pk")
        ]
        if not members:
            raise ValidationError({"__all__": [_("The association has no member to review.")]})
        current.state, current.closes_on = ReportState.OPEN, closes_on
        current.opened_by, current.opened_at = actor, timezone.now()
        current.version += 1
        current.save()
        issued = _issue(current, members, actor, _expiry(closes_on))
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=current,
            fields=["state", "closes_on"],
            note=_("opened for review, %(count)d links") % {"count": len(issued)},
        )
    report.__dict__.update(current.__dict__)
    return issued


def link_reissue(*, actor: User, link: ReviewLink) -> IssuedLink:
    """A new token for a member who has not responded (the old one stops working)."""
    require_editor(actor)
    with transaction.atomic():
        link = (
            ReviewLink.objects.select_for_update()
            .select_related("report", "person")
            .get(pk=link.pk)
        )
        if link.report.state != ReportState.OPEN:
            raise Conflict(_("The review is not open."))
        if link.used_at is not None:
            raise Conflict(_("This member has responded already."))
        token = secrets.token_urlsafe(24)
        link.token_hash, link.issued_by = token_hash(token), actor
        link.save(update_fields=["token_hash", "issued_by"])
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=link, fields=["token"])
    return IssuedLink(link.person, token)


class LinkUnusable(Exception):
    """A review link that cannot score (``reason``: used, expired or closed)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_for_token(token: str) -> ReviewLink | None:
    if not token or len(token) > 100:
        return None
    return (
        ReviewLink.objects.select_related("report__association", "report__president")
        .filter(token_hash=token_hash(token))
        .first()
    )


def link_check(link: ReviewLink, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if link.used_at is not None:
        raise LinkUnusable("used")
    if link.report.state != ReportState.OPEN:
        raise LinkUnusable("closed")
    if now >= link.expires_at:
        raise LinkUnusable("expired")


def review_submit(*, token: str, data: dict) -> Review:
    """Score the report with the one-time ``token``: the link is marked used and the scores
    stored without it, in one transaction; a second use raises ``LinkUnusable("used")``."""
    link = link_for_token(token)
    if link is None:
        raise LinkUnusable("unknown")
    link_check(link)
    with transaction.atomic():
        claimed = ReviewLink.objects.filter(
            pk=link.pk,
            used_at__isnull=True,
            report__state=ReportState.OPEN,
            expires_at__gt=timezone.now(),
        ).update(used_at=timezone.now())
        if claimed != 1:
            raise LinkUnusable("used")
        review = Review(report_id=link.report_id, **data)
        review.full_clean(exclude=["report"])
        review.save(force_insert=True)
    return review


def report_close(
    *, actor: User, report: PresidentReport, summary: str, version: int | None = None
) -> PresidentReport:
    """Close the review with the office's summary; unused links stop working."""
    require_editor(actor)
    if not summary.strip():
        raise ValidationError({"summary": [_("Write the summary before closing.")]})
    with transaction.atomic():
        current = PresidentReport.objects.select_for_update().get(pk=report.pk)
        if current.state != ReportState.OPEN:
            raise Conflict(_("Only a report open for review can be closed."))
        if version is not None and current.version != version:
            raise Conflict()
        current.state, current.summary = ReportState.CLOSED, summary.strip()
        current.closed_by, current.closed_at = actor, timezone.now()
        current.version += 1
        checked_save(current, exclude=["association", "president", "recorded_by"])
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=current,
            fields=["state", "summary"],
        )
    return current
