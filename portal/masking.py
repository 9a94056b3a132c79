"""Masking of personal data for display (手机号、身份证号脱敏).

All functions return a string of the same length as their (normalised) input, with the
hidden characters replaced by ``*``. ``None`` and ``""`` give ``""``. Apart from the
standard formats below, a masked value never reveals more than half of its characters.

* ``mask_mobile("13812345678")`` → ``"138****5678"``
* ``mask_resident_id("330802199001011234")`` → ``"3308**********1234"``
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from portal.validators import normalize_mobile, normalize_resident_id, validate_mobile

__all__ = ["MASK_CHAR", "mask_middle", "mask_mobile", "mask_resident_id"]

MASK_CHAR = "*"


def _mask(text: str, keep_start: int, keep_end: int) -> str:
    """Keep exactly ``keep_start`` leading and ``keep_end`` trailing characters."""
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + MASK_CHAR * hidden + text[len(text) - keep_end :]


def mask_middle(value: str | None, keep_start: int, keep_end: int) -> str:
    """Mask the middle of ``value``, keeping at most ``keep_start``/``keep_end`` characters.

    If keeping that many would reveal more than half of the value (``len // 2``
    characters), the larger of the two counts is reduced first, one at a time, until it
    does not. At least one character is always masked. Raises ``ValueError`` for negative
    counts.
    """
    if keep_start < 0 or keep_end < 0:
        raise ValueError("keep_start and keep_end must not be negative")
    text = "" if value is None else str(value)
    allowed = len(text) // 2
    while keep_start + keep_end > allowed:
        if keep_end > keep_start:
            keep_end -= 1
        else:
            keep_start -= 1
    return _mask(text, keep_start, keep_end)


def mask_mobile(value: str | None) -> str:
    """Mask a mobile number as ``138****5678``.

    A valid number (also '+86 …' forms) is reduced to its 11 digits first and shows the
    first 3 and last 4; anything else falls back to :func:`mask_middle` (≤ half shown).
    """
    number = normalize_mobile(value)
    try:
        validate_mobile(number)
    except ValidationError:
        return mask_middle(number, 3, 4)
    return _mask(number, 3, 4)


def mask_resident_id(value: str | None) -> str:
    """Mask an ID number as ``3308**********1234`` (first 4 and last 4 of 18 shown).

    Values that are not 18 characters long fall back to :func:`mask_middle` (≤ half
    shown). The format is not otherwise validated: masking must never fail on display.
    """
    number = normalize_resident_id(value)
    if len(number) == 18:
        return _mask(number, 4, 4)
    return mask_middle(number, 4, 4)
