"""The projects app's work queues on the role home pages: open calls an
enterprise may apply to, applications waiting for someone's move, review
panels ready to close, an expert's open reviews.

Each queue is the queryset of the list page it links to, with the same
filters (the application list's `?state=`, the review list's `?open=1`, the
projects page's open calls), so the home page's count is that list's length.
bureau/home/ composes them."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from bureau.permissions import AnyUser
from projects.models import Application, Call, ReviewAssignment
from projects.permissions import (
    calls_visible_to,
    can_apply,
    can_manage_calls,
    own_enterprise_id,
)
from projects.selectors.applications import application_list
from projects.selectors.reviews import assignments_for_expert

S = Application.State

# The applications waiting for each role's move, by queue name. An
# enterprise: a return to answer, a draft to finish and submit, a contract
# to sign, an acceptance to rectify.
APPLICATION_QUEUES: dict[str, list[str]] = {
    "formal_check": [S.SUBMITTED],
    "decisions": [S.UNDER_REVIEW],
    "my_actions": [S.RETURNED, S.DRAFT, S.APPROVED, S.FAILED_ACCEPTANCE],
}


def applications_waiting(*, user: AnyUser, queue: str) -> QuerySet[Application]:
    """The applications of `queue` that `user` sees: the application list
    filtered by the queue's states, newest first."""
    return application_list(user=user, filters={"state": APPLICATION_QUEUES[queue]})


def open_calls(*, user: AnyUser, not_applied: bool = True) -> QuerySet[Call]:
    """The calls accepting applications now, newest first; with
    `not_applied`, only those `user`'s enterprise has not applied to (a
    withdrawn application does not count): the projects page's open calls,
    and with `?open=1` the home page's queue. Whether the enterprise
    qualifies is checked on the call's page (the eligibility engine is too
    heavy for a home page)."""
    enterprise_id = own_enterprise_id(user)
    if not can_apply(user) or enterprise_id is None:
        return Call.objects.none()
    now = timezone.now()
    qs = calls_visible_to(user).filter(
        published_at__isnull=False, opens_at__lte=now, closes_at__gt=now
    )
    if not_applied:
        applied = Application.objects.filter(
            call=OuterRef("pk"), enterprise_id=enterprise_id
        ).exclude(state=S.WITHDRAWN)
        qs = qs.filter(~Exists(applied))
    return qs.order_by("-published_at", "-id")


def panels_ready(*, user: AnyUser) -> QuerySet[Call]:
    """Calls whose review panel is open and done: applications are under
    review, and every reviewer drawn for them (who has not recused) has
    scored. The call's page closes the panel. Newest first."""
    if not can_manage_calls(user):
        return Call.objects.none()
    under_review = Application.objects.filter(call=OuterRef("pk"), state=S.UNDER_REVIEW)
    pending = ReviewAssignment.objects.filter(
        application__call=OuterRef("pk"),
        application__state=S.UNDER_REVIEW,
        declined_reason="",
        submitted_at__isnull=True,
    )
    unscored = Application.objects.filter(
        call=OuterRef("pk"), state=S.UNDER_REVIEW
    ).exclude(assignments__submitted_at__isnull=False)
    return (
        calls_visible_to(user)
        .filter(panel_closed_at__isnull=True)
        .filter(Exists(under_review), ~Exists(pending), ~Exists(unscored))
        .order_by("-closes_at", "-id")
    )


def open_reviews(*, user: AnyUser) -> QuerySet[ReviewAssignment]:
    """The expert's assignments still to declare or score: the review list
    with `?open=1`. Newest first."""
    return assignments_for_expert(user=user, open_only=True).order_by(
        "-assigned_at", "-id"
    )
