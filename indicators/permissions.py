"""Who may see or change indicators, values, targets and imports."""

from __future__ import annotations

from typing import Any

from bureau.models import Role
from bureau.permissions import BUREAU_READERS, has_role

DASHBOARD_READERS = (*BUREAU_READERS, Role.STREET_LIAISON)


def can_view_dashboard(user: Any) -> bool:
    """The dashboard: the district for bureau roles, a liaison their street."""
    return has_role(user, *DASHBOARD_READERS)
