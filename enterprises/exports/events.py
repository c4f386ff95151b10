"""Excel files of events (活动) and science-popularisation bases, and the
event import template."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bureau.lib import xlsx
from bureau.lib.xlsx import ReadColumn

# --- Events and 科普 bases --------------------------------------------------------

# The import template's columns (enterprises.services.EVENT_COLUMNS) first,
# so an export can be edited and imported again as new events.
EVENT_EXPORT_COLUMNS = [
    xlsx.Column("活动类型", width=16, required=True),
    xlsx.Column("活动名称", width=36, required=True),
    xlsx.Column("开始日期", width=12, kind="date", required=True),
    xlsx.Column("结束日期", width=12, kind="date"),
    xlsx.Column("主办单位", width=24, required=True),
    xlsx.Column("地点", width=24),
    xlsx.Column("参加人数", width=10, kind="int"),
    xlsx.Column("参加企业（统一社会信用代码）", width=40),
    xlsx.Column("发放资料（份）", width=12, kind="int"),
    xlsx.Column("培训人次", width=10, kind="int"),
    xlsx.Column("备注", width=30),
    xlsx.Column("举办街道", width=14),
    xlsx.Column("参加企业名称", width=40),
]


def events_export(events: Iterable[Any]) -> bytes:
    """The event list (prefetch `enterprises`)."""
    rows = []
    for e in events:
        attendees = list(e.enterprises.all())
        rows.append(
            [
                e.get_kind_display(),
                e.title,
                e.starts_on,
                e.ends_on,
                e.organiser,
                e.place,
                e.participants,
                "、".join(a.credit_code for a in attendees),
                e.materials,
                e.trained,
                e.notes,
                e.org_unit.name if e.org_unit else "",
                "、".join(a.name for a in attendees),
            ]
        )
    return xlsx.write_xlsx([xlsx.Sheet("活动", EVENT_EXPORT_COLUMNS, rows)])


def event_template() -> bytes:
    """The empty import template (the types are listed on the import page)."""
    return xlsx.write_xlsx([xlsx.Sheet("活动", EVENT_EXPORT_COLUMNS[:11], [])])


SCIENCE_BASE_COLUMNS = [
    xlsx.Column("名称", width=30),
    xlsx.Column("级别", width=8),
    xlsx.Column("依托单位", width=30),
    xlsx.Column("所在街道", width=14),
    xlsx.Column("认定日期", width=12, kind="date"),
    xlsx.Column("年接待人次", width=12, kind="int"),
]


# The import reads the export's columns, so an export can be edited and
# imported again (a base of the same name is updated).
SCIENCE_BASE_IMPORT_COLUMNS = [
    ReadColumn("name", "名称", required=True),
    ReadColumn("level", "级别", required=True),
    ReadColumn("host", "依托单位", required=True),
    ReadColumn("org_unit", "所在街道"),
    ReadColumn("recognised_on", "认定日期", required=True),
    ReadColumn("yearly_visitors", "年接待人次"),
]
SCIENCE_BASE_EXAMPLE = (
    "运河科技馆科普基地",
    "市级",
    "杭州运河科技馆",
    "米市巷街道",
    "2024-09-20",
    12000,
)


def science_bases_export(bases: Iterable[Any]) -> bytes:
    rows = [
        [
            b.name,
            b.get_level_display(),
            b.host,
            b.org_unit.name if b.org_unit else "",
            b.recognised_on,
            b.yearly_visitors,
        ]
        for b in bases
    ]
    return xlsx.write_xlsx([xlsx.Sheet("科普基地", SCIENCE_BASE_COLUMNS, rows)])
