from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bureau.models import Role
from bureau.permissions import ADMINISTRATORS, BUREAU_WRITERS, AnyUser, has_role


def _menu(user: AnyUser) -> list[tuple[Any, str, bool]]:
    """(label, url name, shown) for the main menu; each app's permissions
    decide, so the menu never offers a page the user may not open."""
    from bureau.permissions import can_unlock_accounts, can_view_audit_log
    from enterprises import permissions as ent
    from indicators.permissions import can_view_dashboard
    from projects import permissions as proj
    from talent.permissions import can_view_talent

    is_enterprise = has_role(user, Role.ENTERPRISE)
    return [
        (_("Home"), "home", True),
        (
            _("My enterprise") if is_enterprise else _("Enterprises"),
            "enterprise-list",
            ent.can_list_enterprises(user),
        ),
        (_("Ladder"), "enterprise-funnel", ent.can_view_funnel(user)),
        (_("Quarterly monitoring"), "monitoring-index", ent.can_view_monitoring(user)),
        (_("Returns"), "filing-annual", ent.can_list_filings(user)),
        (_("Quarterly reports"), "filing-quarterly", ent.can_list_filings(user)),
        (_("Indicator dashboard"), "dashboard", can_view_dashboard(user)),
        (_("Projects"), "projects-home", proj.can_view_projects(user)),
        (_("Policy rewards"), "reward-index", proj.can_view_rewards(user)),
        (_("Innovation vouchers"), "voucher-index", proj.can_view_vouchers(user)),
        (_("My reviews"), "review-list", proj.can_list_reviews(user)),
        (_("Talent"), "talent-list", can_view_talent(user)),
        (_("Notifications"), "notification-list", True),
        (_("My account"), "account", True),
        (_("Account lockouts"), "lockout-list", can_unlock_accounts(user)),
        (_("Two-factor login"), "mfa-user-list", can_unlock_accounts(user)),
        (_("Audit log"), "audit-log", can_view_audit_log(user)),
        (
            _("API docs"),
            "api-docs",
            has_role(user, Role.BUREAU_ADMIN, *BUREAU_WRITERS),
        ),
        (_("Administration"), "admin:index", has_role(user, *ADMINISTRATORS)),
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, shown in _menu(user):
        if not shown:
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
