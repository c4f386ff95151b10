"""The audited admin base class for configuration data (rules, tiers,
programmes) that the system administrator keeps in `/admin/`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from bureau.lib.types import acting_user


class AuditedConfigAdmin(admin.ModelAdmin):
    """Saves go through `bureau.services.config_save`: atomic and audited
    like every other business write. Rows are deactivated, never deleted:
    history refers to them."""

    audit_fields: tuple[str, ...] = ()

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: Any, change: bool
    ) -> None:
        from bureau.services import config_save

        config_save(obj=obj, by=acting_user(request), fields=self.audit_fields)

    def has_delete_permission(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> bool:
        return False
