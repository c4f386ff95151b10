from __future__ import annotations

from django.urls import path

from enterprises import apis
from enterprises.apis import ip as ip_apis
from enterprises.apis import staff as staff_apis

urlpatterns = [
    # /api/v1/events/, /api/v1/science-bases/
    path("events/", apis.EventListCreateApi.as_view(), name="api-event-list"),
    path("events/<int:pk>/", apis.EventDetailApi.as_view(), name="api-event-detail"),
    path(
        "science-bases/",
        apis.ScienceBaseListCreateApi.as_view(),
        name="api-science-base-list",
    ),
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
    path(
        "eligibility/new-chuying/",
        apis.EligibilityNewChuyingApi.as_view(),
        name="eligibility-new-chuying",
    ),
    # /api/v1/enterprises/{id}/eligibility/{tier}/ and the facts deciding it
    path(
        "enterprises/<int:pk>/eligibility/<slug:tier>/",
        apis.EnterpriseEligibilityApi.as_view(),
        name="enterprise-eligibility",
    ),
    path(
        "enterprises/<int:pk>/facts/",
        apis.EnterpriseFactsApi.as_view(),
        name="enterprise-facts",
    ),
]

urlpatterns += [
    # /api/v1/calculators/
    path(
        "calculators/super-deduction/",
        apis.SuperDeductionApi.as_view(),
        name="calculator-super-deduction",
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

urlpatterns += [
    # /api/v1/annual-returns/
    path(
        "annual-returns/",
        apis.AnnualReturnListCreateApi.as_view(),
        name="annual-return-list",
    ),
    path(
        "annual-returns/approve/",
        apis.AnnualReturnBulkApproveApi.as_view(),
        name="annual-return-bulk-approve",
    ),
    path(
        "annual-returns/<int:pk>/",
        apis.AnnualReturnDetailApi.as_view(),
        name="annual-return-detail",
    ),
    path(
        "annual-returns/<int:pk>/submit/",
        apis.AnnualReturnSubmitApi.as_view(),
        name="annual-return-submit",
    ),
    path(
        "annual-returns/<int:pk>/review/",
        apis.AnnualReturnReviewApi.as_view(),
        name="annual-return-review",
    ),
    # /api/v1/quarterly-reports/
    path(
        "quarterly-reports/",
        apis.QuarterlyReportListCreateApi.as_view(),
        name="quarterly-report-list",
    ),
    path(
        "quarterly-reports/approve/",
        apis.QuarterlyReportBulkApproveApi.as_view(),
        name="quarterly-report-bulk-approve",
    ),
    path(
        "quarterly-reports/<int:pk>/",
        apis.QuarterlyReportDetailApi.as_view(),
        name="quarterly-report-detail",
    ),
    path(
        "quarterly-reports/<int:pk>/submit/",
        apis.QuarterlyReportSubmitApi.as_view(),
        name="quarterly-report-submit",
    ),
    path(
        "quarterly-reports/<int:pk>/review/",
        apis.QuarterlyReportReviewApi.as_view(),
        name="quarterly-report-review",
    ),
]

urlpatterns += [
    # /api/v1/ladder/
    path("ladder/funnel/", apis.LadderFunnelApi.as_view(), name="ladder-funnel"),
    path("ladder/renewals/", apis.RenewalListApi.as_view(), name="ladder-renewals"),
]

urlpatterns += [
    # /api/v1/enterprises/{id}/visits|rd-institutions|loans/, follow-ups, carriers
    path(
        "enterprises/<int:pk>/visits/",
        apis.EnterpriseVisitsApi.as_view(),
        name="enterprise-visits",
    ),
    path(
        "enterprises/<int:pk>/rd-institutions/",
        apis.EnterpriseRDInstitutionsApi.as_view(),
        name="enterprise-rd-institutions",
    ),
    path(
        "enterprises/<int:pk>/loans/",
        apis.EnterpriseLoansApi.as_view(),
        name="enterprise-loans",
    ),
    path(
        "follow-ups/<int:pk>/close/",
        apis.FollowUpCloseApi.as_view(),
        name="follow-up-close",
    ),
    path(
        "rd-institutions/",
        apis.RDInstitutionListCreateApi.as_view(),
        name="rd-institution-list",
    ),
    path("carriers/", apis.CarrierListCreateApi.as_view(), name="carrier-list"),
    path(
        "carriers/<int:pk>/years/",
        apis.CarrierYearsApi.as_view(),
        name="carrier-years",
    ),
]

urlpatterns += [
    # /api/v1/cooperations/ and /api/v1/alliances/
    path(
        "cooperations/",
        apis.AgreementListCreateApi.as_view(),
        name="cooperation-list",
    ),
    path(
        "cooperations/<int:pk>/visits/",
        apis.CooperationVisitsApi.as_view(),
        name="cooperation-visits",
    ),
    path("alliances/", apis.AllianceListCreateApi.as_view(), name="alliance-list"),
]

urlpatterns += [
    # /api/v1/registrations/: enterprise self-registration (POST anonymous)
    path(
        "registrations/",
        apis.RegistrationListCreateApi.as_view(),
        name="registration-list",
    ),
    path(
        "registrations/<int:pk>/",
        apis.RegistrationDetailApi.as_view(),
        name="registration-detail",
    ),
    path(
        "registrations/<int:pk>/approve/",
        apis.RegistrationApproveApi.as_view(),
        name="registration-approve",
    ),
    path(
        "registrations/<int:pk>/refuse/",
        apis.RegistrationRefuseApi.as_view(),
        name="registration-refuse",
    ),
]

urlpatterns += [
    # /api/v1/ip-items/, /api/v1/enterprises/{id}/ip-items|ip-summary|transfers|
    # staff-rosters/, /api/v1/above-scale-proposals/
    path("ip-items/", ip_apis.IPItemListApi.as_view(), name="ip-item-list"),
    path("ip-items/<int:pk>/", ip_apis.IPItemDetailApi.as_view(), name="ip-item"),
    path(
        "enterprises/<int:pk>/ip-items/",
        ip_apis.EnterpriseIPItemsApi.as_view(),
        name="enterprise-ip-items",
    ),
    path(
        "enterprises/<int:pk>/ip-summary/",
        ip_apis.EnterpriseIPSummaryApi.as_view(),
        name="enterprise-ip-summary",
    ),
    path(
        "enterprises/<int:pk>/transfers/",
        ip_apis.EnterpriseTransfersApi.as_view(),
        name="enterprise-transfers",
    ),
    path(
        "enterprises/<int:pk>/staff-rosters/",
        staff_apis.EnterpriseStaffRostersApi.as_view(),
        name="enterprise-staff-rosters",
    ),
    path(
        "above-scale-proposals/",
        staff_apis.AboveScaleProposalListApi.as_view(),
        name="above-scale-proposals",
    ),
    path(
        "enterprises/<int:pk>/above-scale/confirm/",
        staff_apis.AboveScaleConfirmApi.as_view(),
        name="above-scale-confirm",
    ),
]
