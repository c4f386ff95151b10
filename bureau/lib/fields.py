"""A model field for personal data kept encrypted at rest (bureau/lib/pii.py).

`EncryptedTextField` stores SM4-GCM ciphertext and hands Python the clear
value, so services and forms work with the phone number as typed while the
database, its backups and its logs never hold it. It cannot be filtered or
ordered on (the ciphertext differs each time); show it with `pii.mask_phone`
except to its owner. Values stored in clear before the field was encrypted,
and Fernet values, still read; `manage.py pii_reencrypt` rewrites them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from bureau.lib import pii


class EncryptedTextField(models.TextField):
    """Clear text in Python, `sm4gcm:` ciphertext in the database.

    `max_length` bounds the clear value (forms and validation), not the
    column, which is text."""

    description = "Text encrypted with SM4-GCM"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        if pii.is_encrypted(value):
            return pii.decrypt(value)
        return value  # written in clear before encryption; pii_reencrypt fixes

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        if pii.is_encrypted(value):
            return value
        return pii.encrypt(value)

    def formfield(self, **kwargs: Any) -> Any:
        # A one-line box, not a textarea.
        from django import forms

        defaults: dict[str, Any] = {
            "widget": forms.TextInput,
            "max_length": self.max_length,
        }
        defaults.update(kwargs)
        return super().formfield(**defaults)


def reencrypt_column(model: type[models.Model], name: str) -> int:
    """Rewrite every value of `model.name` not yet under the current SM4 key
    (clear text, Fernet, a retired SM4 key); the number rewritten. Used by the
    migrations that made a column encrypted and by `pii_reencrypt`."""
    from django.db.models.functions import Cast

    rows = (
        model._default_manager.exclude(**{name: ""})
        .annotate(_raw=Cast(name, models.TextField()))
        .values_list("pk", "_raw")
    )
    changed = 0
    for pk, raw in rows.iterator(chunk_size=1000):
        if not raw or pii.is_current(raw):
            continue
        clear = pii.decrypt(raw) if pii.is_encrypted(raw) else raw
        model._default_manager.filter(pk=pk).update(**{name: clear})
        changed += 1
    return changed


def encrypt_column_migration(app_label: str, model_name: str, name: str) -> Any:
    """A RunPython operation encrypting a column that used to be clear."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        reencrypt_column(apps.get_model(app_label, model_name), name)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)
