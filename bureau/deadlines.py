"""The arithmetic of tasks and recurring deadlines, without the database:
a task's status on a day, a deadline's date in a year, and which reminders
are due on a day. Services and selectors call these; tests pin the
boundaries here."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# Task.State and Task.Status values (kept as plain strings: no ORM here).
OPEN, IN_PROGRESS, DONE = "open", "in_progress", "done"
TODO, OVERDUE = "todo", "overdue"


def task_status(state: str, due_on: date, today: date) -> str:
    """待办 / 进行中 / 已完成 / 逾期: a finished task is done whatever its date;
    an unfinished one is overdue from the day after its due date (the due
    date itself is still on time)."""
    if state == DONE:
        return DONE
    if due_on < today:
        return OVERDUE
    return IN_PROGRESS if state == IN_PROGRESS else TODO


def task_reminder_kind(due_on: date, today: date, lead_days: int) -> str | None:
    """Which reminder an unfinished task due on `due_on` calls for on `today`:
    "ahead" within `lead_days` days before the due date, "due" on the day,
    "overdue" after it; None when it is too early. Each kind is sent once per
    person, so a day the beat task missed is caught up the next day."""
    if today > due_on:
        return "overdue"
    if today == due_on:
        return "due"
    if today >= due_on - timedelta(days=lead_days):
        return "ahead"
    return None


def fixed_date(year: int, month: int, day: int) -> date | None:
    """`month`/`day` in `year`; 29 February falls on the 28th in a common
    year. None when the month has no such day at all (31 April)."""
    last = calendar.monthrange(year, month)[1]
    if day > 31 or (day > last and not (month == 2 and day == 29)):
        return None
    return date(year, month, min(day, last))


def reminder_window_open(occurs_on: date, lead_days: int, today: date) -> bool:
    """A deadline's reminder is due from `lead_days` days before it up to and
    including the day itself (later runs catch up a missed day)."""
    return occurs_on - timedelta(days=lead_days) <= today <= occurs_on


def days_left(occurs_on: date, today: date) -> int:
    return (occurs_on - today).days
