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
            for rewrite in pii.REENCRYPT_HOOKS:
                counts.update(rewrite())
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
