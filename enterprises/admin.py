from __future__ import annotations

from django.contrib import admin

from enterprises.models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Searchable so the user admin can link enterprise users; business edits
    happen in the portal, through services."""

    list_display = ("name", "credit_code", "org_unit")
    search_fields = ("name", "credit_code")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
