"""Reads of tasks and the deadline calendar: the lists of the pages, the API
and the home panel (one selector each, so their counts agree)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone

from bureau.deadlines import fixed_date
from bureau.models import Deadline, Role, Task
from bureau.permissions import AnyUser, has_role, tasks_visible_to


def with_status(qs: QuerySet[Task], today: date | None = None) -> QuerySet[Task]:
    """`qs` annotated with `status` as bureau.deadlines.task_status derives
    it (overdue from the day after the due date)."""
    today = today or timezone.localdate()
    S = Task.Status
    return qs.annotate(
        status=Case(
            When(state=Task.State.DONE, then=Value(S.DONE)),
            When(due_on__lt=today, then=Value(S.OVERDUE)),
            When(state=Task.State.IN_PROGRESS, then=Value(S.IN_PROGRESS)),
            default=Value(S.TODO),
            output_field=CharField(),
        )
    )


def owned_by(user: AnyUser) -> Q:
    """The tasks that are `user`'s own work: a liaison's street's, an
    enterprise's, the person's; a section's for its section heads and
    whoever assigned it."""
    mine = Q(owner_kind=Task.OwnerKind.USER, owner_user_id=user.pk)
    if has_role(user, Role.STREET_LIAISON):
        mine |= Q(
            owner_kind=Task.OwnerKind.STREET,
            owner_unit_id=getattr(user, "org_unit_id", None),
        )
    elif has_role(user, Role.ENTERPRISE):
        mine |= Q(
            owner_kind=Task.OwnerKind.ENTERPRISE,
            owner_enterprise_id=getattr(user, "enterprise_id", None),
        )
    elif has_role(user, Role.SECTION_HEAD):
        mine |= Q(owner_kind=Task.OwnerKind.SECTION)
    elif has_role(user, Role.STAFF):
        mine |= Q(owner_kind=Task.OwnerKind.SECTION, created_by_id=user.pk)
    return mine


def task_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[Task]:
    """The tasks `user` sees, soonest due first, with `status`; `filters`:
    q (title, document number, issuer), status (one or a list), owner_kind,
    line_of_work, org_unit (an owning street's id), year (received),
    mine (the user's own work), open (not completed)."""
    filters = filters or {}
    qs = with_status(tasks_visible_to(user)).select_related(
        "owner_unit", "owner_user", "owner_enterprise", "created_by"
    )
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(document_number__icontains=q)
            | Q(issued_by__icontains=q)
        )
    if status := filters.get("status"):
        statuses = [status] if isinstance(status, str) else status
        qs = qs.filter(status__in=statuses)  # type: ignore[misc]
    if kind := filters.get("owner_kind"):
        qs = qs.filter(owner_kind=kind)
    if line := filters.get("line_of_work"):
        qs = qs.filter(line_of_work=line)
    if unit := filters.get("org_unit"):
        qs = qs.filter(owner_unit=unit)
    if year := filters.get("year"):
        qs = qs.filter(received_on__year=year)
    if filters.get("mine"):
        qs = qs.filter(owned_by(user))
    if filters.get("open"):
        qs = qs.exclude(state=Task.State.DONE)
    return qs.order_by("due_on", "id")


def my_open_tasks(*, user: AnyUser) -> QuerySet[Task]:
    """The home panel: `user`'s own unfinished tasks (= the task list with
    mine and open)."""
    return task_list(user=user, filters={"mine": True, "open": True})


def task_figures(*, user: AnyUser) -> dict[str, int]:
    """How many of the tasks `user` sees are in each status."""
    counts = {key: 0 for key in Task.Status.values}
    rows = (
        with_status(tasks_visible_to(user))
        .order_by()
        .values("status")  # type: ignore[misc]
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


# --- The deadline calendar --------------------------------------------------


def deadline_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Deadline]:
    """The recurring deadlines with their per-year dates; `filters`: q
    (name), line_of_work, active."""
    filters = filters or {}
    qs = Deadline.objects.prefetch_related("dates")
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(notes__icontains=q))
    if line := filters.get("line_of_work"):
        qs = qs.filter(line_of_work=line)
    if filters.get("active"):
        qs = qs.filter(is_active=True)
    return qs


def deadline_occurrences(
    *, year: int, filters: dict[str, Any] | None = None
) -> list[tuple[Deadline, date]]:
    """Each active deadline's date in `year`, in date order: the fixed day,
    or the date set for that year (a per-year deadline without one is left
    out: see `deadlines_undated`)."""
    rows = []
    for deadline in deadline_list(filters={**(filters or {}), "active": True}):
        if deadline.rule == Deadline.Rule.FIXED:
            assert deadline.month and deadline.day
            when = fixed_date(year, deadline.month, deadline.day)
        else:
            when = next((d.date for d in deadline.dates.all() if d.year == year), None)
        if when is not None:
            rows.append((deadline, when))
    return sorted(rows, key=lambda row: (row[1], row[0].name))


def deadlines_undated(*, year: int) -> list[Deadline]:
    """Active per-year deadlines whose date for `year` is not set yet."""
    return [
        d
        for d in deadline_list(filters={"active": True})
        if d.rule == Deadline.Rule.PER_YEAR
        and all(x.year != year for x in d.dates.all())
    ]
