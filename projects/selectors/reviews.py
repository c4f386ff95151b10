"""Reads about expert reviews."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bureau.permissions import AnyUser
from projects.models import Application, Call, PanelEvent, ReviewAssignment
from projects.permissions import assignments_visible_to


def assignments_for_expert(
    *, user: AnyUser, open_only: bool = False
) -> QuerySet[ReviewAssignment]:
    """The expert's own assignments while their panel is open; `open_only`:
    those still to declare or score (not recused, not submitted)."""
    qs = assignments_visible_to(user)
    if open_only:
        qs = qs.filter(declined_reason="", submitted_at__isnull=True)
    return qs.select_related("application__call", "application__enterprise").order_by(
        "submitted_at", "assigned_at"
    )


@dataclass(frozen=True)
class ReviewGap:
    """An application under review with fewer scores in than the call wants."""

    application: Application
    submitted: int
    wanted: int

    @property
    def missing(self) -> int:
        return self.wanted - self.submitted


def panel_gaps(*, call: Call) -> list[ReviewGap]:
    """The call's applications under review that still miss a review: fewer
    submitted scores than the call's reviewers per application. One query."""
    wanted = call.reviewers_per_application
    rows = (
        Application.objects.filter(call=call, state=Application.State.UNDER_REVIEW)
        .select_related("enterprise")
        .annotate(
            submitted=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False)
            )
        )
        .order_by("id")
    )
    return [
        ReviewGap(app, app.submitted, wanted) for app in rows if app.submitted < wanted
    ]


def panel_assignments(*, call: Call) -> QuerySet[ReviewAssignment]:
    """Every assignment of the call's applications under review, for the
    bureau's panel table (replaced ones included, to show the history)."""
    return (
        ReviewAssignment.objects.filter(
            application__call=call,
            application__state=Application.State.UNDER_REVIEW,
        )
        .select_related("application__call", "expert")
        .order_by("application_id", "assigned_at", "id")
    )


def panel_events(*, call: Call) -> QuerySet[PanelEvent]:
    return PanelEvent.objects.filter(call=call).select_related("by")
