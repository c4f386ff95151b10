from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bureau.audit import audit, snapshot
from talent.models import AllowanceRule, TalentProgramme


class AuditedConfigAdmin(admin.ModelAdmin):
    """Configuration data (rules, programmes) edited by the system admin,
    audited like every other change."""

    audit_fields: tuple[str, ...] = ()

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        before = (
            snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields)
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        audit(
            by=request.user,
            action=f"config.{obj._meta.model_name}.{'update' if change else 'create'}",
            target=obj,
            before=before,
            after=snapshot(obj, self.audit_fields),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: history refers to these rows


@admin.register(AllowanceRule)
class AllowanceRuleAdmin(AuditedConfigAdmin):
    list_display = ("degree", "monthly_amount", "months", "programme", "is_active")
    audit_fields = ("degree", "monthly_amount", "months", "programme", "is_active")


@admin.register(TalentProgramme)
class TalentProgrammeAdmin(AuditedConfigAdmin):
    list_display = ("name", "level", "kind", "is_active")
    audit_fields = ("name", "level", "kind", "is_active")
