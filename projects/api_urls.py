from __future__ import annotations

from django.urls import path

from projects.apis import core
from projects.apis.rewards import reward_api_patterns

urlpatterns = [
    # /api/v1/programmes/, /api/v1/calls/
    path("programmes/", core.ProgrammeListCreateApi.as_view(), name="programme-list"),
    path("calls/", core.CallListCreateApi.as_view(), name="call-list"),
    path("calls/<int:pk>/", core.CallDetailApi.as_view(), name="call-detail"),
    path("calls/<int:pk>/publish/", core.CallPublishApi.as_view(), name="call-publish"),
    path(
        "calls/<int:pk>/close-panel/",
        core.CallPanelCloseApi.as_view(),
        name="call-close-panel",
    ),
    path(
        "calls/<int:pk>/eligibility/",
        core.CallEligibilityApi.as_view(),
        name="call-eligibility",
    ),
    path("calls/<int:pk>/ranking/", core.CallRankingApi.as_view(), name="call-ranking"),
    # /api/v1/applications/
    path(
        "applications/",
        core.ApplicationListCreateApi.as_view(),
        name="application-list",
    ),
    path(
        "applications/<int:pk>/",
        core.ApplicationDetailApi.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/transition/",
        core.ApplicationTransitionApi.as_view(),
        name="application-transition",
    ),
    path(
        "applications/<int:pk>/attachments/",
        core.ApplicationAttachmentsApi.as_view(),
        name="application-attachments",
    ),
    path(
        "applications/<int:pk>/reviewers/",
        core.ReviewerDrawApi.as_view(),
        name="reviewer-draw",
    ),
    path(
        "applications/<int:pk>/contract/", core.ContractApi.as_view(), name="contract"
    ),
    path(
        "attachments/<int:pk>/",
        core.AttachmentDownloadApi.as_view(),
        name="attachment-download",
    ),
    # /api/v1/reviews/
    path("reviews/", core.MyReviewsApi.as_view(), name="my-reviews"),
    path(
        "reviews/<int:pk>/declare/",
        core.ReviewDeclareApi.as_view(),
        name="review-declare",
    ),
    path(
        "reviews/<int:pk>/submit/", core.ReviewSubmitApi.as_view(), name="review-submit"
    ),
    # /api/v1/milestones/, disbursements, ledger
    path(
        "milestones/<int:pk>/achieve/",
        core.MilestoneAchieveApi.as_view(),
        name="milestone-achieve",
    ),
    path(
        "disbursements/<int:pk>/",
        core.DisbursementActionApi.as_view(),
        name="disbursement-action",
    ),
    path("ledger/", core.LedgerApi.as_view(), name="ledger"),
]

# /api/v1/reward-batches/, entitlements, voucher-schemes, voucher-claims …
urlpatterns += reward_api_patterns
