"""Pieces the alliances' writes share: who may write, and reading checked values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from portal.models import Region, User


def require_editor(actor: User) -> None:
    """Only the office's staff and administrators change alliances (leaders read only)."""
    from alliances.selectors import can_edit  # the selectors read services: import when called

    if not can_edit(actor):
        raise PermissionDenied(_("Only the united-front office changes the alliances."))


def money(value, *, field: str, errors: dict, required: str | None = None) -> Decimal | None:
    """``value`` as yuan (two decimals, 0 or more), ``None`` when blank and not ``required``."""
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(required)
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount.as_tuple().exponent < -2:
        errors.setdefault(field, []).append(_("Enter an amount in yuan, e.g. 8400000 or 12.5."))
        return None
    if abs(amount) >= 10**12:
        errors.setdefault(field, []).append(_("Enter an amount in yuan, e.g. 8400000 or 12.5."))
        return None
    if amount < 0:
        errors.setdefault(field, []).append(_("Enter 0 or more."))
        return None
    return amount


def count(value, *, field: str, errors: dict, required: str | None = None) -> int | None:
    """``value`` as a whole number 0 or more, ``None`` when blank and not ``required``."""
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(required)
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 <= number < 2**31:
        errors.setdefault(field, []).append(_("Enter a whole number, 0 or more."))
        return None
    return number


def date_of(value, *, field: str, errors: dict, required: str | None = None) -> dt.date | None:
    """``value`` as a date (``YYYY-MM-DD``); ``None`` when blank and not ``required``."""
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(required)
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD, e.g. 2023-06-30."))
        return None


def village_of(value, *, field: str, errors: dict) -> Region | None:
    """A village: a ``Region``, its id, or its 12-digit statistical code."""
    region = None
    if isinstance(value, Region):
        region = value
    elif isinstance(value, int):
        region = Region.objects.filter(pk=value).first()
    elif value not in (None, ""):
        text = str(value).strip()
        if text.isdigit() and len(text) == 12:
            region = Region.objects.filter(code=text).first()
    if region is None:
        errors.setdefault(field, []).append(_("Give a village by its 12-digit statistical code."))
        return None
    if region.level != Region.Level.VILLAGE:
        errors.setdefault(field, []).append(
            _("%(name)s is not a village; choose a village.") % {"name": region.name}
        )
        return None
    return region


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
