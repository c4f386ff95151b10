"""Role predicates shared by every app, and their DRF permission classes."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from bureau.models import BUREAU_ROLES, Role


def has_role(user: Any, *roles: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def is_bureau_user(user: Any) -> bool:
    """Staff, section heads and leaders: see the whole district's business data."""
    return has_role(user, *BUREAU_ROLES)


def can_view_audit_log(user: Any) -> bool:
    return has_role(user, Role.AUDITOR) and user.has_perm("bureau.view_auditevent")


def can_unlock_accounts(user: Any) -> bool:
    return has_role(user, Role.SECURITY_ADMIN) and user.has_perm(
        "bureau.unlock_account"
    )


class RolePermission(BasePermission):
    """Allow only users whose role is in `roles`; subclass per use."""

    roles: tuple[str, ...] = ()

    def has_permission(self, request: Any, view: Any) -> bool:
        return has_role(request.user, *self.roles)


class IsAuditor(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_audit_log(request.user)
