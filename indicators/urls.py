from __future__ import annotations

from django.urls import path

from indicators import views

urlpatterns = [
    # /dashboard/
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/export/", views.dashboard_export_view, name="dashboard-export"),
    path("dashboard/summary/", views.work_summary_view, name="work-summary"),
    path("dashboard/<slug:code>/", views.indicator_view, name="dashboard-indicator"),
    # /indicators/contracts/, achievements, rd-statistics
    path("indicators/contracts/", views.contract_list_view, name="tech-contract-list"),
    path(
        "indicators/contracts/import/",
        views.contract_import_view,
        name="tech-contract-import",
    ),
    path(
        "indicators/contracts/template/",
        views.contract_template_view,
        name="tech-contract-template",
    ),
    path(
        "indicators/achievements/",
        views.achievement_list_view,
        name="achievement-list",
    ),
    path(
        "indicators/achievements/import/",
        views.achievement_import_view,
        name="achievement-import",
    ),
    path(
        "indicators/achievements/template/",
        views.achievement_template_view,
        name="achievement-template",
    ),
    path(
        "indicators/achievements/new/",
        views.achievement_create_view,
        name="achievement-create",
    ),
    path(
        "indicators/achievements/<int:pk>/",
        views.achievement_edit_view,
        name="achievement-edit",
    ),
    path("indicators/rd-statistics/", views.rd_ledger_view, name="rd-ledger"),
    path("indicators/rd-statistics/<int:pk>/", views.rd_unit_view, name="rd-unit"),
    path("indicators/rd-statistics/bulk/", views.rd_bulk_view, name="rd-bulk"),
    path("indicators/rd-statistics/import/", views.rd_import_view, name="rd-import"),
    path(
        "indicators/rd-statistics/template/",
        views.rd_template_view,
        name="rd-template",
    ),
    # /indicators/imports/
    path(
        "indicators/imports/",
        views.import_list_view,
        name="indicator-imports",
    ),
    path(
        "indicators/imports/template/",
        views.import_template_view,
        name="indicator-import-template-page",
    ),
    path(
        "indicators/imports/<int:pk>/",
        views.import_detail_view,
        name="indicator-import-page",
    ),
    path(
        "indicators/imports/<int:pk>/rollback/",
        views.import_rollback_view,
        name="indicator-import-rollback-page",
    ),
]
