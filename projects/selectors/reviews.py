"""Reads about expert reviews."""

from __future__ import annotations

from django.db.models import QuerySet

from bureau.permissions import AnyUser
from projects.models import ReviewAssignment
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
