from __future__ import annotations

from django.urls import path, register_converter

from enterprises import views
from enterprises.views.pickers import enterprise_search_view


class FilingKindConverter:
    regex = "annual|quarterly"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FilingKindConverter, "kind")

urlpatterns = [
    # /enterprises/
    path("enterprises/", views.enterprise_list_view, name="enterprise-list"),
    path("enterprises/import/", views.roster_import_view, name="enterprise-import"),
    path(
        "enterprises/import/template/",
        views.roster_template_view,
        name="enterprise-import-template",
    ),
    path("enterprises/search/", enterprise_search_view, name="enterprise-search"),
    path("enterprises/closest/", views.closest_view, name="enterprise-closest"),
    path("enterprises/funnel/", views.funnel_view, name="enterprise-funnel"),
    path(
        "enterprises/<int:pk>/", views.enterprise_detail_view, name="enterprise-detail"
    ),
    path(
        "enterprises/<int:pk>/edit/", views.enterprise_edit_view, name="enterprise-edit"
    ),
    path("enterprises/<int:pk>/visits/add/", views.visit_add_view, name="visit-add"),
    path(
        "follow-ups/<int:pk>/close/", views.follow_up_close_view, name="follow-up-close"
    ),
    path(
        "enterprises/<int:pk>/certifications/add/",
        views.certification_add_view,
        name="certification-add",
    ),
    path(
        "enterprises/<int:pk>/certifications/<int:cert_pk>/revoke/",
        views.certification_revoke_view,
        name="certification-revoke",
    ),
    # /monitoring/
    path("monitoring/", views.monitoring_index_view, name="monitoring-index"),
    path("monitoring/run/", views.monitoring_start_view, name="monitoring-start"),
    path(
        "monitoring/runs/<str:run_id>/",
        views.monitoring_run_view,
        name="monitoring-run",
    ),
    path(
        "monitoring/<int:year>Q<int:quarter>/",
        views.monitoring_period_view,
        name="monitoring-period",
    ),
    # /filings/
    path(
        "filings/annual/",
        views.filing_list_view,
        {"kind": "annual"},
        name="filing-annual",
    ),
    path(
        "filings/quarterly/",
        views.filing_list_view,
        {"kind": "quarterly"},
        name="filing-quarterly",
    ),
    path("filings/<kind:kind>/", views.filing_list_view, name="filing-list"),
    path("filings/<kind:kind>/new/", views.filing_edit_view, name="filing-new"),
    path(
        "filings/<kind:kind>/approve/",
        views.filing_bulk_approve_view,
        name="filing-bulk-approve",
    ),
    path("filings/<kind:kind>/<int:pk>/", views.filing_edit_view, name="filing-edit"),
    path(
        "filings/<kind:kind>/<int:pk>/review/",
        views.filing_review_view,
        name="filing-review",
    ),
]

urlpatterns += [
    # /register/ (anonymous) and /accounts/registrations/: enterprise accounts
    path("register/", views.register_view, name="register"),
    path(
        "accounts/registrations/",
        views.registration_list_view,
        name="registration-list",
    ),
    path(
        "accounts/registrations/<int:pk>/",
        views.registration_detail_view,
        name="registration-detail",
    ),
    path(
        "accounts/registrations/<int:pk>/approve/",
        views.registration_approve_view,
        name="registration-approve",
    ),
    path(
        "accounts/registrations/<int:pk>/refuse/",
        views.registration_refuse_view,
        name="registration-refuse",
    ),
    path(
        "enterprises/accounts/issue/",
        views.enterprise_accounts_issue_view,
        name="enterprise-accounts-issue",
    ),
]

urlpatterns += [
    # /calculators/: 政策测算, any signed-in user, stores nothing
    path(
        "calculators/super-deduction/",
        views.super_deduction_view,
        name="calculator-super-deduction",
    ),
]
