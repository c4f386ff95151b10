from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.models import Role
from bureau.permissions import ADMINISTRATORS, AnyUser, can_read_api_docs, has_role

# (label, url name, shown): one entry of a menu group.
MenuEntry = tuple[Any, str, bool]


@dataclass
class NavItem:
    label: str
    url: str
    active: bool = False


@dataclass
class NavGroup:
    """One area of the main menu. A group of one item is shown as a plain
    link (`single`) under the item's own label."""

    label: str
    items: list[NavItem] = field(default_factory=list)

    @property
    def single(self) -> bool:
        return len(self.items) == 1

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)

    @property
    def url(self) -> str:
        return self.items[0].url


def _menu(user: AnyUser) -> list[tuple[Any, list[MenuEntry]]]:
    """The main menu by area: (group label, [(label, url name, shown)]).
    Each app's permissions decide, so the menu never offers a page the user
    may not open; a group left with no entry is not shown."""
    from bureau.permissions import (
        can_reset_mfa,
        can_unlock_accounts,
        can_view_accounts,
        can_view_audit_log,
        can_view_calendar,
        can_view_tasks,
    )
    from enterprises import permissions as ent
    from indicators.permissions import can_import, can_view_dashboard, can_view_ledgers
    from projects import permissions as proj
    from talent.permissions import calculators_in_menu as talent_calculators_in_menu
    from talent.permissions import can_view_talent

    is_enterprise = has_role(user, Role.ENTERPRISE)
    talent = can_view_talent(user)
    ledgers = can_view_ledgers(user)
    return [
        (_("Home"), [(_("Home"), "home", True)]),
        (
            pgettext_lazy("menu", "Supervision"),
            [
                (pgettext_lazy("menu", "Tasks"), "task-list", can_view_tasks(user)),
                (
                    pgettext_lazy("menu", "Work calendar"),
                    "calendar",
                    can_view_calendar(user),
                ),
            ],
        ),
        (
            pgettext_lazy("menu", "Enterprise services"),
            [
                (
                    _("My enterprise")
                    if is_enterprise
                    else pgettext_lazy("menu", "Enterprise registry"),
                    "enterprise-list",
                    ent.can_list_enterprises(user),
                ),
                (_("Ladder"), "enterprise-funnel", ent.can_view_funnel(user)),
                (
                    _("IP register"),
                    "ip-list",
                    ent.can_list_ip_items(user) and not is_enterprise,
                ),
                (
                    _("Above-scale proposals"),
                    "enterprise-above-scale",
                    ent.can_view_above_scale(user),
                ),
                (
                    _("Re-recognition"),
                    "enterprise-renewals",
                    ent.can_view_renewals(user),
                ),
                (
                    _("Quarterly monitoring"),
                    "monitoring-index",
                    ent.can_view_monitoring(user),
                ),
                (
                    _("Account registrations"),
                    "registration-list",
                    ent.can_list_registrations(user)
                    and not has_role(user, Role.ENTERPRISE),
                ),
                (_("Returns"), "filing-annual", ent.can_list_filings(user)),
                (
                    _("Quarterly reports"),
                    "filing-quarterly",
                    ent.can_list_filings(user),
                ),
                (
                    pgettext_lazy("menu", "Events and science popularisation"),
                    "event-list",
                    ent.can_view_events(user),
                ),
                (
                    pgettext_lazy("menu", "Carriers"),
                    "carrier-list",
                    ent.can_read_registry_reports(user),
                ),
                (
                    pgettext_lazy("menu", "R&D institutions"),
                    "rd-institution-list",
                    ent.can_read_registry_reports(user),
                ),
                (
                    pgettext_lazy("menu", "Cooperation"),
                    "agreement-list",
                    ent.can_list_cooperation(user),
                ),
            ],
        ),
        (
            _("Projects"),
            [
                (
                    pgettext_lazy("menu", "Calls and applications"),
                    "projects-home",
                    proj.can_view_projects(user),
                ),
                (_("Policy rewards"), "reward-index", proj.can_view_rewards(user)),
                (
                    _("Innovation vouchers"),
                    "voucher-index",
                    proj.can_view_vouchers(user),
                ),
                (
                    pgettext_lazy("menu", "Projects won from higher levels"),
                    "upward-list",
                    proj.can_view_upward(user),
                ),
                (_("My reviews"), "review-list", proj.can_list_reviews(user)),
            ],
        ),
        (
            _("Indicators"),
            [
                (_("Indicator dashboard"), "dashboard", can_view_dashboard(user)),
                (
                    pgettext_lazy("menu", "Indicator imports"),
                    "indicator-imports",
                    can_import(user),
                ),
                (_("Technology contracts"), "tech-contract-list", ledgers),
                (pgettext_lazy("menu", "Achievements"), "achievement-list", ledgers),
                (_("R&D statistics"), "rd-ledger", ledgers),
            ],
        ),
        (
            _("Talent"),
            [
                (_("People"), "talent-list", talent),
                (_("Living allowances"), "allowance-month", talent),
                (_("Foreign experts"), "permit-cases", talent),
                (_("S&T commissioners"), "commissioner-list", talent),
            ],
        ),
        (
            pgettext_lazy("menu", "Policy calculators"),
            [
                (
                    _("R&D super-deduction"),
                    "calculator-super-deduction",
                    ent.calculators_in_menu(user),
                ),
                (
                    _("Work-permit class"),
                    "calculator-work-permit",
                    talent_calculators_in_menu(user),
                ),
            ],
        ),
        (
            _("System"),
            [
                (_("Account management"), "account-list", can_view_accounts(user)),
                (_("Account lockouts"), "lockout-list", can_unlock_accounts(user)),
                (_("Two-factor login"), "mfa-user-list", can_reset_mfa(user)),
                (_("Audit log"), "audit-log", can_view_audit_log(user)),
                (
                    _("Administration"),
                    "admin:index",
                    has_role(user, *ADMINISTRATORS),
                ),
            ],
        ),
    ]


@lru_cache(maxsize=256)
def _menu_url(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


def menu_url(name: str) -> str:
    """reverse() of a menu entry's URL name, kept per script prefix and URL
    configuration: the menu draws forty of them on every page."""
    return _menu_url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def nav_groups(user: AnyUser, path: str) -> list[NavGroup]:
    """The menu groups `user` sees, the entry of the page at `path` marked
    active: the one whose address is the longest prefix of the page's."""
    groups = []
    for label, entries in _menu(user):
        items = [
            NavItem(label=str(item_label), url=menu_url(url_name))
            for item_label, url_name, shown in entries
            if shown
        ]
        if items:
            groups.append(NavGroup(label=str(label), items=items))
    matches = [
        item
        for group in groups
        for item in group.items
        if path == item.url or (item.url != "/" and path.startswith(item.url))
    ]
    if matches:
        max(matches, key=lambda item: len(item.url)).active = True
    return groups


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "can_read_api_docs": False}
    return {
        "nav_groups": nav_groups(user, request.path),
        "can_read_api_docs": can_read_api_docs(user),
    }
