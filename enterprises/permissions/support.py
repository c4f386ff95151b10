"""Who may record visits and support, and see a follow-up."""

from __future__ import annotations

from bureau.permissions import (
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from enterprises.models import (
    FollowUp,
)
from enterprises.permissions.ladder import can_manage_ladder
from enterprises.permissions.registry import enterprises_visible_to
from enterprises.permissions.roles import VISITORS

# --- Visits, follow-ups, institutions, loans, carriers ------------------------


def can_record_visit(user: AnyUser) -> bool:
    return has_role(user, *VISITORS)


def can_record_support(user: AnyUser) -> bool:
    """Record R&D institutions, loans and carriers."""
    return has_role(user, *BUREAU_WRITERS)


def get_follow_up_for_user(user: AnyUser, pk: int | str) -> FollowUp:
    """A follow-up to close: 404 unless its enterprise is visible, 403 unless
    `user` owns it or manages the ladder."""
    return get_for_user(
        FollowUp.objects.select_related("visit"),
        pk=pk,
        visit__enterprise__in=enterprises_visible_to(user),
        allowed=lambda follow_up: (
            follow_up.owner_id == user.pk or can_manage_ladder(user)
        ),
    )
