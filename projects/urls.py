from __future__ import annotations

from django.urls import path

from projects.views import core
from projects.views.rewards import reward_page_patterns

urlpatterns = [
    # /projects/
    path("projects/", core.projects_home_view, name="projects-home"),
    path("projects/calls/new/", core.call_new_view, name="call-new"),
    path("projects/calls/<int:pk>/", core.call_detail_view, name="call-detail"),
    path("projects/calls/<int:pk>/apply/", core.apply_view, name="call-apply"),
    path(
        "projects/calls/<int:pk>/<str:action>/",
        core.call_action_view,
        name="call-action",
    ),
    path(
        "projects/applications/<int:pk>/",
        core.application_detail_view,
        name="application-detail",
    ),
    path(
        "projects/applications/<int:pk>/<str:action>/",
        core.application_action_view,
        name="application-action",
    ),
    path(
        "projects/attachments/<int:pk>/",
        core.attachment_download_view,
        name="attachment-file",
    ),
    path(
        "projects/money/<str:kind>/<int:pk>/",
        core.money_action_view,
        name="money-action",
    ),
    path("projects/reviews/", core.review_list_view, name="review-list"),
    path("projects/reviews/<int:pk>/", core.review_detail_view, name="review-detail"),
    path("projects/ledger/", core.ledger_view, name="ledger"),
]

# /rewards/, /vouchers/
urlpatterns += reward_page_patterns
