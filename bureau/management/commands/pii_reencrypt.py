"""Rewrite personal data under the current SM4 key (国密).

Run after setting PII_SM4_KEY for the first time (values written in clear or
with Fernet become `sm4gcm:`), and after putting a new key first in
PII_SM4_KEY (values under the retired key move to the new one; keep the old
key in the list until this has run). Searchable ID hashes become HMAC-SM3.
Idempotent: a second run rewrites nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from bureau.audit import audit
from bureau.lib import pii
from bureau.lib.fields import EncryptedTextField, reencrypt_column


def _talent_columns() -> dict[str, int]:
    """Talent keeps ID numbers and phones as explicit ciphertext columns with a
    mask (and, for the ID number, the searchable hash) beside them."""
    from talent.models import Talent

    counts = {"talent.id_number": 0, "talent.phone": 0}
    rows = Talent.objects.values_list(
        "pk", "id_number_encrypted", "id_number_hash", "phone_encrypted"
    )
    for pk, id_stored, id_hash, phone_stored in rows.iterator(chunk_size=1000):
        update: dict[str, str] = {}
        if id_stored and not pii.is_current(id_stored):
            clear = pii.decrypt(id_stored)
            update["id_number_encrypted"] = pii.encrypt(clear)
            update["id_number_hash"] = pii.keyed_hash(clear)
            counts["talent.id_number"] += 1
        elif id_stored and len(id_hash) == 64:
            clear = pii.decrypt(id_stored)
            digest = pii.keyed_hash(clear)
            if digest != id_hash:
                update["id_number_hash"] = digest
                counts["talent.id_number"] += 1
        if phone_stored and not pii.is_current(phone_stored):
            update["phone_encrypted"] = pii.encrypt(pii.decrypt(phone_stored))
            counts["talent.phone"] += 1
        if update:
            Talent.objects.filter(pk=pk).update(**update)
    return counts


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data (phones, ID numbers) with the first SM4 key in "
        "PII_SM4_KEY and rehash searchable IDs with HMAC-SM3. Safe to repeat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts: dict[str, int] = {}
        with transaction.atomic():
            for model in apps.get_models():
                for field in model._meta.get_fields():
                    if isinstance(field, EncryptedTextField):
                        label = f"{model._meta.label_lower}.{field.name}"
                        counts[label] = reencrypt_column(model, field.name)
            counts.update(_talent_columns())
            total = sum(counts.values())
            audit(
                by=None,
                action="pii.reencrypt",
                message="; ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
                username="manage.py pii_reencrypt",
            )
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count} rewritten")
        key = pii.key_id(pii.parse_sm4_key(settings.PII_SM4_KEYS[0]))
        self.stdout.write(
            self.style.SUCCESS(f"{total} values rewritten; all under SM4 key {key}.")
        )
