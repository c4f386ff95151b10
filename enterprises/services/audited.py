"""The step every create service of the app ends with: validate, save, audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import models

from bureau.audit import audit, snapshot
from bureau.models import User

M = TypeVar("M", bound=models.Model)


def audited_create(
    instance: M,
    *,
    by: User | None,
    action: str,
    fields: Iterable[str],
    message: str = "",
) -> M:
    """Validate and save the new `instance`, then audit `action` with the
    values of `fields` as they were saved. Call inside the service's
    transaction."""
    instance.full_clean()
    instance.save()
    audit(
        by=by,
        action=action,
        target=instance,
        after=snapshot(instance, fields),
        message=message,
    )
    return instance
