from __future__ import annotations

from django.urls import path

from projects.views import applications, calls, money, reviews
from projects.views.rewards import reward_page_patterns
from projects.views.upward import upward_page_patterns
from projects.views.vouchers import voucher_page_patterns

urlpatterns = [
    # /projects/
    path("projects/", calls.projects_home_view, name="projects-home"),
    # /projects/calls/
    path("projects/calls/new/", calls.call_new_view, name="call-new"),
    path("projects/calls/<int:pk>/", calls.call_detail_view, name="call-detail"),
    path("projects/calls/<int:pk>/apply/", calls.apply_view, name="call-apply"),
    path(
        "projects/calls/<int:pk>/publish/",
        calls.call_publish_view,
        name="call-publish",
    ),
    path(
        "projects/calls/<int:pk>/close-panel/",
        calls.call_close_panel_view,
        name="call-close-panel",
    ),
    path(
        "projects/calls/<int:pk>/reopen-panel/",
        reviews.panel_reopen_view,
        name="call-reopen-panel",
    ),
    # /projects/applications/
    path(
        "projects/applications/",
        applications.application_list_view,
        name="application-list",
    ),
    path(
        "projects/applications/<int:pk>/",
        applications.application_detail_view,
        name="application-detail",
    ),
    path(
        "projects/applications/<int:pk>/transition/",
        applications.application_transition_view,
        name="application-transition",
    ),
    path(
        "projects/applications/<int:pk>/attach/",
        applications.application_attach_view,
        name="application-attach",
    ),
    path(
        "projects/applications/<int:pk>/edit/",
        applications.application_edit_view,
        name="application-edit",
    ),
    path(
        "projects/applications/<int:pk>/draw/",
        applications.application_draw_view,
        name="application-draw",
    ),
    path(
        "projects/applications/<int:pk>/contract/",
        applications.application_contract_view,
        name="application-contract",
    ),
    path(
        "projects/attachments/<int:pk>/",
        applications.attachment_download_view,
        name="attachment-file",
    ),
    # /projects/money/
    path(
        "projects/money/milestone/<int:pk>/",
        money.milestone_achieve_view,
        name="milestone-achieve",
    ),
    path(
        "projects/money/disbursement/<int:pk>/",
        money.disbursement_view,
        name="disbursement-action",
    ),
    path("projects/ledger/", money.ledger_view, name="ledger"),
    # /projects/reviews/
    path("projects/reviews/", reviews.review_list_view, name="review-list"),
    path(
        "projects/reviews/<int:pk>/", reviews.review_detail_view, name="review-detail"
    ),
    path(
        "projects/reviews/<int:pk>/replace/",
        reviews.assignment_replace_view,
        name="review-replace",
    ),
]

# /rewards/, /vouchers/
urlpatterns += reward_page_patterns + voucher_page_patterns + upward_page_patterns
