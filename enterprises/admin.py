from __future__ import annotations

from django.contrib import admin

from bureau.lib.admin import AuditedConfigAdmin
from enterprises.models import (
    AssessmentCriterion,
    CarrierType,
    Enterprise,
    InstitutionType,
    Tier,
)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Searchable so the user admin can link enterprise users; business edits
    happen in the portal, through services."""

    list_display = ("name", "credit_code", "kind", "org_unit")
    list_filter = ("kind",)
    search_fields = ("name", "credit_code")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Tier)
class TierAdmin(AuditedConfigAdmin):
    """The ladder's rungs: local tiers (旭日计划, 雏鹰 …) are data."""

    list_display = (
        "rank",
        "name",
        "code",
        "level",
        "validity",
        "validity_years",
        "is_active",
    )
    audit_fields = (
        "code",
        "name",
        "level",
        "rank",
        "has_echelons",
        "validity",
        "validity_years",
        "is_active",
    )


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(AuditedConfigAdmin):
    list_display = ("tier", "metric", "threshold", "points", "is_active")
    audit_fields = ("tier", "metric", "threshold", "points", "is_active")


@admin.register(InstitutionType)
class InstitutionTypeAdmin(AuditedConfigAdmin):
    """Types of R&D institution (企业研发中心, 新型研发机构, 院士专家工作站 …):
    the bureau adds its province's kinds here; retired ones are deactivated."""

    list_display = ("sort_order", "name", "code", "is_active")
    list_display_links = ("name",)
    audit_fields = ("code", "name", "is_active", "sort_order")


@admin.register(CarrierType)
class CarrierTypeAdmin(AuditedConfigAdmin):
    """Types of innovation carrier (孵化器, 众创空间, 星创天地, 产业创新服务综合体 …)."""

    list_display = ("sort_order", "name", "code", "is_active")
    list_display_links = ("name",)
    audit_fields = ("code", "name", "is_active", "sort_order")
