"""Who may use the policy calculators, and whether the menu shows them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from bureau.models import Role
from bureau.permissions import (
    BUREAU_READERS,
    AnyUser,
    has_role,
)


def can_use_calculators(user: AnyUser) -> bool:
    """The policy calculators (政策测算) store nothing and show no one's data:
    any signed-in user may use them."""
    return bool(getattr(user, "is_authenticated", False))


def calculators_in_menu(user: AnyUser) -> bool:
    """The menu offers them to the users they are for: enterprise users and
    bureau staff (others may still open the address)."""
    return has_role(user, Role.ENTERPRISE, *BUREAU_READERS)


def require_calculator_user(user: AnyUser) -> None:
    if not can_use_calculators(user):
        raise PermissionDenied
