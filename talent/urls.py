from __future__ import annotations

from django.urls import path

from talent import views

urlpatterns = [
    # /talent/
    path("talent/", views.talent_list_view, name="talent-list"),
    path("talent/new/", views.talent_create_view, name="talent-create"),
    path("talent/<int:pk>/", views.talent_detail_view, name="talent-detail"),
    path("talent/allowances/", views.allowance_month_view, name="allowance-month"),
    path("talent/allowances/pay/", views.allowance_pay_view, name="allowance-pay"),
    path("talent/permit-cases/", views.permit_cases_view, name="permit-cases"),
    path(
        "talent/permit-cases/<int:pk>/documents/",
        views.case_document_upload_view,
        name="case-document-upload",
    ),
    path(
        "talent/documents/<int:pk>/",
        views.case_document_download_view,
        name="case-document-download",
    ),
    # /calculators/: 政策测算, any signed-in user, stores nothing
    path(
        "calculators/work-permit/",
        views.work_permit_calculator_view,
        name="calculator-work-permit",
    ),
    path(
        "talent/commissioners/", views.commissioner_list_view, name="commissioner-list"
    ),
    path(
        "talent/commissioners/<int:pk>/",
        views.commissioner_detail_view,
        name="commissioner-detail",
    ),
]
