"""Pieces the registry's writes share: who may write, and reading checked values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.models import User


def require_editor(actor: User) -> None:
    """Only the registry's editors write (``xiangxian.selectors.can_edit``)."""
    from xiangxian.selectors import can_edit  # the selectors read services: import when called

    if not can_edit(actor):
        raise PermissionDenied(_("Only the department's staff change the registry."))


def require_office_editor(actor: User) -> None:
    """Associations and events are the city's: only the office changes them."""
    from xiangxian.selectors import can_edit_city_records

    if not can_edit_city_records(actor):
        raise PermissionDenied(_("Only the department's staff change the registry."))


def money(
    value, *, field: str, errors: dict, required: str | None = None, positive: bool = False
) -> Decimal | None:
    """``value`` as yuan (two decimals, not negative; above 0 when ``positive``), or ``None``
    when blank and not ``required``; a problem goes into ``errors`` under ``field``."""
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(required)
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter a number, e.g. 5000 or 12.5."))
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2 or abs(amount) >= 10**12:
        errors.setdefault(field, []).append(_("Enter a number, e.g. 5000 or 12.5."))
        return None
    if amount < 0 or (positive and amount == 0):
        message = _("Enter a number above 0.") if positive else _("Enter 0 or more.")
        errors.setdefault(field, []).append(message)
        return None
    return amount


def date_of(value, *, field: str, errors: dict, required: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if value not in (None, ""):
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            pass
    errors.setdefault(field, []).append(required)
    return None
