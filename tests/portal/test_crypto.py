"""Tests for portal.crypto: Fernet encryption, key rotation, blind indexes and the field."""

from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django import forms
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.migrations.writer import MigrationWriter
from django.db.models.expressions import Col
from django.db.models.lookups import IsNull
from django.test.utils import isolate_apps
from django.utils.module_loading import import_string

from portal.crypto import (
    DecryptionError,
    EncryptedCharField,
    blind_index,
    blind_index_candidates,
    blind_index_lookup,
    decrypt,
    encrypt,
    generate_key,
)

MOBILE = "13812345678"
NORMALIZER = "portal.validators.normalize_mobile"


@pytest.fixture
def key_a(settings) -> str:
    key = generate_key()
    settings.FIELD_ENCRYPTION_KEY = key
    return key


@pytest.fixture
def key_b() -> str:
    return generate_key()


def mobile_field(**kwargs) -> EncryptedCharField:
    field = EncryptedCharField(blind_index_field="mobile_hash", normalizer=NORMALIZER, **kwargs)
    field.set_attributes_from_name("mobile")
    return field


# --- encrypt / decrypt ------------------------------------------------------------------------


@pytest.mark.usefixtures("key_a")
@pytest.mark.parametrize("plaintext", [MOBILE, "张三", "330802199001011234", "", "a,b"])
def test_roundtrip(plaintext):
    assert decrypt(encrypt(plaintext)) == plaintext


@pytest.mark.usefixtures("key_a")
def test_token_differs_from_plaintext_and_is_randomised():
    first, second = encrypt(MOBILE), encrypt(MOBILE)
    assert MOBILE not in first
    assert first != second
    assert decrypt(first) == decrypt(second) == MOBILE


def test_token_is_a_fernet_token_under_the_key(key_a):
    assert Fernet(key_a).decrypt(encrypt(MOBILE).encode()).decode() == MOBILE


@pytest.mark.usefixtures("key_a")
def test_encrypt_and_decrypt_reject_non_strings():
    with pytest.raises(TypeError):
        encrypt(13812345678)
    with pytest.raises(TypeError):
        decrypt(b"token")


# --- keys and rotation ------------------------------------------------------------------------


def test_rotation_keeps_old_tokens_readable_and_encrypts_with_new_key(settings, key_a, key_b):
    old_token = encrypt(MOBILE)

    settings.FIELD_ENCRYPTION_KEY = f"{key_b}, {key_a}"
    assert decrypt(old_token) == MOBILE
    new_token = encrypt(MOBILE)
    assert Fernet(key_b).decrypt(new_token.encode()).decode() == MOBILE

    settings.FIELD_ENCRYPTION_KEY = key_b  # old key retired
    assert decrypt(new_token) == MOBILE
    with pytest.raises(DecryptionError):
        decrypt(old_token)


def test_decrypt_with_no_matching_key_raises_clear_error(settings, key_a, key_b):
    token = encrypt(MOBILE)
    settings.FIELD_ENCRYPTION_KEY = key_b
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        decrypt(token)


@pytest.mark.usefixtures("key_a")
@pytest.mark.parametrize("garbage", ["not-a-token", "", MOBILE, "gAAAAABcorrupt"])
def test_decrypt_corrupt_value_raises(garbage):
    with pytest.raises(DecryptionError):
        decrypt(garbage)


@pytest.mark.parametrize("missing", ["", " , ", None])
def test_missing_key_raises_clear_error(settings, missing):
    settings.FIELD_ENCRYPTION_KEY = missing
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY is not set"):
        encrypt(MOBILE)


def test_deleted_setting_raises_clear_error(settings):
    del settings.FIELD_ENCRYPTION_KEY
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY is not set"):
        blind_index(MOBILE)


def test_invalid_key_raises_without_leaking_it(settings, key_b):
    settings.FIELD_ENCRYPTION_KEY = f"{key_b},not-a-valid-key"
    with pytest.raises(ImproperlyConfigured, match="Key #2") as info:
        encrypt(MOBILE)
    assert "not-a-valid-key" not in str(info.value)
    assert key_b not in str(info.value)


# --- blind index ------------------------------------------------------------------------------


@pytest.mark.usefixtures("key_a")
def test_blind_index_is_deterministic_hex_sha256():
    index = blind_index(MOBILE)
    assert index == blind_index(MOBILE)
    assert len(index) == 64
    assert int(index, 16) >= 0
    assert MOBILE not in index


@pytest.mark.usefixtures("key_a")
def test_blind_index_differs_for_different_values():
    assert blind_index(MOBILE) != blind_index("13812345679")


def test_blind_index_depends_on_primary_key(settings, key_a, key_b):
    under_a = blind_index(MOBILE)
    settings.FIELD_ENCRYPTION_KEY = f"{key_b},{key_a}"
    under_b = blind_index(MOBILE)
    assert under_a != under_b
    assert blind_index_candidates(MOBILE) == [under_b, under_a]
    assert blind_index_lookup(MOBILE) == under_b


@pytest.mark.usefixtures("key_a")
def test_blind_index_lookup_applies_normalizer_and_handles_blanks():
    expected = blind_index(MOBILE)
    assert blind_index_lookup("+86 13812345678", NORMALIZER) == expected
    assert blind_index_lookup("+86 13812345678", import_string(NORMALIZER)) == expected
    assert blind_index_lookup("+86 13812345678") != expected
    assert blind_index_lookup("") == ""
    assert blind_index_lookup(None, NORMALIZER) == ""


# --- EncryptedCharField -----------------------------------------------------------------------


@pytest.mark.usefixtures("key_a")
def test_field_get_prep_value_encrypts_normalised_value():
    field = mobile_field()
    stored = field.get_prep_value("+86 13812345678")
    assert MOBILE not in stored
    assert decrypt(stored) == MOBILE
    assert stored != field.get_prep_value(MOBILE)


@pytest.mark.usefixtures("key_a")
@pytest.mark.parametrize("blank", [None, ""])
def test_field_blank_values_are_stored_as_is(blank):
    field = mobile_field()
    assert field.get_prep_value(blank) == blank
    assert field.from_db_value(blank, None, None) == blank


@pytest.mark.usefixtures("key_a")
def test_field_from_db_value_decrypts():
    field = mobile_field()
    assert field.from_db_value(encrypt(MOBILE), None, None) == MOBILE


def test_field_from_db_value_with_unknown_key_raises(settings, key_a, key_b):
    field = mobile_field()
    stored = field.get_prep_value(MOBILE)
    settings.FIELD_ENCRYPTION_KEY = key_b
    with pytest.raises(DecryptionError):
        field.from_db_value(stored, None, None)


@pytest.mark.usefixtures("key_a")
def test_field_pre_save_normalises_and_fills_blind_index():
    field = mobile_field()
    instance = SimpleNamespace(mobile="+86-13812345678", mobile_hash="stale")
    assert field.pre_save(instance, add=True) == MOBILE
    assert instance.mobile == MOBILE
    assert instance.mobile_hash == blind_index(MOBILE)
    assert instance.mobile_hash == field.blind_index_for("+86 13812345678")


@pytest.mark.usefixtures("key_a")
@pytest.mark.parametrize("blank", [None, ""])
def test_field_pre_save_blank_clears_blind_index(blank):
    field = mobile_field()
    instance = SimpleNamespace(mobile=blank, mobile_hash="stale")
    assert field.pre_save(instance, add=False) == blank
    assert instance.mobile_hash == ""


@pytest.mark.usefixtures("key_a")
def test_field_without_blind_index_or_normalizer():
    field = EncryptedCharField()
    field.set_attributes_from_name("secret")
    instance = SimpleNamespace(secret=" s3cret ")
    assert field.pre_save(instance, add=True) == " s3cret "
    assert instance.__dict__ == {"secret": " s3cret "}
    assert decrypt(field.get_prep_value(" s3cret ")) == " s3cret "
    with pytest.raises(ImproperlyConfigured):
        field.blind_index_q("x")


def test_field_rejects_callable_normalizer():
    with pytest.raises(TypeError, match="dotted path"):
        EncryptedCharField(normalizer=import_string(NORMALIZER))


def test_field_deconstruct_round_trip():
    field = mobile_field(verbose_name="mobile number", blank=True, default="")
    name, path, args, kwargs = field.deconstruct()
    assert name == "mobile"
    assert path == "portal.crypto.EncryptedCharField"
    assert kwargs["blind_index_field"] == "mobile_hash"
    assert kwargs["normalizer"] == NORMALIZER

    rebuilt = import_string(path)(*args, **kwargs)
    rebuilt.set_attributes_from_name(name)
    assert rebuilt.deconstruct() == (name, path, args, kwargs)


def test_field_deconstruct_omits_unset_options():
    _, _, _, kwargs = EncryptedCharField().deconstruct()
    assert "blind_index_field" not in kwargs
    assert "normalizer" not in kwargs


def test_field_serialises_for_migrations():
    source, imports = MigrationWriter.serialize(mobile_field(blank=True))
    assert source.startswith("portal.crypto.EncryptedCharField(")
    assert f"normalizer='{NORMALIZER}'" in source
    assert "blind_index_field='mobile_hash'" in source
    assert "import portal.crypto" in imports
    assert "lambda" not in source


def test_field_only_allows_isnull_and_blank_exact_lookups():
    field = mobile_field()
    assert field.get_lookup("isnull") is IsNull
    for name in ("contains", "icontains", "in", "startswith", "iexact", "gt"):
        with pytest.raises(FieldError, match="mobile_hash"):
            field.get_lookup(name)
    with pytest.raises(FieldError):
        field.get_transform("lower")

    exact = field.get_lookup("exact")
    column = Col("portal_user", field)
    assert exact(column, "").rhs == ""
    with pytest.raises(FieldError, match="blind index"):
        exact(column, MOBILE)


@pytest.mark.usefixtures("key_a")
def test_field_blind_index_q():
    field = mobile_field()
    q = field.blind_index_q("+86 13812345678")
    assert q.children == [("mobile_hash__in", [blind_index(MOBILE)])]


def test_field_formfield_is_single_line_with_max_length():
    field = mobile_field(max_length=20)
    form_field = field.formfield()
    assert isinstance(form_field, forms.CharField)
    assert isinstance(form_field.widget, forms.TextInput)
    assert form_field.max_length == 20
    assert any(isinstance(v, MaxLengthValidator) for v in field.validators)


# --- With a throwaway model (isolated app registry; nothing is added to the project) ---------


@pytest.mark.usefixtures("key_a")
@isolate_apps("portal")
def test_queries_on_a_model():
    class Person(models.Model):
        mobile = EncryptedCharField(
            blank=True, null=True, blind_index_field="mobile_hash", normalizer=NORMALIZER
        )
        # Nullable on purpose: a unique index needs NULL rather than "" for blanks.
        mobile_hash = models.CharField(  # noqa: DJ001
            max_length=64, blank=True, null=True, db_index=True
        )

        class Meta:
            app_label = "portal"

        def __str__(self) -> str:
            return "person"

    field = Person._meta.get_field("mobile")
    assert [e for e in field.check() if e.id.startswith("portal.")] == []

    Person.objects.filter(mobile__isnull=True)
    Person.objects.filter(mobile=None)
    Person.objects.filter(mobile="")
    Person.objects.filter(field.blind_index_q("+86 13812345678"))
    with pytest.raises(FieldError, match="blind index"):
        Person.objects.filter(mobile=MOBILE)
    with pytest.raises(FieldError, match="contains"):
        Person.objects.filter(mobile__contains="138")

    person = Person(mobile=None, mobile_hash="stale")
    field.pre_save(person, add=True)
    assert person.mobile_hash is None  # nullable index field gets NULL for blanks


@isolate_apps("portal")
def test_system_checks_catch_misconfiguration():
    class Bad(models.Model):
        mobile = EncryptedCharField(
            unique=True, blind_index_field="missing", normalizer="portal.validators.nope"
        )
        short_hash = models.CharField(max_length=32)
        other = EncryptedCharField(blind_index_field="short_hash")

        class Meta:
            app_label = "portal"

        def __str__(self) -> str:
            return "bad"

    ids = {e.id for e in Bad._meta.get_field("mobile").check()}
    assert {"portal.E901", "portal.E902", "portal.E903"} <= ids
    assert "portal.E903" in {e.id for e in Bad._meta.get_field("other").check()}
