"""The projects API, by subject; `projects/api_urls.py` mounts these."""

from projects.apis.applications import (
    ApplicationAttachmentsApi,
    ApplicationDetailApi,
    ApplicationListCreateApi,
    ApplicationTransitionApi,
    AttachmentDownloadApi,
)
from projects.apis.calls import (
    CallDetailApi,
    CallEligibilityApi,
    CallListCreateApi,
    CallPublishApi,
    CallRankingApi,
    ProgrammeListCreateApi,
)
from projects.apis.money import (
    ContractApi,
    DisbursementActionApi,
    LedgerApi,
    MilestoneAchieveApi,
)
from projects.apis.reserve import reserve_api_patterns
from projects.apis.reviews import (
    AssignmentReplaceApi,
    MyReviewsApi,
    PanelCloseApi,
    PanelReopenApi,
    ReviewDeclareApi,
    ReviewerDrawApi,
    ReviewSubmitApi,
)
from projects.apis.rewards import reward_api_patterns
from projects.apis.upward import (
    HigherLevelProjectAcceptanceApi,
    HigherLevelProjectDetailApi,
    HigherLevelProjectListCreateApi,
    HigherLevelProjectMidtermApi,
    HigherLevelProjectOutcomeApi,
)

__all__ = [
    "HigherLevelProjectAcceptanceApi",
    "HigherLevelProjectDetailApi",
    "HigherLevelProjectListCreateApi",
    "HigherLevelProjectMidtermApi",
    "HigherLevelProjectOutcomeApi",
    "ApplicationAttachmentsApi",
    "AssignmentReplaceApi",
    "ApplicationDetailApi",
    "ApplicationListCreateApi",
    "ApplicationTransitionApi",
    "AttachmentDownloadApi",
    "CallDetailApi",
    "CallEligibilityApi",
    "CallListCreateApi",
    "CallPublishApi",
    "CallRankingApi",
    "ContractApi",
    "DisbursementActionApi",
    "LedgerApi",
    "MilestoneAchieveApi",
    "MyReviewsApi",
    "PanelCloseApi",
    "PanelReopenApi",
    "ProgrammeListCreateApi",
    "ReviewDeclareApi",
    "ReviewSubmitApi",
    "ReviewerDrawApi",
    "reserve_api_patterns",
    "reward_api_patterns",
]
