"""The role home pages (the to-do list), composed from each app's queues.

This is one of the named places where bureau reads the domain apps (with the
demo seed and create_user): apps never import bureau's views, and bureau asks
each app only through its selectors and permissions.

Every queue is computed by the selector of the list it links to, with the
same filters, so its count (`data-count`) is the number of rows that list
shows; the panel shows the newest few and links to the full list. A link is
rendered only when the user may follow it (the apps' predicates).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from bureau.audit import audit_rows
from bureau.home.duties import _failed_logins, _inactive_accounts, _locked, _privileged
from bureau.home.queue import SHOWN, Queue
from bureau.home.tasks import _my_tasks
from bureau.home.work import (
    _decisions,
    _expiring,
    _filings_due,
    _filings_to_review,
    _formal_check,
    _leader_queues,
    _my_actions,
    _open_calls,
    _overdue_followups,
    _panels,
    _reviews,
    _street_figures,
    _street_tasks,
)
from bureau.lib.types import AuthedRequest
from bureau.models import Role, User
from bureau.permissions import can_view_audit_log
from bureau.selectors import audit_event_list, notification_list, org_unit_home

# --- Which queues each role's home shows ---------------------------------------------

QueueBuilder = Callable[[User, int | None], Queue]


ROLE_QUEUES: dict[str, list[str]] = {
    Role.ENTERPRISE: ["open_calls", "my_actions", "filings_due", "my_tasks"],
    Role.STAFF: [
        "formal_check",
        "filings_to_review",
        "overdue_followups",
        "expiring",
        "my_tasks",
    ],
    Role.SECTION_HEAD: [
        "decisions",
        "panels",
        "formal_check",
        "filings_to_review",
        "overdue_followups",
        "my_tasks",
    ],
    Role.EXPERT: ["reviews"],
    Role.LEADER: ["headline", "lagging_streets"],
    Role.STREET_LIAISON: ["street_tasks", "overdue_followups", "my_tasks"],
    Role.AUDITOR: ["privileged", "failed_logins"],
    Role.SECURITY_ADMIN: ["locked"],
    Role.BUREAU_ADMIN: ["inactive_accounts"],
}

BUILDERS: dict[str, QueueBuilder] = {
    "open_calls": _open_calls,
    "my_actions": _my_actions,
    "filings_due": _filings_due,
    "formal_check": _formal_check,
    "filings_to_review": _filings_to_review,
    "overdue_followups": _overdue_followups,
    "expiring": _expiring,
    "decisions": _decisions,
    "panels": _panels,
    "reviews": _reviews,
    "street_tasks": _street_tasks,
    "street_figures": _street_figures,
    "privileged": _privileged,
    "failed_logins": _failed_logins,
    "locked": _locked,
    "inactive_accounts": _inactive_accounts,
    "my_tasks": _my_tasks,
}

# Queues whose only full list is /work/<name>/.
OWN_PAGE = ("overdue_followups", "panels", "street_figures")

# Parts of a queue listed on their own page, and the queue they belong to:
# the page is for the roles whose home shows that queue.
PART_OF = {"street_figures": "street_tasks"}


def home_queues(*, user: User, limit: int | None = SHOWN) -> list[Queue]:
    """The work queues of `user`'s role, each with up to `limit` items."""
    if user.role == Role.LEADER:  # both from one reading of the dashboard
        return [*_leader_queues(user, limit), _my_tasks(user, limit)]
    return [BUILDERS[name](user, limit) for name in ROLE_QUEUES.get(user.role, [])]


def home_context(*, user: User) -> dict[str, Any]:
    """Everything the home template of `user`'s role lists."""
    context: dict[str, Any] = {
        "home_unit": org_unit_home(),
        "unread": notification_list(user=user, unread_only=True)[:5],
        "queues": home_queues(user=user),
    }
    if can_view_audit_log(user):
        context["recent_rows"] = audit_rows(audit_event_list()[:SHOWN])
    if user.role in (Role.STAFF, Role.SECTION_HEAD, Role.STREET_LIAISON):
        from enterprises.permissions import enterprises_visible_to

        context["enterprise_count"] = enterprises_visible_to(user).count()
    return context


def home_templates(*, user: User) -> list[str]:
    role = getattr(user, "role", "") or "none"
    return [f"bureau/home/{role}.html", "bureau/home/default.html"]


def queue_view(request: AuthedRequest, name: str) -> HttpResponse:
    """The full list of one of the user's queues that no other page lists
    (overdue follow-ups, panels ready to close, street figures not yet
    imported): 404 for any other name, 403
    when it is not a queue of the user's role."""
    if name not in OWN_PAGE:
        raise Http404
    if PART_OF.get(name, name) not in ROLE_QUEUES.get(request.user.role, []):
        raise PermissionDenied
    queue = BUILDERS[name](request.user, None)
    page = Paginator(queue.items, 50).get_page(request.GET.get("page"))
    return render(request, "bureau/home/queue.html", {"queue": queue, "page": page})
