from __future__ import annotations

from django.urls import path

from enterprises import apis

urlpatterns = [
    # /api/v1/eligibility/
    path(
        "eligibility/high-tech/",
        apis.EligibilityHighTechApi.as_view(),
        name="eligibility-high-tech",
    ),
    path(
        "eligibility/tech-sme/",
        apis.EligibilityTechSmeApi.as_view(),
        name="eligibility-tech-sme",
    ),
]

urlpatterns += [
    # /api/v1/enterprises/
    path(
        "enterprises/", apis.EnterpriseListCreateApi.as_view(), name="enterprise-list"
    ),
    path(
        "enterprises/<int:pk>/",
        apis.EnterpriseDetailApi.as_view(),
        name="enterprise-detail",
    ),
    path(
        "enterprises/<int:pk>/certifications/",
        apis.EnterpriseCertificationsApi.as_view(),
        name="enterprise-certifications",
    ),
    path(
        "enterprises/<int:pk>/certifications/<int:cert_pk>/revoke/",
        apis.CertificationRevokeApi.as_view(),
        name="certification-revoke",
    ),
]
