from __future__ import annotations

from django.urls import path

from indicators import views

urlpatterns = [
    # /dashboard/
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/export/", views.dashboard_export_view, name="dashboard-export"),
    path("dashboard/summary/", views.work_summary_view, name="work-summary"),
    path("dashboard/<slug:code>/", views.indicator_view, name="dashboard-indicator"),
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
