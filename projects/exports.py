"""Excel builders of the projects app: data in, bytes out (no request, no
ORM writes). Every workbook goes through bureau.lib.xlsx, so user text is
always stored as text. The ledger and the application list are in 万元 with
the unit in the header, as their pages show them; the reward batch stays in 元
to the fen: the finance office pays from it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone

from bureau.lib.money import wan_amount
from bureau.lib.xlsx import Column, Sheet, write_xlsx
from projects.models import Application

# --- The funding ledger (项目资金台账) --------------------------------------

# The page's column names, money in 万元 as the page shows it.
LEDGER_COLUMNS = [
    Column("年度", width=8, kind="int"),
    Column("科技计划", width=20),
    Column("申报通知", width=36),
    Column("立项数", width=8, kind="int"),
    Column("立项金额（万元）", width=16, kind="money"),
    Column("已发放（万元）", width=16, kind="money"),
    Column("暂缓拨付（万元）", width=16, kind="money"),
    Column("待拨付（万元）", width=16, kind="money"),
    Column("未安排或不再拨付（万元）", width=22, kind="money"),
]
_LEDGER_SUMS = ("projects", "approved", "paid", "withheld", "planned", "unscheduled")


def _ledger_figures(row: Mapping[str, Any]) -> list[Any]:
    return [
        row["projects"],
        *(wan_amount(row[key]) for key in _LEDGER_SUMS[1:]),
    ]


def ledger_workbook(
    groups: Iterable[Mapping[str, Any]], total: Mapping[str, Any]
) -> bytes:
    """One sheet as the ledger page shows it (`projects.selectors.
    ledger_grouped`): per year its calls and a 合计 row, then the 合计 of all."""
    rows: list[list[Any]] = []
    for group in groups:
        for r in group["rows"]:
            rows.append([r["year"], r["programme"], r["call"], *_ledger_figures(r)])
        rows.append(
            [
                group["year"],
                "",
                f"{group['year']}年合计",
                *_ledger_figures(group["total"]),
            ]
        )
    rows.append(["", "", "合计", *_ledger_figures(total)])
    return write_xlsx([Sheet("项目资金台账", LEDGER_COLUMNS, rows)])


# --- The application list (项目申报清单) ------------------------------------

APPLICATION_COLUMNS = [
    Column("项目名称", width=36),
    Column("企业", width=30),
    Column("统一社会信用代码", width=22),
    Column("所属街道/园区", width=14),
    Column("申报通知", width=32),
    Column("年度", width=8, kind="int"),
    Column("申请金额（万元）", width=16, kind="money"),
    Column("立项金额（万元）", width=16, kind="money"),
    Column("状态", width=12),
    Column("创建时间", width=18, kind="datetime"),
]


def applications_workbook(applications: Iterable[Application]) -> bytes:
    """The filtered application list, one row each, money in 万元
    (`applications` with call, enterprise and its street selected)."""
    return write_xlsx(
        [
            Sheet(
                "项目申报清单",
                APPLICATION_COLUMNS,
                (
                    [
                        a.title,
                        a.enterprise.name,
                        a.enterprise.credit_code,
                        a.enterprise.org_unit.name if a.enterprise.org_unit else "",
                        a.call.title,
                        a.call.year,
                        wan_amount(a.requested_amount),
                        wan_amount(a.approved_amount),
                        str(a.get_state_display()),
                        timezone.localtime(a.created_at).replace(tzinfo=None),
                    ]
                    for a in applications
                ),
            )
        ]
    )
