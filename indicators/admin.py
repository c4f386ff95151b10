from __future__ import annotations

from django.contrib import admin

from bureau.lib.admin import AuditedConfigAdmin
from indicators.models import ComparisonGroup


@admin.register(ComparisonGroup)
class ComparisonGroupAdmin(AuditedConfigAdmin):
    """Named sets of districts for rankings (e.g. 主城区). The one marked for
    the dashboard is what the dashboard ranks among; the work summary adds
    a rank among every group holding our district."""

    # The plain multiple select: the two-box widget's script prints English.
    list_display = ("name", "is_default", "sort_order")
    audit_fields = ("name", "is_default", "sort_order")
