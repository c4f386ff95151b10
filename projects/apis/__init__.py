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
    CallPanelCloseApi,
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
from projects.apis.reviews import (
    MyReviewsApi,
    ReviewDeclareApi,
    ReviewerDrawApi,
    ReviewSubmitApi,
)
from projects.apis.rewards import reward_api_patterns

__all__ = [
    "ApplicationAttachmentsApi",
    "ApplicationDetailApi",
    "ApplicationListCreateApi",
    "ApplicationTransitionApi",
    "AttachmentDownloadApi",
    "CallDetailApi",
    "CallEligibilityApi",
    "CallListCreateApi",
    "CallPanelCloseApi",
    "CallPublishApi",
    "CallRankingApi",
    "ContractApi",
    "DisbursementActionApi",
    "LedgerApi",
    "MilestoneAchieveApi",
    "MyReviewsApi",
    "ProgrammeListCreateApi",
    "ReviewDeclareApi",
    "ReviewSubmitApi",
    "ReviewerDrawApi",
    "reward_api_patterns",
]
