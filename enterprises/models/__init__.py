from enterprises.models.facts import EnterpriseFact, FactSubject
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
from enterprises.models.support import Carrier, FollowUp, Loan, RDInstitution, Visit

__all__ = [
    "AnnualReturn",
    "AssessmentCriterion",
    "Carrier",
    "Certification",
    "EchelonAssessment",
    "EligibilitySnapshot",
    "Enterprise",
    "EnterpriseFact",
    "FactSubject",
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
