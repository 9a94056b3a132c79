"""Re-encrypt every encrypted field under the first key of ``FIELD_ENCRYPTION_KEY``.

A key is rotated in three steps (README, "Operating"): put the new key first
(``FIELD_ENCRYPTION_KEY=NEW,OLD``) and restart; run this command; drop ``OLD`` and restart.
Until the command has run, rows written under ``OLD`` still decrypt (every key is tried) and are
still found by their blind index (every key's index is matched), so the portal works throughout.
"""

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from portal.crypto import SETTING_NAME, EncryptedCharField


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedCharField]]]:
    """Every concrete model with encrypted fields, and those fields."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            found.append((model, fields))
    return found


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (mobile numbers, robot secrets, …) and refresh its "
        "blind index under the first key of FIELD_ENCRYPTION_KEY, so that the other keys can "
        "be dropped. Rows already under the first key are left alone; safe to run again. The "
        "last line starts with the number of values rewritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if any value still needs the older keys.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="rows per transaction (default 500)"
        )

    def handle(self, *args, check: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        keys = [k.strip() for k in str(getattr(settings, SETTING_NAME, "")).split(",") if k.strip()]
        if not keys:
            raise CommandError(f"{SETTING_NAME} is not set.")
        primary = Fernet(keys[0])
        total = 0
        for model, fields in encrypted_fields():
            stale = self._stale_pks(model, fields, primary)
            label = f"{model._meta.label}: {', '.join(f.name for f in fields)}"
            if check:
                self.stdout.write(f"{label}: {len(stale)} rows still need an older key")
            else:
                for start in range(0, len(stale), batch_size):
                    self._rewrite(model, fields, stale[start : start + batch_size])
                self.stdout.write(f"{label}: {len(stale)} rows re-encrypted")
            total += len(stale)
        if check:
            if total:
                raise CommandError(
                    f"{total} rows still need an older key: run rotate_encryption_key before "
                    f"removing it from {SETTING_NAME}."
                )
            self.stdout.write(f"0 rows need an older key: {SETTING_NAME} can keep only its first.")
            return
        self.stdout.write(f"{total} rows re-encrypted under the first key of {SETTING_NAME}.")

    @staticmethod
    def _stale_pks(model, fields, primary: Fernet) -> list:
        """Rows with a value the first key cannot decrypt, or a blind index from another key.
        The stored tokens are read as text (``Cast``), without the field's decryption."""
        raw = {f"_raw_{f.attname}": Cast(f.attname, models.TextField()) for f in fields}
        values = [f.attname for f in fields] + [
            f.blind_index_field for f in fields if f.blind_index_field
        ]
        stale = []
        rows = model._base_manager.annotate(**raw).values("pk", *raw, *values).order_by("pk")
        for row in rows.iterator(chunk_size=2000):
            for field in fields:
                token = row[f"_raw_{field.attname}"]
                if not token:
                    continue
                try:
                    primary.decrypt(token.encode("ascii"))
                except InvalidToken:
                    stale.append(row["pk"])
                    break
                index = field.blind_index_field
                if index and row[index] != field.blind_index_for(row[field.attname]):
                    stale.append(row["pk"])
                    break
        return stale

    @staticmethod
    def _rewrite(model, fields, pks: list) -> None:
        names = [f.attname for f in fields] + [
            f.blind_index_field for f in fields if f.blind_index_field
        ]
        with transaction.atomic():
            # Locked, so that a person editing one of these rows meanwhile is not overwritten.
            objects = list(
                model._base_manager.select_for_update().filter(pk__in=pks).only("pk", *names)
            )
            for obj in objects:
                for field in fields:
                    field.pre_save(obj, add=False)  # normalises and sets the blind index
            # Saving encrypts under the first key (``get_prep_value``).
            model._base_manager.bulk_update(objects, names)
