from __future__ import annotations

from django.contrib import admin

from bureau.lib.admin import AuditedConfigAdmin
from talent.models import AllowanceRule, TalentProgramme


@admin.register(AllowanceRule)
class AllowanceRuleAdmin(AuditedConfigAdmin):
    list_display = ("degree", "monthly_amount", "months", "programme", "is_active")
    audit_fields = ("degree", "monthly_amount", "months", "programme", "is_active")


@admin.register(TalentProgramme)
class TalentProgrammeAdmin(AuditedConfigAdmin):
    list_display = ("name", "level", "kind", "is_active")
    audit_fields = ("name", "level", "kind", "is_active")
