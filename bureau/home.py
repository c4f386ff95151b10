"""The role home pages (the to-do list), composed from each app's panels.

This is one of the named places where bureau reads the domain apps (with the
demo seed and create_user): apps never import bureau's views, and bureau asks
each app only through its selectors.
"""

from __future__ import annotations

from typing import Any

from bureau.audit import audit_rows
from bureau.models import Role, User
from bureau.permissions import has_role
from bureau.selectors import (
    audit_event_list,
    login_throttle_locked_list,
    notification_list,
    org_unit_home,
)


def home_context(*, user: User) -> dict[str, Any]:
    """Everything the home template of `user`'s role lists."""
    from enterprises.selectors import home_panels as enterprise_panels

    context: dict[str, Any] = {
        "home_unit": org_unit_home(),
        "unread": notification_list(user=user, unread_only=True)[:5],
    }
    context.update(enterprise_panels(user=user))
    if has_role(user, Role.AUDITOR):
        context["recent_rows"] = audit_rows(audit_event_list()[:10])
    if has_role(user, Role.SECURITY_ADMIN):
        context["locked"] = login_throttle_locked_list()[:10]
    return context


def home_templates(*, user: User) -> list[str]:
    role = getattr(user, "role", "") or "none"
    return [f"bureau/home/{role}.html", "bureau/home/default.html"]
