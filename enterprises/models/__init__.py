from enterprises.models.cooperation import Agreement, Alliance, CooperationVisit
from enterprises.models.monitoring import (
    AssessmentCriterion,
    EchelonAssessment,
    EligibilitySnapshot,
    MonitoringReport,
)
from enterprises.models.registrations import Registration
from enterprises.models.registry import (
    Certification,
    Enterprise,
    HighTechAnnualReport,
    Tier,
)
from enterprises.models.returns import AnnualReturn, FilingStatus, QuarterlyReport
from enterprises.models.support import (
    Carrier,
    CarrierType,
    CarrierYear,
    FollowUp,
    InstitutionType,
    Loan,
    RDInstitution,
    Visit,
)

__all__ = [
    "Agreement",
    "Alliance",
    "CarrierType",
    "CarrierYear",
    "CooperationVisit",
    "InstitutionType",
    "AnnualReturn",
    "AssessmentCriterion",
    "Carrier",
    "Certification",
    "EchelonAssessment",
    "EligibilitySnapshot",
    "Enterprise",
    "FilingStatus",
    "FollowUp",
    "HighTechAnnualReport",
    "Loan",
    "MonitoringReport",
    "QuarterlyReport",
    "RDInstitution",
    "Registration",
    "Tier",
    "Visit",
]
