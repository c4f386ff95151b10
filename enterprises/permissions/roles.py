"""Who counts as whom in the enterprises app: the signed-in role check every
predicate uses, and the roles that record visits."""

from __future__ import annotations

from typing import TypeGuard

from bureau.models import Role, User
from bureau.permissions import (
    BUREAU_WRITERS,
    AnyUser,
    has_role,
)


def _signed_in_as(user: AnyUser, *roles: str) -> TypeGuard[User]:
    """has_role, telling mypy that `user` is then a User (whose org unit and
    enterprise the scoped rules read)."""
    return isinstance(user, User) and has_role(user, *roles)


# Who records visits and may own a follow-up: bureau staff and liaisons.
VISITORS: tuple[str, ...] = (*BUREAU_WRITERS, Role.STREET_LIAISON)
