"""The audit trail in Excel, for the auditor (等保: audit records exportable)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.utils import timezone

from bureau.audit import audit_rows
from bureau.lib.xlsx import Column, Sheet, write_xlsx
from bureau.models import AuditEvent

AUDIT_EXPORT_COLUMNS = (
    Column("序号", width=10, kind="int"),
    Column("时间", width=20),
    Column("操作人", width=16),
    Column("账号", width=14),
    Column("操作", width=24),
    Column("对象类型", width=14),
    Column("对象", width=30),
    Column("变更内容", width=50),
    Column("说明", width=40),
    Column("IP地址", width=16),
    Column("SM3摘要", width=66),
)


def audit_events_xlsx(events: Iterable[AuditEvent]) -> bytes:
    """One row per event, newest first, with its chain digest so a copy can
    be checked against the database later."""
    tz = timezone.get_current_timezone()
    rows = []
    for row in audit_rows(events):
        event = row.event
        rows.append(
            [
                event.pk,
                event.created_at.astimezone(UTC)
                .astimezone(tz)
                .strftime("%Y-%m-%d %H:%M:%S"),
                event.actor.display_name if event.actor else "",
                event.actor_username,
                row.action_label,
                row.object_type_label,
                event.object_repr,
                "；".join(f"{label}：{old} → {new}" for label, old, new in row.changes),
                event.message,
                event.ip_address or "",
                event.digest,
            ]
        )
    return write_xlsx([Sheet("审计日志", AUDIT_EXPORT_COLUMNS, rows)])


# --- Tasks and the deadline calendar -----------------------------------------

# The import template's columns (bureau.services.tasks.TASK_COLUMNS) first, so
# an export can be edited and imported again as new tasks.
TASK_EXPORT_COLUMNS = (
    Column("任务名称", width=36, required=True),
    Column("来文文号", width=22),
    Column("来文单位", width=20),
    Column("收文日期", width=12, kind="date", required=True),
    Column("责任主体类型", width=12, required=True),
    Column("责任主体", width=28, required=True),
    Column("完成时限", width=12, kind="date", required=True),
    Column("业务条线", width=14),
    Column("任务要求", width=40),
    Column("状态", width=10),
    Column("进展记录", width=50),
    Column("办理结果", width=40),
    Column("完成时间", width=18),
    Column("交办人", width=12),
)


def _owner_cell(task: Any) -> str:
    """The owner as the import reads it back: a section's name, a street's
    name, a username, an enterprise's credit code."""
    kind = task.owner_kind
    if kind == "user" and task.owner_user:
        return task.owner_user.username
    if kind == "enterprise" and task.owner_enterprise:
        return task.owner_enterprise.credit_code
    return task.owner_display


def tasks_xlsx(tasks: Iterable[Any]) -> bytes:
    """The task list (annotated with `status`, prefetch `notes`)."""
    from bureau.models import Task

    statuses = dict(Task.Status.choices)
    rows = [
        [
            t.title,
            t.document_number,
            t.issued_by,
            t.received_on,
            t.get_owner_kind_display(),
            _owner_cell(t),
            t.due_on,
            t.get_line_of_work_display(),
            t.description,
            str(statuses[t.status]),
            "\n".join(
                f"{timezone.localtime(n.created_at):%Y-%m-%d} {n.text}"
                for n in t.notes.all()
            ),
            t.result,
            f"{timezone.localtime(t.completed_at):%Y-%m-%d %H:%M}"
            if t.completed_at
            else "",
            t.created_by.display_name,
        ]
        for t in tasks
    ]
    return write_xlsx([Sheet("任务督办", TASK_EXPORT_COLUMNS, rows)])


def task_template_xlsx() -> bytes:
    return write_xlsx([Sheet("任务督办", TASK_EXPORT_COLUMNS[:9], [])])


CALENDAR_COLUMNS = (
    Column("日期", width=12, kind="date"),
    Column("事项", width=36),
    Column("业务条线", width=14),
    Column("责任科室", width=20),
    Column("提前提醒（天）", width=12, kind="int"),
    Column("提醒对象", width=30),
    Column("说明", width=50),
)


def calendar_xlsx(occurrences: Iterable[tuple[Any, Any]], year: int) -> bytes:
    from bureau.models import Role

    roles = dict(Role.choices)
    rows = [
        [
            when,
            d.name,
            d.get_line_of_work_display(),
            d.remind_sections,
            d.lead_days,
            "、".join(str(roles.get(r, r)) for r in d.remind_roles),
            d.notes,
        ]
        for d, when in occurrences
    ]
    return write_xlsx([Sheet(f"{year}年工作日历", CALENDAR_COLUMNS, rows)])


def deadline_template_xlsx(columns: Iterable[Any]) -> bytes:
    """The empty import template of recurring deadlines (`columns`: the
    import's ReadColumns) with one example of each date rule to overwrite."""
    sheet_columns = [
        Column(c.header, width=40 if c.key == "notes" else 14, required=c.required)
        for c in columns
    ]
    rows: list[list[Any]] = [
        [
            "科技型中小企业评价（首批）",
            "每年固定日期",
            3,
            31,
            None,
            "企业培育",
            "高新科",
            "企业用户",
            14,
            None,
        ],
        [
            "科技活动周",
            "每年另定日期",
            None,
            None,
            "2026-05-16",
            None,
            None,
            None,
            21,
            None,
        ],
    ]
    return write_xlsx([Sheet("工作日历", sheet_columns, rows)])
