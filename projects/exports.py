"""Excel builders of the projects app: data in, bytes out (no request, no
ORM writes). Every workbook goes through bureau.lib.xlsx, so user text is
always stored as text. Amounts stay in 元 to the fen: the finance office pays
from these sheets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bureau.lib.xlsx import Column, Sheet, write_xlsx

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
