"""Validating the items of a list a service was given."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


def full_clean_item(item: models.Model, *, key: str) -> None:
    """`item.full_clean()`, with the errors keyed `<key>.<field>` (e.g.
    `criteria[2].weight`) so the caller can tell which item of its list was
    refused."""
    try:
        item.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {f"{key}.{name}": messages for name, messages in exc.message_dict.items()}
        ) from None
