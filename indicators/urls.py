from __future__ import annotations

from django.urls import path

from indicators import views

urlpatterns = [
    # /dashboard/
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/export/", views.dashboard_export_view, name="dashboard-export"),
    path("dashboard/summary/", views.work_summary_view, name="work-summary"),
    path("dashboard/<slug:code>/", views.indicator_view, name="dashboard-indicator"),
]
