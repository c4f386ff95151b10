from __future__ import annotations

from django.urls import path

from talent import apis

urlpatterns = [
    # /api/v1/talents/
    path("talents/", apis.TalentListCreateApi.as_view(), name="talent-list"),
    path("talents/search/", apis.TalentSearchApi.as_view(), name="talent-search"),
    path("talents/<int:pk>/", apis.TalentDetailApi.as_view(), name="talent-detail"),
    path("talent-teams/", apis.TeamCreateApi.as_view(), name="talent-team-create"),
    path("allowances/", apis.AllowanceGrantApi.as_view(), name="allowance-grant"),
    path(
        "allowance-payments/",
        apis.AllowancePaymentsApi.as_view(),
        name="allowance-payments",
    ),
    path(
        "permit-cases/", apis.PermitCaseCreateApi.as_view(), name="permit-case-create"
    ),
    path(
        "permit-cases/<int:pk>/move/",
        apis.PermitCaseMoveApi.as_view(),
        name="permit-case-move",
    ),
    # /api/v1/calculators/
    path(
        "calculators/work-permit/",
        apis.WorkPermitClassApi.as_view(),
        name="calculator-work-permit",
    ),
    path(
        "commissioners/",
        apis.CommissionerListCreateApi.as_view(),
        name="commissioner-list",
    ),
    path(
        "commissioners/<int:pk>/logs/",
        apis.CommissionerLogsApi.as_view(),
        name="commissioner-logs",
    ),
    path(
        "commissioners/<int:pk>/assess/",
        apis.CommissionerAssessApi.as_view(),
        name="commissioner-assess",
    ),
]
