"""Configuration saved from the admin, org units, and the audit export record."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from bureau.audit import audit, audited_save, snapshot
from bureau.models import (
    OrgUnit,
    User,
)

if TYPE_CHECKING:
    pass


M = TypeVar("M", bound=models.Model)

ORG_UNIT_AUDIT_FIELDS = ("code", "name", "level", "parent", "is_home", "is_active")


# --- Org units --------------------------------------------------------------


@transaction.atomic
def org_unit_save(*, unit: OrgUnit, by: User | None) -> OrgUnit:
    """Create or update an org unit (validated, audited)."""
    unit.full_clean()
    return _save_audited(unit, by=by, fields=ORG_UNIT_AUDIT_FIELDS, action="org_unit")


@transaction.atomic
def config_save(
    *, obj: models.Model, by: User | None, fields: Iterable[str]
) -> models.Model:
    """Create or change a row of configuration data (kept in the admin), with
    an audit event `config.<model>.create|update` listing what changed."""
    action = f"config.{obj._meta.model_name}"
    return _save_audited(obj, by=by, fields=tuple(fields), action=action)


def _save_audited(
    obj: M, *, by: User | None, fields: tuple[str, ...], action: str
) -> M:
    """Save `obj` (already validated) and audit `<action>.create` or
    `<action>.update` with the `fields` that changed."""
    stored = (
        type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
        if obj.pk is not None
        else None
    )
    return audited_save(
        obj,
        by=by,
        action=f"{action}.{'create' if stored is None else 'update'}",
        fields=fields,
        before=snapshot(stored, fields) if stored is not None else None,
        validate=False,
    )


def audit_export_record(*, by: User, filters: dict[str, Any]) -> None:
    """Exporting the audit trail is itself an audited action."""
    shown = {key: value for key, value in filters.items() if value}
    audit(
        by=by,
        action="audit.export",
        message=json.dumps(shown, ensure_ascii=False, default=str) if shown else "",
    )
