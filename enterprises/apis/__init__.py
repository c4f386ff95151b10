"""API endpoints of the enterprises app, split by subject."""

from enterprises.apis.eligibility import EligibilityHighTechApi, EligibilityTechSmeApi
from enterprises.apis.filings import (
    AnnualReturnDetailApi,
    AnnualReturnListCreateApi,
    AnnualReturnReviewApi,
    AnnualReturnSubmitApi,
    QuarterlyReportDetailApi,
    QuarterlyReportListCreateApi,
    QuarterlyReportReviewApi,
    QuarterlyReportSubmitApi,
)
from enterprises.apis.ladder import LadderFunnelApi
from enterprises.apis.registry import (
    CertificationRevokeApi,
    EnterpriseCertificationsApi,
    EnterpriseDetailApi,
    EnterpriseListCreateApi,
)

__all__ = [
    "AnnualReturnDetailApi",
    "AnnualReturnListCreateApi",
    "AnnualReturnReviewApi",
    "AnnualReturnSubmitApi",
    "CertificationRevokeApi",
    "EligibilityHighTechApi",
    "EligibilityTechSmeApi",
    "EnterpriseCertificationsApi",
    "EnterpriseDetailApi",
    "EnterpriseListCreateApi",
    "LadderFunnelApi",
    "QuarterlyReportDetailApi",
    "QuarterlyReportListCreateApi",
    "QuarterlyReportReviewApi",
    "QuarterlyReportSubmitApi",
]
