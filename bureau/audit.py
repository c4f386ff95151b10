"""Writing audit events from services: one call per business action.

audit(by=user, action="enterprise.update", target=enterprise,
      before=before, after=snapshot(enterprise, fields))
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from bureau.lib.request_context import current_ip
from bureau.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-ready values of `fields` on `instance`; foreign keys by id."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _plain(getattr(instance, attname))
    return values


def changes_between(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, list[Any]]:
    """{"field": [before, after]} for every field whose value differs."""
    before, after = before or {}, after or {}
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def audit(
    *,
    by: Any,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    username: str = "",
) -> AuditEvent:
    """Append one audit event. `by` is the acting user (None for the system or
    an anonymous caller, whose claimed `username` may be given instead)."""
    actor = by if getattr(by, "pk", None) else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor else username[:150],
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        changes=changes_between(before, after),
        message=message[:500],
        ip_address=current_ip.get(),
    )
