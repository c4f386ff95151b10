"""API endpoints of the enterprises app, split by subject."""

from enterprises.apis.calculators import SuperDeductionApi
from enterprises.apis.cooperation import (
    AgreementListCreateApi,
    AllianceListCreateApi,
    CarrierYearsApi,
    CooperationVisitsApi,
)
from enterprises.apis.eligibility import (
    EligibilityHighTechApi,
    EligibilityNewChuyingApi,
    EligibilityTechSmeApi,
    EnterpriseEligibilityApi,
)
from enterprises.apis.events import (
    EventDetailApi,
    EventListCreateApi,
    ScienceBaseListCreateApi,
)
from enterprises.apis.facts import EnterpriseFactsApi
from enterprises.apis.filings import (
    AnnualReturnBulkApproveApi,
    AnnualReturnDetailApi,
    AnnualReturnListCreateApi,
    AnnualReturnReviewApi,
    AnnualReturnSubmitApi,
    QuarterlyReportBulkApproveApi,
    QuarterlyReportDetailApi,
    QuarterlyReportListCreateApi,
    QuarterlyReportReviewApi,
    QuarterlyReportSubmitApi,
)
from enterprises.apis.ladder import LadderFunnelApi, RenewalListApi
from enterprises.apis.registrations import (
    RegistrationApproveApi,
    RegistrationDetailApi,
    RegistrationListCreateApi,
    RegistrationRefuseApi,
)
from enterprises.apis.registry import (
    CertificationRevokeApi,
    EnterpriseCertificationsApi,
    EnterpriseDetailApi,
    EnterpriseListCreateApi,
)
from enterprises.apis.support import (
    CarrierListCreateApi,
    EnterpriseLoansApi,
    EnterpriseRDInstitutionsApi,
    EnterpriseVisitsApi,
    FollowUpCloseApi,
    RDInstitutionListCreateApi,
)

__all__ = [
    "EventDetailApi",
    "EventListCreateApi",
    "ScienceBaseListCreateApi",
    "EligibilityNewChuyingApi",
    "EnterpriseEligibilityApi",
    "EnterpriseFactsApi",
    "AgreementListCreateApi",
    "AllianceListCreateApi",
    "CarrierYearsApi",
    "CooperationVisitsApi",
    "AnnualReturnBulkApproveApi",
    "RegistrationApproveApi",
    "RegistrationDetailApi",
    "RegistrationListCreateApi",
    "RegistrationRefuseApi",
    "AnnualReturnDetailApi",
    "AnnualReturnListCreateApi",
    "AnnualReturnReviewApi",
    "AnnualReturnSubmitApi",
    "CarrierListCreateApi",
    "EnterpriseLoansApi",
    "EnterpriseRDInstitutionsApi",
    "RDInstitutionListCreateApi",
    "EnterpriseVisitsApi",
    "FollowUpCloseApi",
    "CertificationRevokeApi",
    "EligibilityHighTechApi",
    "EligibilityTechSmeApi",
    "EnterpriseCertificationsApi",
    "EnterpriseDetailApi",
    "EnterpriseListCreateApi",
    "LadderFunnelApi",
    "RenewalListApi",
    "QuarterlyReportBulkApproveApi",
    "QuarterlyReportDetailApi",
    "QuarterlyReportListCreateApi",
    "QuarterlyReportReviewApi",
    "QuarterlyReportSubmitApi",
    "SuperDeductionApi",
]
