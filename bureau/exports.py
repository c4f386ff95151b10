"""The audit trail in Excel, for the auditor (等保: audit records exportable)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

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
