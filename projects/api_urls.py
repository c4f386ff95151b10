from __future__ import annotations

from django.urls import path

from projects import apis
from projects.apis import reserve_api_patterns, reward_api_patterns

urlpatterns = [
    # /api/v1/higher-level-projects/reserve/ (储备库)
    *reserve_api_patterns,
    # /api/v1/higher-level-projects/
    path(
        "higher-level-projects/",
        apis.HigherLevelProjectListCreateApi.as_view(),
        name="api-higher-level-project-list",
    ),
    path(
        "higher-level-projects/<int:pk>/",
        apis.HigherLevelProjectDetailApi.as_view(),
        name="api-higher-level-project-detail",
    ),
    path(
        "higher-level-projects/<int:pk>/outcome/",
        apis.HigherLevelProjectOutcomeApi.as_view(),
        name="api-higher-level-project-outcome",
    ),
    path(
        "higher-level-projects/<int:pk>/midterm/",
        apis.HigherLevelProjectMidtermApi.as_view(),
        name="api-higher-level-project-midterm",
    ),
    path(
        "higher-level-projects/<int:pk>/acceptance/",
        apis.HigherLevelProjectAcceptanceApi.as_view(),
        name="api-higher-level-project-acceptance",
    ),
    # /api/v1/programmes/, /api/v1/calls/
    path("programmes/", apis.ProgrammeListCreateApi.as_view(), name="programme-list"),
    path("calls/", apis.CallListCreateApi.as_view(), name="call-list"),
    path("calls/<int:pk>/", apis.CallDetailApi.as_view(), name="call-detail"),
    path("calls/<int:pk>/publish/", apis.CallPublishApi.as_view(), name="call-publish"),
    path(
        "calls/<int:pk>/close-panel/",
        apis.PanelCloseApi.as_view(),
        name="call-close-panel",
    ),
    path(
        "calls/<int:pk>/reopen-panel/",
        apis.PanelReopenApi.as_view(),
        name="call-reopen-panel",
    ),
    path(
        "calls/<int:pk>/eligibility/",
        apis.CallEligibilityApi.as_view(),
        name="call-eligibility",
    ),
    path("calls/<int:pk>/ranking/", apis.CallRankingApi.as_view(), name="call-ranking"),
    # /api/v1/applications/
    path(
        "applications/",
        apis.ApplicationListCreateApi.as_view(),
        name="application-list",
    ),
    path(
        "applications/<int:pk>/",
        apis.ApplicationDetailApi.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/transition/",
        apis.ApplicationTransitionApi.as_view(),
        name="application-transition",
    ),
    path(
        "applications/<int:pk>/attachments/",
        apis.ApplicationAttachmentsApi.as_view(),
        name="application-attachments",
    ),
    path(
        "applications/<int:pk>/reviewers/",
        apis.ReviewerDrawApi.as_view(),
        name="reviewer-draw",
    ),
    path(
        "applications/<int:pk>/contract/", apis.ContractApi.as_view(), name="contract"
    ),
    path(
        "attachments/<int:pk>/",
        apis.AttachmentDownloadApi.as_view(),
        name="attachment-download",
    ),
    # /api/v1/reviews/
    path("reviews/", apis.MyReviewsApi.as_view(), name="my-reviews"),
    path(
        "reviews/<int:pk>/declare/",
        apis.ReviewDeclareApi.as_view(),
        name="review-declare",
    ),
    path(
        "reviews/<int:pk>/submit/", apis.ReviewSubmitApi.as_view(), name="review-submit"
    ),
    path(
        "reviews/<int:pk>/replace/",
        apis.AssignmentReplaceApi.as_view(),
        name="review-replace",
    ),
    # /api/v1/milestones/, disbursements, ledger
    path(
        "milestones/<int:pk>/achieve/",
        apis.MilestoneAchieveApi.as_view(),
        name="milestone-achieve",
    ),
    path(
        "disbursements/<int:pk>/",
        apis.DisbursementActionApi.as_view(),
        name="disbursement-action",
    ),
    path("ledger/", apis.LedgerApi.as_view(), name="ledger"),
]

# /api/v1/reward-batches/, entitlements, voucher-schemes, voucher-claims …
urlpatterns += reward_api_patterns
