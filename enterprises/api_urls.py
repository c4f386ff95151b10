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
