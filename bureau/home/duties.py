"""The queues of the three administrators: privileged actions, failed logins, locked and disabled accounts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bureau.audit import action_label
from bureau.home.queue import Queue, QueueItem, _url, _view_all, _when
from bureau.models import User
from bureau.permissions import can_unlock_accounts, can_view_audit_log
from bureau.selectors import (
    audit_event_list,
    failed_login_list,
    inactive_user_list,
    login_throttle_locked_list,
)

# --- The three administrators ---------------------------------------------------------


def _privileged(user: User, limit: int | None) -> Queue:
    from bureau.selectors import privileged_events

    queue = Queue(
        "privileged", _("Recent privileged actions"), _("No privileged action yet.")
    )
    qs = privileged_events(audit_event_list())
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            f"{action_label(e.action)} · {e.object_repr}",
            "",
            e.actor_username,
            _when(e.created_at),
        )
        for e in qs[:limit]
    ]
    if can_view_audit_log(user):
        url = _url("audit-log", query={"privileged": 1})
        queue.links = [_view_all(url, queue.count)]
    return queue


def _failed_logins(user: User, limit: int | None) -> Queue:
    queue = Queue("failed_logins", _("Failed logins"), _("No failed login."))
    qs = failed_login_list()
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            e.object_repr or e.actor_username,
            "",
            e.ip_address or "",
            _when(e.created_at),
            bad=True,
        )
        for e in qs[:limit]
    ]
    if can_view_audit_log(user):
        url = _url("audit-log", query={"action": "login.failure"})
        queue.links = [_view_all(url, queue.count)]
    return queue


def _locked(user: User, limit: int | None) -> Queue:
    queue = Queue("locked", _("Locked accounts"), _("No account is locked."))
    qs = login_throttle_locked_list()
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            t.username,
            "",
            _("until %(when)s") % {"when": _when(t.locked_until)},
            _when(t.last_failure_at),
            bad=True,
        )
        for t in qs[:limit]
    ]
    if can_unlock_accounts(user):
        queue.links = [_view_all(_url("lockout-list"), queue.count)]
    return queue


def _inactive_accounts(user: User, limit: int | None) -> Queue:
    queue = Queue(
        "inactive_accounts", _("Disabled accounts"), _("No account is disabled.")
    )
    qs = inactive_user_list()
    queue.count = qs.count()
    may_view = user.has_perm("bureau.view_user")
    queue.items = [
        QueueItem(
            f"{u.display_name}（{u.username}）",
            _url("admin:bureau_user_change", u.pk) if may_view else "",
            u.get_role_display(),
            _when(u.date_joined),
        )
        for u in qs[:limit]
    ]
    if may_view:
        url = _url("admin:bureau_user_changelist", query={"is_active__exact": 0})
        queue.links = [_view_all(url, queue.count)]
    return queue
