"""Who may record the pre-check facts of an enterprise."""

from __future__ import annotations

from bureau.permissions import (
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from enterprises.models import (
    Enterprise,
)
from enterprises.permissions.registry import enterprises_visible_to

# --- Facts recorded for the pre-check -------------------------------------------


def can_record_facts(user: AnyUser) -> bool:
    """Checks and judgements the figures cannot give (credit, incidents, the
    core-technology field …) are recorded by bureau staff and section heads."""
    return has_role(user, *BUREAU_WRITERS)


def get_enterprise_for_facts(user: AnyUser, pk: int | str) -> Enterprise:
    """The enterprise whose facts `user` records: 404 when they may not see
    it, 403 when their role may never record one."""
    return get_for_user(
        enterprises_visible_to(user).select_related("org_unit"),
        pk=pk,
        allowed=lambda enterprise: can_record_facts(user),
    )
