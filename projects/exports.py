"""Excel builders of the projects app: data in, bytes out (no request, no
ORM writes). Every workbook goes through bureau.lib.xlsx, so user text is
always stored as text. Amounts stay in 元 to the fen: the finance office pays
from these sheets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from bureau.lib.xlsx import Column, Sheet, write_xlsx
from projects.models import Entitlement, RewardBatch

# --- The funding ledger (项目资金台账) --------------------------------------

LEDGER_COLUMNS = [
    Column("年度", width=8, kind="int"),
    Column("科技计划", width=20),
    Column("申报通知", width=36),
    Column("立项数", width=8, kind="int"),
    Column("立项金额（元）", width=16, kind="number"),
    Column("已拨付（元）", width=16, kind="number"),
    Column("暂缓（元）", width=14, kind="number"),
    Column("待拨付（元）", width=16, kind="number"),
    Column("未安排或不再拨付（元）", width=20, kind="number"),
]


def ledger_workbook(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """One sheet, one row per call, as `projects.selectors.ledger` gives."""
    return write_xlsx(
        [
            Sheet(
                "项目资金台账",
                LEDGER_COLUMNS,
                (
                    [
                        r["year"],
                        r["programme"],
                        r["call"],
                        r["projects"],
                        r["approved"],
                        r["paid"],
                        r["withheld"],
                        r["planned"],
                        r["unscheduled"],
                    ]
                    for r in rows
                ),
            )
        ]
    )


# --- A reward batch for the finance office (奖补兑现清单) ------------------

EXPORT_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "所属街道/园区",
    "奖励项目",
    "金额（元）",
    "理由",
    "状态",
]
REWARD_COLUMNS = [
    Column(EXPORT_HEADERS[0], width=30),
    Column(EXPORT_HEADERS[1], width=22),
    Column(EXPORT_HEADERS[2], width=14),
    Column(EXPORT_HEADERS[3], width=20),
    Column(EXPORT_HEADERS[4], width=14, kind="number"),
    Column(EXPORT_HEADERS[5], width=48),
    Column(EXPORT_HEADERS[6], width=24),
]


def reward_batch_workbook(
    *, batch: RewardBatch, entitlements: Iterable[Entitlement]
) -> bytes:
    """One sheet of what is to be paid, with a total, and one sheet of the
    excluded rows and why (`entitlements` in the order of the sheet, as
    `projects.selectors.reward_batch_export_rows` gives)."""
    payable_status = (
        "已审批" if batch.status == RewardBatch.Status.APPROVED else "待审批"
    )
    payable: list[list[Any]] = []
    excluded: list[list[Any]] = []
    total = Decimal(0)
    for e in entitlements:
        values = [
            e.enterprise.name,
            e.enterprise.credit_code,
            e.enterprise.org_unit.name,
            e.rule.name,
            e.amount,
            e.reason,
        ]
        if e.excluded:
            excluded.append([*values, f"已剔除：{e.exclusion_reason}"])
        else:
            payable.append([*values, payable_status])
            total += e.amount
    payable.append(["合计", "", "", "", total, "", ""])
    return write_xlsx(
        [
            Sheet(f"{batch.year}年奖补兑现清单", REWARD_COLUMNS, payable),
            Sheet("已剔除", REWARD_COLUMNS, excluded),
        ]
    )
