"""Reads about expert reviews."""

from __future__ import annotations

from django.db.models import QuerySet

from bureau.permissions import AnyUser
from projects.models import ReviewAssignment
from projects.permissions import assignments_visible_to


def assignments_for_expert(*, user: AnyUser) -> QuerySet[ReviewAssignment]:
    """The expert's own assignments while their panel is open."""
    return (
        assignments_visible_to(user)
        .select_related("application__call", "application__enterprise")
        .order_by("submitted_at", "assigned_at")
    )
