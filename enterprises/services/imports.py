"""The write of the enterprise directory's Excel import (``enterprises.imports`` declares the
kind): checked rows in, enterprises created or updated, each change in the audit log.

A code already in the directory updates that enterprise with the row's values (the row is the
whole record: an empty optional cell clears that value).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from enterprises.services.stats import mark_enterprises
from portal.imports import WriteCounts, refuse
from portal.models import AuditLog, User
from portal.services import audit_record

BATCH_SIZE = 500
UPDATED_FIELDS = ("name", "region", "industry_chain", "size", "listing_status")


def _existing(codes: list[str]) -> dict[str, Enterprise]:
    found: dict[str, Enterprise] = {}
    for start in range(0, len(codes), BATCH_SIZE):
        chunk = codes[start : start + BATCH_SIZE]
        for enterprise in Enterprise.objects.select_for_update().filter(uscc__in=chunk):
            found[enterprise.uscc] = enterprise
    return found


def enterprises_import_write(
    rows: list[dict], *, actor: User, note: str = "", request=None
) -> WriteCounts:
    """Create or update the enterprise of every checked row (``uscc``, ``name``, ``region``,
    ``industry_chain``, ``size``, ``listing_status``), all in one transaction, each change
    recorded in the audit log. Raises ``ValidationError({"file": …})`` when another person
    registered one of the codes meanwhile (nothing of this call is written)."""
    parsed = [
        Enterprise(
            uscc=row["uscc"],
            name=row["name"],
            region=row["region"],
            industry_chain=row["industry_chain"],
            size=row["size"],
            listing_status=row["listing_status"],
        )
        for row in rows
    ]
    unchanged = 0
    try:
        with transaction.atomic():
            existing = _existing([row.uscc for row in parsed])
            new, changed = [], []
            for row in parsed:
                current = existing.get(row.uscc)
                if current is None:
                    new.append(row)
                    continue
                fields = [f for f in UPDATED_FIELDS if getattr(current, f) != getattr(row, f)]
                if fields:
                    for name in fields:
                        setattr(current, name, getattr(row, name))
                    changed.append((current, fields))
                else:
                    unchanged += 1
            Enterprise.objects.bulk_create(new, batch_size=BATCH_SIZE)
            Enterprise.objects.bulk_update(
                [enterprise for enterprise, _fields in changed],
                UPDATED_FIELDS,
                batch_size=BATCH_SIZE,
            )
            # A moved enterprise moves its appeals to another county in the figures.
            moved = [e.pk for e, fields in changed if "region" in fields]
            if moved:
                mark_enterprises(moved)
            if any(enterprise.pk is None for enterprise in new):  # backends without RETURNING
                ids = dict(
                    Enterprise.objects.filter(uscc__in=[e.uscc for e in new]).values_list(
                        "uscc", "pk"
                    )
                )
                for enterprise in new:
                    enterprise.pk = ids[enterprise.uscc]
            for enterprise in new:
                audit_record(
                    actor=actor,
                    action=AuditLog.Action.CREATE,
                    target=enterprise,
                    fields=UPDATED_FIELDS,
                    note=note,
                    request=request,
                )
            for enterprise, fields in changed:
                audit_record(
                    actor=actor,
                    action=AuditLog.Action.UPDATE,
                    target=enterprise,
                    fields=fields,
                    note=note,
                    request=request,
                )
    except IntegrityError:
        # Someone registered one of these codes between our check and our insert.
        raise refuse(
            _(
                "The directory changed while the file was being imported, so nothing was "
                "imported. Please try again."
            )
        ) from None
    return WriteCounts(created=len(new), updated=len(changed), unchanged=unchanged)
