from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from bureau.audit import audit
from bureau.lib.admin import AuditedConfigAdmin
from bureau.lib.types import acting_user
from projects.models import (
    Expert,
    ExpertConflict,
    ProfessionalField,
    Programme,
    RewardRule,
    ServiceProvider,
    VoucherScheme,
)


@admin.register(RewardRule)
class RewardRuleAdmin(AuditedConfigAdmin):
    """Policy reward rules: who gets what is data (RULES §11.7 [U]). The
    staff page /rewards/rules/ shows only the fields of the chosen kind;
    here every field is shown, and RewardRule.clean checks the kind's."""

    list_display = ("name", "programme", "kind", "target", "award_round", "is_active")
    list_filter = ("kind", "is_active")
    audit_fields = (
        "name",
        "programme",
        "kind",
        "target",
        "award_round",
        "amount",
        "figure",
        "base",
        "rate",
        "cap",
        "minimum_amount",
        "minimum_current",
        "minimum_previous",
        "top_n",
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


@admin.register(ProfessionalField)
class ProfessionalFieldAdmin(AuditedConfigAdmin):
    """The shared list of professional fields (专业领域): the eight 高新技术领域
    and their sub-fields. Deactivate an entry rather than delete it."""

    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    audit_fields = ("code", "name", "parent", "is_active")


@admin.register(Expert)
class ExpertAdmin(AuditedConfigAdmin):
    """The expert pool: fields, organisation, contact, active."""

    list_display = ("name", "organisation", "field_names", "user", "is_active")
    search_fields = ("name", "organisation", "fields__name")
    audit_fields = (
        "name",
        "organisation",
        "phone",
        "email",
        "user",
        "is_active",
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("fields")

    @admin.display(description=ProfessionalField._meta.verbose_name_plural)
    def field_names(self, expert: Expert) -> str:
        return "、".join(f.name for f in expert.fields.all())

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        """The fields are a many-to-many list, saved after the expert: the
        change is audited on its own (codes before and after)."""
        expert = form.instance
        before = sorted(expert.fields.values_list("code", flat=True)) if change else []
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            after = sorted(expert.fields.values_list("code", flat=True))
            if before != after:
                audit(
                    by=acting_user(request),
                    action="config.expert.update",
                    target=expert,
                    before={"fields": before},
                    after={"fields": after},
                )


@admin.register(ExpertConflict)
class ExpertConflictAdmin(AuditedConfigAdmin):
    list_display = ("expert", "enterprise", "reason")
    autocomplete_fields = ("expert", "enterprise")
    audit_fields = ("expert", "enterprise", "reason")
