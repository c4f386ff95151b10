"""The queues of the business roles: enterprise, staff and section heads, expert, leader, street liaison.

Every queue is computed by the selector of the list it links to, with the
same filters, so its count is the number of rows that list shows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from bureau.home.queue import Queue, QueueItem, QueueLink, _url, _view_all, _when
from bureau.models import User

# --- Enterprise ----------------------------------------------------------------


def _open_calls(user: User, limit: int | None) -> Queue:
    from projects.permissions import can_view_projects
    from projects.selectors import open_calls

    queue = Queue("open_calls", _("Open calls"), _("No calls are open for you now."))
    qs = open_calls(user=user)
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            call.title,
            _url("call-detail", call.pk),
            _("closes at %(when)s") % {"when": _when(call.closes_at)},
        )
        for call in qs[:limit]
    ]
    if can_view_projects(user):
        url = _url("projects-home", query={"open": 1})
        queue.links = [_view_all(url, queue.count)]
    return queue


def _applications(
    user: User, limit: int | None, name: str, title: str, empty: str
) -> Queue:
    from projects.permissions import can_list_applications
    from projects.selectors import APPLICATION_QUEUES, applications_waiting

    queue = Queue(name, title, empty)
    qs = applications_waiting(user=user, queue=name)
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            app.title,
            _url("application-detail", app.pk),
            f"{app.enterprise.name} · {app.get_state_display()}",
            _when(app.created_at),
            bad=app.state == "returned",
        )
        for app in qs[:limit]
    ]
    if can_list_applications(user):
        states = ",".join(APPLICATION_QUEUES[name])
        url = _url("application-list", query={"state": states})
        queue.links = [_view_all(url, queue.count)]
    return queue


def _filing_list_url(kind: str, state: str, street: int | None = None) -> str:
    """A filing list filtered by state (and street)."""
    query: dict[str, Any] = {"state": state}
    if street is not None:
        query["street"] = street
    return _url("filing-list", kind, query=query)


def _filing_items(kind: str, filings: Any) -> list[QueueItem]:
    items = []
    for f in filings:
        period = f.period_display if kind == "quarterly" else str(f.year)
        kind_label = (
            _("Quarterly report") if kind == "quarterly" else _("Annual return")
        )
        items.append(
            QueueItem(
                f"{f.enterprise.name} · {kind_label} {period}",
                _url("filing-edit", kind, f.pk),
                f.return_reason or f.get_status_display(),
                _when(f.submitted_at or f.updated_at),
                bad=f.status == "returned",
            )
        )
    return items


def _filings(
    user: User,
    limit: int | None,
    queue: Queue,
    status: str,
    labels: dict[str, str],
    street: int | None = None,
) -> None:
    """Add `user`'s filings in `status` (both kinds) to `queue`, with one
    link per kind to the filing list filtered the same way."""
    from enterprises.permissions import can_list_filings
    from enterprises.selectors import FILING_KINDS, filings_in_state

    for kind in FILING_KINDS:
        qs = filings_in_state(user=user, kind=kind, status=status, org_unit_id=street)
        count = qs.count()
        queue.count += count
        # The newest first (an index serves it): the list's own order would
        # sort every waiting filing by enterprise name for five rows.
        queue.items += _filing_items(kind, qs.order_by("-submitted_at", "-pk")[:limit])
        if can_list_filings(user):
            queue.links.append(
                QueueLink(labels[kind], _filing_list_url(kind, status, street), count)
            )


def _filings_due(user: User, limit: int | None) -> Queue:
    from enterprises.selectors import filings_due

    queue = Queue("filings_due", _("Reports due"), _("Nothing is due."))
    for due in filings_due(user=user):
        kind_label = (
            _("Quarterly report") if due.kind == "quarterly" else _("Annual return")
        )
        url = (
            _url("filing-edit", due.kind, due.draft_id)
            if due.draft_id
            else _url("filing-new", due.kind)
        )
        queue.items.append(
            QueueItem(
                f"{kind_label} {due.label}",
                url,
                _("Draft started, not submitted")
                if due.draft_id
                else _("Not filed yet"),
                bad=True,
            )
        )
        queue.count += 1
    _filings(
        user,
        limit,
        queue,
        "returned",
        {
            "annual": _("Annual returns returned"),
            "quarterly": _("Quarterly reports returned"),
        },
    )
    queue.items = queue.items[:limit]
    return queue


# --- Staff and section heads --------------------------------------------------


def _filings_to_review(user: User, limit: int | None) -> Queue:
    queue = Queue(
        "filings_to_review", _("Filings to review"), _("No filing is waiting.")
    )
    _filings(
        user,
        limit,
        queue,
        "submitted",
        {"annual": _("Annual returns"), "quarterly": _("Quarterly reports")},
    )
    queue.items.sort(key=lambda i: i.when, reverse=True)
    queue.items = queue.items[:limit]
    return queue


def _overdue_followups(user: User, limit: int | None) -> Queue:
    from enterprises.selectors import overdue_follow_ups

    queue = Queue(
        "overdue_followups",
        _("My overdue follow-ups"),
        _("Nothing overdue."),
        columns=(_("enterprise"), _("Follow-up action"), _("due date"), _("result")),
    )
    qs = overdue_follow_ups(user=user)
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            f.visit.enterprise.name,
            _url("enterprise-detail", f.visit.enterprise_id),
            f.action,
            _when(f.due_on),
            bad=True,
            close_url=_url("follow-up-close", f.pk),
        )
        for f in qs[:limit]
    ]
    queue.links = [_view_all(_url("home-queue", "overdue_followups"), queue.count)]
    return queue


def _expiring(user: User, limit: int | None) -> Queue:
    from enterprises.permissions import can_list_enterprises
    from enterprises.selectors import expiring_enterprises, expiry_warning_days

    days = expiry_warning_days()
    queue = Queue(
        "expiring",
        _("Certificates expiring within %(days)s days") % {"days": days},
        _("No certificate expires soon."),
    )
    qs = expiring_enterprises(user=user)
    queue.count = qs.count()
    soonest = qs.order_by("current_tier_expires_on", "name", "id")
    queue.items = [
        QueueItem(
            e.name,
            _url("enterprise-detail", e.pk),
            e.current_tier_name or "",
            _when(e.current_tier_expires_on),
        )
        for e in soonest[:limit]
    ]
    if can_list_enterprises(user):
        url = _url("enterprise-list", query={"expiring_within": days})
        queue.links = [_view_all(url, queue.count)]
    return queue


def _panels(user: User, limit: int | None) -> Queue:
    from projects.selectors import panels_ready

    queue = Queue(
        "panels",
        _("Review panels ready to close"),
        _("No panel is ready to close."),
        columns=(_("call"), "", _("closes at"), ""),
    )
    qs = panels_ready(user=user)
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            call.title,
            _url("call-detail", call.pk),
            _("Every reviewer has scored"),
            _when(call.closes_at),
        )
        for call in qs[:limit]
    ]
    queue.links = [_view_all(_url("home-queue", "panels"), queue.count)]
    return queue


# --- Expert ----------------------------------------------------------------------


def _reviews(user: User, limit: int | None) -> Queue:
    from projects.permissions import can_list_reviews
    from projects.selectors import open_reviews

    queue = Queue(
        "reviews", _("Reviews assigned to me"), _("No reviews are assigned to you.")
    )
    qs = open_reviews(user=user)
    queue.count = qs.count()
    queue.items = [
        QueueItem(
            a.application.title,
            _url("review-detail", a.pk),
            _("To score") if a.declared_at else _("Declare first"),
            _when(a.assigned_at),
        )
        for a in qs[:limit]
    ]
    if can_list_reviews(user):
        url = _url("review-list", query={"open": 1})
        queue.links = [_view_all(url, queue.count)]
    return queue


# --- Leader ------------------------------------------------------------------------


def _percent(value: Any) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def _leader_queues(user: User, limit: int | None) -> list[Queue]:
    from indicators.selectors.queues import headline_board

    headline = Queue(
        "headline",
        _("Headline indicators"),
        _("Indicator data will appear here once it is imported."),
    )
    lagging = Queue(
        "lagging_streets",
        _("Streets behind schedule"),
        _("No street is behind schedule."),
    )
    board = headline_board(user=user)
    if board is None:
        return [headline, lagging]
    dashboard = _url("dashboard", query={"year": board.year})
    headline.count = len(board.boards)
    headline.items = [
        QueueItem(
            b.indicator.name,
            _url("dashboard-indicator", b.indicator.code, query={"year": board.year}),
            _("done %(done)s · due by now %(due)s")
            % {
                "done": _percent(b.district.progress),
                "due": _percent(b.district.schedule),
            }
            if b.district.progress is not None
            else _("No target set"),
            bad=b.district.status == "red",
        )
        for b in board.boards[:limit]
    ]
    headline.links = [_view_all(dashboard, headline.count)]
    lagging.count = len(board.black_list)
    lagging.items = [
        QueueItem(
            f"{item['unit']} · {item['indicator']}",
            _url("dashboard-indicator", item["code"], query={"year": board.year}),
            _("done %(done)s · due by now %(due)s")
            % {"done": _percent(item["progress"]), "due": _percent(item["schedule"])},
            bad=True,
        )
        for item in board.black_list[:limit]
    ]
    lagging.links = [_view_all(dashboard, lagging.count)]
    return [headline, lagging]


# --- Street liaison ------------------------------------------------------------------


def _street_figures(user: User, limit: int | None) -> Queue:
    """The street figures `user` has yet to import for the last month ended:
    one part of street_tasks, listed in full at /work/street_figures/ (no
    other page lists exactly these)."""
    from indicators.permissions import can_import
    from indicators.selectors.queues import street_figures_due

    queue = Queue(
        "street_figures",
        _("Street figures not imported"),
        _("Every street figure of the last month is imported."),
        columns=(_("indicator"), _("state"), "", ""),
    )
    figures = street_figures_due(user=user)
    imports = _url("indicator-imports") if can_import(user) else ""
    queue.count = len(figures)
    queue.items = [
        QueueItem(
            _("Submit %(indicator)s for %(month)s/%(year)s")
            % {
                "indicator": due.indicator.name,
                "year": due.year,
                "month": due.month,
            },
            imports,
            _("Street figure not imported yet"),
            bad=True,
        )
        for due in figures[:limit]
    ]
    return queue


def _street_tasks(user: User, limit: int | None) -> Queue:
    queue = Queue(
        "street_tasks",
        _("Tasks of my street or park"),
        _("Nothing is waiting for your street or park."),
    )
    figures = _street_figures(user, limit)
    queue.items = figures.items
    queue.count = figures.count
    queue.links.append(
        QueueLink(figures.title, _url("home-queue", figures.name), figures.count)
    )
    _not_filed(user, limit, queue)
    if user.org_unit_id is not None:
        _filings(
            user,
            limit,
            queue,
            "returned",
            {
                "annual": _("Annual returns returned"),
                "quarterly": _("Quarterly reports returned"),
            },
            street=user.org_unit_id,
        )
    queue.items = queue.items[:limit]
    return queue


def _not_filed(user: User, limit: int | None, queue: Queue) -> None:
    """Add the enterprises `user` sees that have not filed the latest due
    quarter's report, linked to the enterprise list filtered the same way."""
    from enterprises.permissions import can_list_enterprises
    from enterprises.selectors import not_filed_enterprises

    quarter, period, qs = not_filed_enterprises(user=user)
    count = qs.count()
    queue.count += count
    label = _("Report for %(period)s not filed") % {"period": period}
    queue.items += [
        QueueItem(e.name, _url("enterprise-detail", e.pk), label, bad=True)
        for e in qs[:limit]
    ]
    if can_list_enterprises(user):
        url = _url("enterprise-list", query={"not_filed": quarter})
        queue.links.append(QueueLink(label, url, count))


def _formal_check(user: User, limit: int | None) -> Queue:
    return _applications(
        user,
        limit,
        "formal_check",
        _("Applications awaiting formal check"),
        _("No applications are waiting."),
    )


def _decisions(user: User, limit: int | None) -> Queue:
    return _applications(
        user,
        limit,
        "decisions",
        _("Decisions awaiting you"),
        _("No decisions are waiting."),
    )


def _my_actions(user: User, limit: int | None) -> Queue:
    return _applications(
        user,
        limit,
        "my_actions",
        _("Applications needing your action"),
        _("No application needs your action."),
    )


# The queues each role's home lists, in order; the full-list page
