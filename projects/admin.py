from __future__ import annotations

from django.contrib import admin

from bureau.lib.admin import AuditedConfigAdmin
from projects.models import (
    Expert,
    ExpertConflict,
    Programme,
    RewardRule,
    ServiceProvider,
    VoucherScheme,
)


@admin.register(RewardRule)
class RewardRuleAdmin(AuditedConfigAdmin):
    """Policy reward rules: who gets what is data (RULES §5.3 [U])."""

    list_display = ("name", "programme", "kind", "target", "amount", "is_active")
    audit_fields = (
        "name",
        "programme",
        "kind",
        "target",
        "amount",
        "tiers",
        "is_active",
    )


@admin.register(VoucherScheme)
class VoucherSchemeAdmin(AuditedConfigAdmin):
    list_display = (
        "year",
        "quota_total",
        "amount_per_claim",
        "annual_cap_per_enterprise",
        "copay_ratio",
    )
    audit_fields = (
        "year",
        "quota_total",
        "amount_per_claim",
        "annual_cap_per_enterprise",
        "full_pay_below",
        "copay_ratio",
    )


@admin.register(ServiceProvider)
class ServiceProviderAdmin(AuditedConfigAdmin):
    list_display = ("name", "kind", "is_active")
    audit_fields = ("name", "kind", "is_active")


@admin.register(Programme)
class ProgrammeAdmin(AuditedConfigAdmin):
    list_display = ("name", "level", "kind", "midterm_threshold", "is_active")
    audit_fields = ("name", "level", "kind", "midterm_threshold", "is_active")


@admin.register(Expert)
class ExpertAdmin(AuditedConfigAdmin):
    """The expert pool: fields, organisation, contact, active."""

    list_display = ("name", "organisation", "fields", "user", "is_active")
    search_fields = ("name", "organisation", "fields")
    audit_fields = (
        "name",
        "organisation",
        "fields",
        "phone",
        "email",
        "user",
        "is_active",
    )


@admin.register(ExpertConflict)
class ExpertConflictAdmin(AuditedConfigAdmin):
    list_display = ("expert", "enterprise", "reason")
    autocomplete_fields = ("expert", "enterprise")
    audit_fields = ("expert", "enterprise", "reason")
