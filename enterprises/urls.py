from __future__ import annotations

from django.urls import path, register_converter

from enterprises import views
from enterprises.views import ip as ip_views
from enterprises.views import staff as staff_views
from enterprises.views.events import event_page_patterns
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
    path("enterprises/renewals/", views.renewals_view, name="enterprise-renewals"),
    path(
        "enterprises/<int:pk>/", views.enterprise_detail_view, name="enterprise-detail"
    ),
    path(
        "enterprises/<int:pk>/edit/", views.enterprise_edit_view, name="enterprise-edit"
    ),
    path("enterprises/<int:pk>/visits/add/", views.visit_add_view, name="visit-add"),
    path(
        "enterprises/<int:pk>/facts/",
        views.enterprise_facts_view,
        name="enterprise-facts",
    ),
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

urlpatterns += event_page_patterns
# The IP, transfer and staff registers, and the 规上 proposals.
urlpatterns += [
    path("enterprises/ip/", ip_views.ip_list_view, name="ip-list"),
    path(
        "enterprises/ip/template/", ip_views.ip_template_view, name="ip-import-template"
    ),
    path("enterprises/ip/<int:pk>/edit/", ip_views.ip_item_edit_view, name="ip-edit"),
    path("enterprises/<int:pk>/ip/", ip_views.enterprise_ip_view, name="enterprise-ip"),
    path("enterprises/<int:pk>/ip/add/", ip_views.ip_item_add_view, name="ip-add"),
    path("enterprises/<int:pk>/ip/import/", ip_views.ip_import_view, name="ip-import"),
    path(
        "enterprises/<int:pk>/transfers/add/",
        ip_views.transfer_add_view,
        name="transfer-add",
    ),
    path(
        "enterprises/<int:pk>/transfers/<int:transfer_pk>/delete/",
        ip_views.transfer_delete_view,
        name="transfer-delete",
    ),
    path(
        "enterprises/<int:pk>/staff/",
        staff_views.staff_roster_view,
        name="enterprise-staff",
    ),
    path(
        "enterprises/staff/template/",
        staff_views.staff_roster_template_view,
        name="staff-roster-template",
    ),
    path(
        "enterprises/above-scale/",
        staff_views.above_scale_list_view,
        name="enterprise-above-scale",
    ),
    path(
        "enterprises/<int:pk>/above-scale/confirm/",
        staff_views.above_scale_confirm_view,
        name="above-scale-confirm",
    ),
]
urlpatterns += [
    # /carriers/: innovation carriers and their yearly figures
    path("carriers/", views.carrier_list_view, name="carrier-list"),
    path("carriers/new/", views.carrier_edit_view, name="carrier-new"),
    path(
        "carriers/import/carriers/",
        views.carrier_import_view,
        name="carrier-import",
    ),
    path(
        "carriers/import/carriers/template/",
        views.carrier_template_view,
        name="carrier-import-template",
    ),
    path(
        "carriers/import/",
        views.carrier_years_import_view,
        name="carrier-years-import",
    ),
    path(
        "carriers/import/template/",
        views.carrier_years_template_view,
        name="carrier-years-template",
    ),
    path("carriers/<int:pk>/", views.carrier_detail_view, name="carrier-detail"),
    path("carriers/<int:pk>/edit/", views.carrier_edit_view, name="carrier-edit"),
    # /rd-institutions/: the district's register of R&D institutions
    path(
        "rd-institutions/",
        views.rd_institution_list_view,
        name="rd-institution-list",
    ),
    path(
        "rd-institutions/new/",
        views.rd_institution_edit_view,
        name="rd-institution-new",
    ),
    path(
        "rd-institutions/import/",
        views.rd_institution_import_view,
        name="rd-institution-import",
    ),
    path(
        "rd-institutions/import/template/",
        views.rd_institution_template_view,
        name="rd-institution-import-template",
    ),
    path(
        "rd-institutions/<int:pk>/edit/",
        views.rd_institution_edit_view,
        name="rd-institution-edit",
    ),
    # /cooperation/: agreements with universities and institutes, alliances
    path("cooperation/", views.agreement_list_view, name="agreement-list"),
    path("cooperation/new/", views.agreement_edit_view, name="agreement-new"),
    path("cooperation/import/", views.agreement_import_view, name="agreement-import"),
    path(
        "cooperation/import/template/",
        views.agreement_template_view,
        name="agreement-import-template",
    ),
    path("cooperation/<int:pk>/", views.agreement_detail_view, name="agreement-detail"),
    path(
        "cooperation/<int:pk>/edit/",
        views.agreement_edit_view,
        name="agreement-edit",
    ),
    path(
        "cooperation/<int:pk>/visits/add/",
        views.cooperation_visit_add_view,
        name="cooperation-visit-add",
    ),
    path("alliances/", views.alliance_list_view, name="alliance-list"),
    path("alliances/new/", views.alliance_edit_view, name="alliance-new"),
    path("alliances/import/", views.alliance_import_view, name="alliance-import"),
    path(
        "alliances/import/template/",
        views.alliance_template_view,
        name="alliance-import-template",
    ),
    path("alliances/<int:pk>/", views.alliance_detail_view, name="alliance-detail"),
    path("alliances/<int:pk>/edit/", views.alliance_edit_view, name="alliance-edit"),
]
urlpatterns += [
    # /calculators/: 政策测算, any signed-in user, stores nothing
    path(
        "calculators/super-deduction/",
        views.super_deduction_view,
        name="calculator-super-deduction",
    ),
]
