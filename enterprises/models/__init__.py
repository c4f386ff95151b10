from enterprises.models.cooperation import Agreement, Alliance, CooperationVisit
from enterprises.models.events import Event, ScienceBase
from enterprises.models.facts import EnterpriseFact, FactSubject
from enterprises.models.ip import IPItem, TechTransfer
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
    LadderReminder,
    Tier,
)
from enterprises.models.returns import AnnualReturn, FilingStatus, QuarterlyReport
from enterprises.models.staff import RosterPerson, StaffRoster
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
    "Event",
    "EnterpriseFact",
    "FactSubject",
    "FilingStatus",
    "FollowUp",
    "HighTechAnnualReport",
    "IPItem",
    "LadderReminder",
    "Loan",
    "MonitoringReport",
    "QuarterlyReport",
    "RDInstitution",
    "Registration",
    "ScienceBase",
    "RosterPerson",
    "StaffRoster",
    "TechTransfer",
    "Tier",
    "Visit",
]
