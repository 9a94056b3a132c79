"""Field-level encryption of personal data (Fernet) with blind indexes for exact lookups.

Configuration: ``settings.FIELD_ENCRYPTION_KEY`` is a string of one or more
comma-separated Fernet keys (``Fernet.generate_key()``, see :func:`generate_key`). The
first key encrypts; every key is tried for decryption, so a key is rotated by
prepending a new one (``"NEW,OLD"``), re-saving every row, then dropping ``OLD``.

Blind index: :func:`blind_index` is an HMAC-SHA256 (64 hex characters) under a key
derived from the *primary* Fernet key, so equal plaintexts can be found with an exact
lookup on a sibling ``CharField(max_length=64, db_index=True)``. Because the index key
follows the primary key, rows keep their old index until they are re-saved after a
rotation; :func:`blind_index_candidates` / :meth:`EncryptedCharField.blind_index_q`
match both old and new indexes during that window.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.lookups import Exact
from django.dispatch import receiver
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

__all__ = [
    "DecryptionError",
    "EncryptedCharField",
    "blind_index",
    "blind_index_candidates",
    "blind_index_lookup",
    "decrypt",
    "encrypt",
    "generate_key",
]

SETTING_NAME = "FIELD_ENCRYPTION_KEY"
BLIND_INDEX_LENGTH = 64
_BLIND_INDEX_CONTEXT = b"tongxin-blind-index"

Normalizer = Callable[[str], str]


class DecryptionError(ImproperlyConfigured):
    """A stored value could not be decrypted with any configured key."""


# --------------------------------------------------------------------------------------
# Key ring
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _KeyRing:
    # Key material is kept out of repr() so it cannot end up in logs or tracebacks.
    setting: object = dataclasses.field(repr=False)
    fernet: MultiFernet = dataclasses.field(repr=False)
    index_keys: tuple[bytes, ...] = dataclasses.field(
        repr=False
    )  # one per Fernet key, primary first


_keyring: _KeyRing | None = None


def generate_key() -> str:
    """Return a new random Fernet key, suitable for ``FIELD_ENCRYPTION_KEY``."""
    return Fernet.generate_key().decode("ascii")


def _build_keyring(setting: object) -> _KeyRing:
    """Parse the setting into a key ring; raise ``ImproperlyConfigured`` if unusable."""
    if isinstance(setting, str):
        parts: Sequence[object] = setting.split(",")
    elif isinstance(setting, (list, tuple)):
        parts = setting
    else:
        parts = []
    keys = [part.strip() for part in parts if isinstance(part, str) and part.strip()]
    if not keys:
        raise ImproperlyConfigured(
            f"{SETTING_NAME} is not set. Set it to one or more comma-separated Fernet keys; "
            "generate one with portal.crypto.generate_key()."
        )
    fernets: list[Fernet] = []
    index_keys: list[bytes] = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
            raw = base64.urlsafe_b64decode(key)
        except (ValueError, binascii.Error) as exc:
            raise ImproperlyConfigured(
                f"Key #{position} in {SETTING_NAME} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from exc
        index_keys.append(hmac.new(raw, _BLIND_INDEX_CONTEXT, hashlib.sha256).digest())
    return _KeyRing(setting=setting, fernet=MultiFernet(fernets), index_keys=tuple(index_keys))


def _get_keyring() -> _KeyRing:
    """Return the cached key ring, rebuilding it if the setting has changed."""
    global _keyring
    setting = getattr(settings, SETTING_NAME, None)
    ring = _keyring
    if ring is None or ring.setting != setting:
        ring = _keyring = _build_keyring(setting)
    return ring


@receiver(setting_changed)
def _reset_keyring(*, setting: str, **kwargs: Any) -> None:
    """Drop the cached key ring when tests override ``FIELD_ENCRYPTION_KEY``."""
    global _keyring
    if setting == SETTING_NAME:
        _keyring = None


# --------------------------------------------------------------------------------------
# Primitives
# --------------------------------------------------------------------------------------


def encrypt(value: str) -> str:
    """Return a Fernet token (ASCII text) for ``value`` under the primary key.

    Tokens are randomised: encrypting the same value twice gives different tokens.
    """
    if not isinstance(value, str):
        raise TypeError(f"encrypt() expects str, not {type(value).__name__}")
    return _get_keyring().fernet.encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Return the plaintext of a token made by :func:`encrypt` under any configured key.

    Raises :class:`DecryptionError` if no key matches or the token is corrupt; never
    returns garbage.
    """
    if not isinstance(token, str):
        raise TypeError(f"decrypt() expects str, not {type(token).__name__}")
    try:
        return _get_keyring().fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError(
            f"Cannot decrypt an encrypted field value: none of the keys in {SETTING_NAME} "
            "matches it (was a key removed during rotation?) or the stored value is corrupt."
        ) from exc


def blind_index(value: str) -> str:
    """Return the 64-hex-digit blind index of ``value`` under the primary key.

    Deterministic: equal values give equal indexes, different values different ones.
    """
    if not isinstance(value, str):
        raise TypeError(f"blind_index() expects str, not {type(value).__name__}")
    key = _get_keyring().index_keys[0]
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _resolve_normalizer(normalizer: Normalizer | str | None) -> Normalizer | None:
    return import_string(normalizer) if isinstance(normalizer, str) else normalizer


def blind_index_lookup(value: str | None, normalizer: Normalizer | str | None = None) -> str:
    """Return what an :class:`EncryptedCharField` stores in its blind index for ``value``.

    ``normalizer`` (callable or dotted path) must be the field's normaliser. Blank values
    give ``""``. Use for exact lookups, e.g.
    ``Person.objects.filter(mobile_index=blind_index_lookup(raw, normalize_mobile))``;
    during a key rotation prefer :func:`blind_index_candidates`.
    """
    return blind_index_candidates(value, normalizer)[0]


def blind_index_candidates(
    value: str | None, normalizer: Normalizer | str | None = None
) -> list[str]:
    """Return the blind index of ``value`` under every configured key, primary first.

    Filter with ``<index_field>__in=...`` to also find rows saved before a key rotation.
    Blank values give ``[""]``.
    """
    text = "" if value is None else str(value)
    function = _resolve_normalizer(normalizer)
    if function is not None and text:
        text = function(text)
    if not text:
        return [""]
    data = text.encode("utf-8")
    digests = (hmac.new(k, data, hashlib.sha256).hexdigest() for k in _get_keyring().index_keys)
    return list(dict.fromkeys(digests))


# --------------------------------------------------------------------------------------
# Model field
# --------------------------------------------------------------------------------------


class _BlankOnlyExact(Exact):
    """``exact`` that only allows comparing with ``None`` or ``""`` (stored unencrypted)."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs is not None and not (isinstance(rhs, str) and rhs == ""):
            field = getattr(lhs, "output_field", None)
            raise FieldError(_lookup_message(field, "exact"))
        super().__init__(lhs, rhs)


def _lookup_message(field: Any, lookup_name: str) -> str:
    label = getattr(field, "name", None) or "?"
    index_field = getattr(field, "blind_index_field", None)
    hint = (
        f"filter on its blind index field {index_field!r} instead, e.g. "
        f".filter(model._meta.get_field({label!r}).blind_index_q(value))"
        if index_field
        else "give the field a blind_index_field to support exact lookups"
    )
    return (
        f"Encrypted field {label!r} does not support the {lookup_name!r} lookup because its "
        f"stored values are encrypted; only isnull and comparisons with None or '' work. "
        f"To find a value, {hint}."
    )


class EncryptedCharField(models.TextField):
    """A text field stored as a Fernet token; the Python-side value is the plaintext.

    * ``normalizer``: dotted path of a ``str -> str`` function (e.g.
      ``"portal.validators.normalize_mobile"``), applied on save before encrypting and
      hashing; it is imported lazily so migrations stay stable, and must be idempotent.
    * ``blind_index_field``: name of a sibling ``CharField(max_length=64,
      db_index=True)`` that :meth:`pre_save` fills with :func:`blind_index` of the
      normalised value (``""``, or ``None`` if that field is nullable, for blanks).

    ``""`` and ``None`` are stored as they are. Only ``isnull`` and comparisons with
    ``None``/``""`` are supported as lookups; anything else raises ``FieldError``. Use
    :meth:`blind_index_q` for exact matches. ``QuerySet.update()``, ``bulk_update()``
    and ``save(update_fields=[...])`` without the index field do not refresh the blind
    index; set it yourself with :meth:`blind_index_for`. ``dumpdata`` writes plaintext.
    """

    description = "Encrypted text"

    def __init__(
        self,
        *args: Any,
        blind_index_field: str | None = None,
        normalizer: str | None = None,
        **kwargs: Any,
    ) -> None:
        if normalizer is not None and not isinstance(normalizer, str):
            raise TypeError(
                "EncryptedCharField(normalizer=...) takes a dotted path such as "
                "'portal.validators.normalize_mobile', not a callable."
            )
        self.blind_index_field = blind_index_field
        self.normalizer = normalizer
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    # -- migrations -----------------------------------------------------------------

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.blind_index_field is not None:
            kwargs["blind_index_field"] = self.blind_index_field
        if self.normalizer is not None:
            kwargs["normalizer"] = self.normalizer
        return name, path, args, kwargs

    # -- values -----------------------------------------------------------------------

    @cached_property
    def normalizer_function(self) -> Normalizer | None:
        """The imported ``normalizer`` (or ``None``)."""
        return _resolve_normalizer(self.normalizer)

    def normalize(self, value: str | None) -> str | None:
        """Return ``value`` with the normaliser applied (``None``/``""`` unchanged)."""
        if value is None or value == "":
            return value
        value = str(value)
        function = self.normalizer_function
        return function(value) if function is not None else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(self.normalize(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        """Normalise the instance's value and fill the blind index field; return the value."""
        value = self.normalize(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        if self.blind_index_field:
            if value:
                index: str | None = blind_index(value)
            else:
                index = None if self._index_field_is_nullable(model_instance) else ""
            setattr(model_instance, self.blind_index_field, index)
        return value

    def _index_field_is_nullable(self, model_instance: Any) -> bool:
        meta = getattr(model_instance, "_meta", None)
        if meta is None:
            return False
        try:
            return bool(meta.get_field(self.blind_index_field).null)
        except FieldDoesNotExist:
            return False

    # -- lookups ----------------------------------------------------------------------

    def blind_index_for(self, value: str | None) -> str:
        """Return what :meth:`pre_save` would store in the blind index for ``value``."""
        return blind_index_lookup(value, self.normalizer_function)

    def blind_index_q(self, value: str | None) -> models.Q:
        """Return a ``Q`` matching rows whose plaintext equals ``value`` (via the index).

        Matches indexes made under any configured key, so it keeps working during a key
        rotation. Blank values match blank indexes (``""`` or NULL).
        """
        if not self.blind_index_field:
            raise ImproperlyConfigured(
                f"Encrypted field {self.name!r} has no blind_index_field to look values up by."
            )
        candidates = blind_index_candidates(value, self.normalizer_function)
        query = models.Q(**{f"{self.blind_index_field}__in": candidates})
        if candidates == [""]:
            query |= models.Q(**{f"{self.blind_index_field}__isnull": True})
        return query

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _BlankOnlyExact
        raise FieldError(_lookup_message(self, lookup_name))

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(_lookup_message(self, lookup_name))

    # -- forms and checks -------------------------------------------------------------

    def formfield(self, **kwargs: Any) -> Any:
        """Use a one-line text input rather than TextField's textarea."""
        if self.choices is None:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            *super().check(**kwargs),
            *self._check_not_unique(),
            *self._check_normalizer(),
            *self._check_blind_index_field(),
        ]

    def _check_not_unique(self) -> list[checks.CheckMessage]:
        if self.unique or self.primary_key:
            return [
                checks.Error(
                    "EncryptedCharField cannot be unique or a primary key: tokens are randomised.",
                    hint="Put unique=True on the blind index field instead.",
                    obj=self,
                    id="portal.E901",
                )
            ]
        return []

    def _check_normalizer(self) -> list[checks.CheckMessage]:
        if self.normalizer is None:
            return []
        try:
            function = import_string(self.normalizer)
        except ImportError:
            function = None
        if not callable(function):
            return [
                checks.Error(
                    f"normalizer {self.normalizer!r} is not an importable callable.",
                    obj=self,
                    id="portal.E902",
                )
            ]
        return []

    def _check_blind_index_field(self) -> list[checks.CheckMessage]:
        if not self.blind_index_field:
            return []
        try:
            target = self.model._meta.get_field(self.blind_index_field)
        except FieldDoesNotExist:
            target = None
        if (
            not isinstance(target, models.CharField)
            or target.max_length is None
            or target.max_length < BLIND_INDEX_LENGTH
        ):
            return [
                checks.Error(
                    f"blind_index_field {self.blind_index_field!r} must name a CharField "
                    f"with max_length >= {BLIND_INDEX_LENGTH} on the same model.",
                    obj=self,
                    id="portal.E903",
                )
            ]
        return []
