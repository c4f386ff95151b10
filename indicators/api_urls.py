from __future__ import annotations

from django.urls import path

from indicators import apis

urlpatterns = [
    # /api/v1/indicators/, indicator-values, targets
    path("indicators/", apis.IndicatorListCreateApi.as_view(), name="indicator-list"),
    path(
        "indicator-values/",
        apis.IndicatorValueListCreateApi.as_view(),
        name="indicator-value-list",
    ),
    path("targets/", apis.TargetListCreateApi.as_view(), name="target-list"),
    path("targets/check/", apis.TargetCheckApi.as_view(), name="target-check"),
    # /api/v1/indicator-imports/
    path(
        "indicator-imports/",
        apis.ImportCreateApi.as_view(),
        name="indicator-import-list",
    ),
    path(
        "indicator-imports/template/",
        apis.ImportTemplateApi.as_view(),
        name="indicator-import-template",
    ),
    path(
        "indicator-imports/<int:pk>/",
        apis.ImportDetailApi.as_view(),
        name="indicator-import-detail",
    ),
    path(
        "indicator-imports/<int:pk>/rollback/",
        apis.ImportRollbackApi.as_view(),
        name="indicator-import-rollback",
    ),
    # /api/v1/tech-contracts/, achievements, rd-statistics
    path(
        "tech-contracts/",
        apis.TechContractListCreateApi.as_view(),
        name="tech-contract-list",
    ),
    path(
        "achievements/",
        apis.AchievementListCreateApi.as_view(),
        name="achievement-list",
    ),
    path(
        "rd-statistics/", apis.RDUnitListCreateApi.as_view(), name="rd-statistics-list"
    ),
    path(
        "rd-statistics/<int:pk>/status/",
        apis.RDUnitStatusApi.as_view(),
        name="rd-statistics-status",
    ),
    # /api/v1/dashboard/
    path("dashboard/", apis.DashboardApi.as_view(), name="dashboard"),
]
