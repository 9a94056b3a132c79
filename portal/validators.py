"""Validators and normalisers for Chinese identifiers.

Every ``validate_*`` function is a plain Django validator: it returns ``None`` for a valid
value and raises :class:`~django.core.exceptions.ValidationError` (with a stable ``code``)
otherwise.  Validators normalise their input first (see the matching ``normalize_*``), so
lower-case letters, surrounding/embedded spaces and full-width characters typed with a
Chinese input method are accepted; call the normaliser in ``clean()`` to store the
canonical form.

* Unified social credit code (统一社会信用代码): GB 32100-2015.
* Resident identity card number (公民身份号码): GB 11643-1999.
* Mainland China mobile number.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "RESIDENT_ID_WEIGHTS",
    "clean_text",
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "compute_resident_id_check",
    "compute_uscc_check",
    "normalize_mobile",
    "normalize_resident_id",
    "normalize_uscc",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
]

_DIGITS = frozenset("0123456789")


def _clean(value: object) -> str:
    """Return ``value`` as NFKC-normalised text with all whitespace removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split())


# --------------------------------------------------------------------------------------
# Unified social credit code (GB 32100-2015)
# --------------------------------------------------------------------------------------

#: The 31 characters allowed in a USCC; a character's value is its index here.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {char: index for index, char in enumerate(USCC_CHARSET)}
#: Weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_LENGTH = 18


def normalize_uscc(value: str | None) -> str:
    """Return the canonical form of a USCC: whitespace removed, upper-case, half-width.

    Never raises; the result is only guaranteed valid if ``validate_uscc`` accepts it.
    """
    return _clean(value).upper()


def compute_uscc_check(first17: str) -> str:
    """Return the check character (position 18) for the first 17 USCC characters.

    Raises ``ValueError`` unless ``first17`` is exactly 17 characters from ``USCC_CHARSET``.
    """
    if len(first17) != 17 or any(char not in _USCC_VALUES for char in first17):
        raise ValueError("first17 must be 17 characters from USCC_CHARSET")
    total = sum(
        _USCC_VALUES[char] * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str | None) -> None:
    """Raise ``ValidationError`` unless ``value`` is a valid unified social credit code.

    Positions 1–2 (registration authority and organisation type) may be any character
    of the charset, since letters such as 'N' or 'Y' are in real use; positions 3–8
    must be digits; position 18 must match :func:`compute_uscc_check`.
    Error codes: ``uscc_length``, ``uscc_characters``, ``uscc_division``,
    ``uscc_check``.
    """
    code = normalize_uscc(value)
    if len(code) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; you entered %(length)d."),
            code="uscc_length",
            params={"length": len(code)},
        )
    if any(char not in _USCC_VALUES for char in code):
        raise ValidationError(
            _(
                "A unified social credit code may contain only digits and capital letters "
                "other than I, O, S, V and Z."
            ),
            code="uscc_characters",
        )
    if any(char not in _DIGITS for char in code[2:8]):
        raise ValidationError(
            _(
                "Characters 3 to 8 of a unified social credit code (the administrative "
                "division code) must be digits."
            ),
            code="uscc_division",
        )
    if compute_uscc_check(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The check character (the last character) of the unified social credit "
                "code is incorrect. Please check the code."
            ),
            code="uscc_check",
        )


# --------------------------------------------------------------------------------------
# Resident identity card number (GB 11643-1999)
# --------------------------------------------------------------------------------------

#: Weight of position i (1-based) is 2^(18-i) mod 11.
RESIDENT_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_RESIDENT_ID_CHECK_CHARS = "10X98765432"
RESIDENT_ID_LENGTH = 18


def normalize_resident_id(value: str | None) -> str:
    """Return the canonical form of an ID number: whitespace removed, 'x' → 'X', half-width.

    Never raises; the result is only guaranteed valid if ``validate_resident_id``
    accepts it.
    """
    return _clean(value).upper()


def compute_resident_id_check(first17: str) -> str:
    """Return the check character ('0'–'9' or 'X') for the first 17 digits of an ID number.

    Raises ``ValueError`` unless ``first17`` is exactly 17 ASCII digits.
    """
    if len(first17) != 17 or any(char not in _DIGITS for char in first17):
        raise ValueError("first17 must be 17 ASCII digits")
    total = sum(
        int(char) * weight for char, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True)
    )
    return _RESIDENT_ID_CHECK_CHARS[total % 11]


def _today() -> datetime.date:
    """Return today's date in the current time zone (works with USE_TZ on or off)."""
    return timezone.localdate() if settings.USE_TZ else timezone.now().date()


def validate_resident_id(value: str | None) -> None:
    """Raise ``ValidationError`` unless ``value`` is a valid 18-character ID number.

    Checks the format (17 digits + digit/X), the birth date in positions 7–14 (a real
    date, year >= 1900, not after today) and the check character.
    Error codes: ``resident_id_length``, ``resident_id_format``,
    ``resident_id_birth_date``, ``resident_id_check``.
    """
    number = normalize_resident_id(value)
    if len(number) != RESIDENT_ID_LENGTH:
        raise ValidationError(
            _("A resident identity card number has 18 characters; you entered %(length)d."),
            code="resident_id_length",
            params={"length": len(number)},
        )
    if any(char not in _DIGITS for char in number[:17]) or number[17] not in "0123456789X":
        raise ValidationError(
            _(
                "The first 17 characters of an identity card number must be digits and the "
                "last one must be a digit or X."
            ),
            code="resident_id_format",
        )
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth_date = None
    if birth_date is None or birth_date.year < 1900 or birth_date > _today():
        raise ValidationError(
            _("The date of birth in the identity card number is not valid."),
            code="resident_id_birth_date",
        )
    if compute_resident_id_check(number[:17]) != number[17]:
        raise ValidationError(
            _(
                "The check digit (the last character) of the identity card number is "
                "incorrect. Please check the number."
            ),
            code="resident_id_check",
        )


# --------------------------------------------------------------------------------------
# Mainland China mobile number
# --------------------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"(?:\+?86[ -]?)?(1[3-9][0-9]{9})", re.ASCII)


def normalize_mobile(value: str | None) -> str:
    """Return the bare 11-digit number for a valid mobile ('+86 138…' → '138…').

    Input that is not a valid mobile number is returned NFKC-normalised and stripped,
    but otherwise unchanged. Never raises.
    """
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    match = _MOBILE_RE.fullmatch(text)
    return match.group(1) if match else text


def validate_mobile(value: str | None) -> None:
    """Raise ``ValidationError`` (code ``mobile``) unless ``value`` is a mainland mobile.

    Accepted: ``1[3-9]`` followed by 9 digits, optionally prefixed with ``+86`` or ``86``
    and an optional single space or dash.
    """
    if not _MOBILE_RE.fullmatch(normalize_mobile(value)):
        raise ValidationError(
            _("Enter a valid 11-digit mainland China mobile number."),
            code="mobile",
        )


# --------------------------------------------------------------------------------------
# Free text typed into a form or an API call
# --------------------------------------------------------------------------------------


def clean_text(
    value: object,
    *,
    field: str,
    max_length: int,
    required: str | None = None,
    errors: dict[str, list] | None = None,
) -> str:
    """Return ``value`` as stripped text, checking it as every service checks free text.

    Blank text is an error (with the message ``required``) only when ``required`` is given;
    text longer than ``max_length`` always is. An error goes under ``field``: into ``errors``
    when the caller collects a form's errors before failing once, else raised at once as a
    :class:`~django.core.exceptions.ValidationError` keyed by ``field``.
    """
    text = ("" if value is None else str(value)).strip()
    message = None
    if not text and required:
        message = required
    elif len(text) > max_length:
        message = _("Keep it within %(max)d characters.") % {"max": max_length}
    if message is not None:
        if errors is None:
            raise ValidationError({field: [message]})
        errors.setdefault(field, []).append(message)
    return text
