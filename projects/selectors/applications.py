"""Reads about applications: lists scoped to the user and the work queue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bureau.models import Role, User
from bureau.permissions import AnyUser
from projects.models import Application
from projects.permissions import applications_visible_to


def application_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[Application]:
    filters = filters or {}
    qs = applications_visible_to(user).select_related("call__programme", "enterprise")
    if filters.get("state"):
        # One state, or a list of them (the home page's work queues).
        state = filters["state"]
        qs = qs.filter(state__in=state if isinstance(state, list) else [state])
    if filters.get("call"):
        qs = qs.filter(call_id=filters["call"])
    if filters.get("enterprise"):
        qs = qs.filter(enterprise_id=filters["enterprise"])
    return qs.order_by("-created_at", "-id")


# States in which each role has the next move (the work queue).
QUEUES: dict[str, list[str]] = {
    Role.STAFF: [
        Application.State.SUBMITTED,
        Application.State.APPROVED,
        Application.State.CONTRACTED,
        Application.State.MIDTERM_PASSED,
    ],
    Role.SECTION_HEAD: [Application.State.UNDER_REVIEW, Application.State.SUBMITTED],
    Role.ENTERPRISE: [Application.State.DRAFT, Application.State.RETURNED],
}


def work_queue(*, user: User) -> QuerySet[Application]:
    states = QUEUES.get(user.role, [])
    return (
        application_list(user=user)
        .filter(state__in=states)
        .order_by("state_changed_at", "id")
    )
