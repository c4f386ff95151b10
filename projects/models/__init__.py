from projects.models.applications import (
    Application,
    Attachment,
    BudgetLine,
    TeamMember,
    Transition,
)
from projects.models.calls import Call, Programme, RubricCriterion
from projects.models.experts import Expert, ExpertConflict
from projects.models.fields import ProfessionalField
from projects.models.money import Contract, Disbursement, Milestone
from projects.models.review import PanelEvent, ReviewAssignment
from projects.models.rewards import (
    Entitlement,
    RewardBatch,
    RewardRule,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
)
from projects.models.upward import Recommendation, ReserveProject, UpwardProject

__all__ = [
    "Application",
    "Attachment",
    "BudgetLine",
    "Call",
    "Contract",
    "Disbursement",
    "Entitlement",
    "Expert",
    "ExpertConflict",
    "Milestone",
    "PanelEvent",
    "ProfessionalField",
    "Programme",
    "Recommendation",
    "ReserveProject",
    "ReviewAssignment",
    "RewardBatch",
    "RewardRule",
    "RubricCriterion",
    "ServiceProvider",
    "TeamMember",
    "Transition",
    "UpwardProject",
    "VoucherClaim",
    "VoucherScheme",
]
