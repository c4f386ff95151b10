"""Every periodic task, in one place. `python manage.py setup_periodic_tasks`
writes missing entries into django-celery-beat, where the admin can then
change or disable them; it never overwrites an entry that exists unless run
with --reset. Cron fields are in TIME_ZONE (Asia/Shanghai by default)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str
    hour: str
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    description: str = ""


SCHEDULES: tuple[Schedule, ...] = (
    # */10 * * * *  — every ten minutes
    Schedule(
        name="Send pending notification e-mails",
        task="bureau.notifications_send_pending",
        minute="*/10",
        hour="*",
        description="Mails notifications whose task was never queued.",
    ),
    # 30 3 * * *  — 03:30 every day
    Schedule(
        name="Prune old login failure records",
        task="bureau.login_throttles_prune",
        minute="30",
        hour="3",
        description="Deletes failure counters past their window and lock.",
    ),
    # 45 3 * * *  — 03:45 every day
    Schedule(
        name="Prune expired API tokens",
        task="bureau.api_tokens_prune",
        minute="45",
        hour="3",
        description="Deletes API tokens that have expired.",
    ),
)
