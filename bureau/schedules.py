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
        name="补发未发送的通知邮件",
        task="bureau.notifications_send_pending",
        minute="*/10",
        hour="*",
        description="每10分钟检查一次：把因消息队列不可用而未发出的通知邮件补发出去。",
    ),
    # 30 3 * * *  — 03:30 every day
    Schedule(
        name="清理过期的登录失败记录",
        task="bureau.login_throttles_prune",
        minute="30",
        hour="3",
        description="每天03:30删除已过统计窗口且未锁定的登录失败记录。",
    ),
    # 45 3 * * *  — 03:45 every day
    Schedule(
        name="清理过期的接口令牌",
        task="bureau.api_tokens_prune",
        minute="45",
        hour="3",
        description="每天03:45删除已过期的接口令牌。",
    ),
)
