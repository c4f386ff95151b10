from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.models import Role

# (label, url name, roles that see it; empty = every signed-in user)
NAVIGATION: list[tuple[Any, str, tuple[str, ...]]] = [
    (_("Home"), "home", ()),
    (
        _("Enterprises"),
        "enterprise-list",
        (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.STREET_LIAISON),
    ),
    (_("My enterprise"), "enterprise-list", (Role.ENTERPRISE,)),
    (
        _("Ladder"),
        "enterprise-funnel",
        (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.STREET_LIAISON),
    ),
    (
        _("Quarterly monitoring"),
        "monitoring-index",
        (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.STREET_LIAISON),
    ),
    (
        _("Returns"),
        "filing-annual",
        (Role.STAFF, Role.SECTION_HEAD, Role.STREET_LIAISON, Role.ENTERPRISE),
    ),
    (
        _("Quarterly reports"),
        "filing-quarterly",
        (Role.STAFF, Role.SECTION_HEAD, Role.STREET_LIAISON, Role.ENTERPRISE),
    ),
    (
        _("Indicator dashboard"),
        "dashboard",
        (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.STREET_LIAISON),
    ),
    (
        _("Projects"),
        "projects-home",
        (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.ENTERPRISE),
    ),
    (
        _("Policy rewards"),
        "reward-index",
        (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.ENTERPRISE),
    ),
    (
        _("Innovation vouchers"),
        "voucher-index",
        (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.ENTERPRISE),
    ),
    (_("My reviews"), "review-list", (Role.EXPERT,)),
    (_("Talent"), "talent-list", (Role.STAFF, Role.SECTION_HEAD, Role.LEADER)),
    (_("Notifications"), "notification-list", ()),
    (_("Account lockouts"), "lockout-list", (Role.SECURITY_ADMIN,)),
    (_("Audit log"), "audit-log", (Role.AUDITOR,)),
    (
        _("API docs"),
        "api-docs",
        (Role.BUREAU_ADMIN, Role.STAFF, Role.SECTION_HEAD),
    ),
    (
        _("Administration"),
        "admin:index",
        (Role.BUREAU_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR),
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, roles in NAVIGATION:
        if roles and user.role not in roles:
            continue
        items.append({"label": label, "url": reverse(url_name), "active": False})
    # Highlight the one entry whose address is the longest prefix of the page's.
    matches = [
        item
        for item in items
        if request.path == item["url"]
        or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
