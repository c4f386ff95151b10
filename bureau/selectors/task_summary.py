"""The year's tasks (督办任务) counted for the work summary: district-wide,
by owner kind, as they stood on a given day. Reads only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from bureau.models import Task

# The order the summary names the owners in.
OWNER_ORDER: list[str] = [
    Task.OwnerKind.SECTION,
    Task.OwnerKind.STREET,
    Task.OwnerKind.ENTERPRISE,
    Task.OwnerKind.USER,
]


def _empty() -> dict[str, int]:
    return {"tasks": 0, "done": 0, "on_time": 0, "late": 0, "overdue": 0, "open": 0}


def task_year_figures(*, year: int, as_of: date) -> dict[str, Any]:
    """The tasks received in `year` as they stood at the end of `as_of`:
    per owner kind (section, street, enterprise, person) and in all, how
    many were received, done (on time: completed by the due date; late),
    overdue (not done and past the due date) and still open (not done, not
    yet due). A task completed after `as_of` counts as not done then.
    {"year", "as_of", "total": {...}, "by_owner": {kind: {...}}} with only
    the kinds that have tasks in `by_owner`."""
    by_owner: dict[str, dict[str, int]] = {}
    total = _empty()
    rows = Task.objects.filter(received_on__year=year).values_list(
        "owner_kind", "state", "due_on", "completed_at"
    )
    for kind, state, due_on, completed_at in rows:
        finished = (
            timezone.localdate(completed_at) if completed_at is not None else None
        )
        done = state == Task.State.DONE and (finished is None or finished <= as_of)
        if done:
            # Done without a completion time: counted as on time.
            outcome = "on_time" if finished is None or finished <= due_on else "late"
        elif due_on < as_of:
            outcome = "overdue"
        else:
            outcome = "open"
        for counts in (by_owner.setdefault(kind, _empty()), total):
            counts["tasks"] += 1
            counts[outcome] += 1
            if done:
                counts["done"] += 1
    ordered: dict[str, dict[str, int]] = {
        k: by_owner[k] for k in OWNER_ORDER if k in by_owner
    }
    ordered.update({k: v for k, v in by_owner.items() if k not in ordered})
    return {"year": year, "as_of": as_of, "total": total, "by_owner": ordered}
