"""Excel builders of policy rewards (奖补兑现) and innovation vouchers (创新券):
data in, bytes out (no request, no ORM writes), through bureau.lib.xlsx.

Amounts are written in 万元, as the pages show them, and every money header
says so ("金额（万元）"); the cell keeps the exact value (to the fen), the
format shows two decimals. Headers are the pages' column names."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bureau.lib.money import wan_amount
from bureau.lib.xlsx import Column, Sheet, write_xlsx
from projects.models import Entitlement, RewardBatch, VoucherClaim

AMOUNT_HEADER = "金额（万元）"

# --- A reward batch for the finance office (奖补兑现清单) ------------------

EXPORT_HEADERS = [
    "企业",
    "统一社会信用代码",
    "所属街道/园区",
    "奖补规则",
    AMOUNT_HEADER,
    "原因",
    "状态",
]
REWARD_COLUMNS = [
    Column(EXPORT_HEADERS[0], width=30),
    Column(EXPORT_HEADERS[1], width=22),
    Column(EXPORT_HEADERS[2], width=14),
    Column(EXPORT_HEADERS[3], width=24),
    Column(EXPORT_HEADERS[4], width=14, kind="money"),
    Column(EXPORT_HEADERS[5], width=48),
    Column(EXPORT_HEADERS[6], width=24),
]


def _street(e: Entitlement | VoucherClaim) -> str:
    unit = e.enterprise.org_unit
    return unit.name if unit is not None else ""


def reward_batch_workbook(
    *, batch: RewardBatch, entitlements: Iterable[Entitlement]
) -> bytes:
    """One sheet of what is to be paid, with a total, and one sheet of the
    excluded rows and why (`entitlements` in the order of the sheet, as
    `projects.selectors.reward_batch_export_rows` gives)."""
    approved = batch.status == RewardBatch.Status.APPROVED
    payable: list[list[Any]] = []
    excluded: list[list[Any]] = []
    total = Decimal(0)
    for e in entitlements:
        values = [
            e.enterprise.name,
            e.enterprise.credit_code,
            _street(e),
            e.rule.name,
            wan_amount(e.amount),
            e.reason,
        ]
        if e.excluded:
            excluded.append([*values, f"已剔除：{e.exclusion_reason}"])
            continue
        if e.paid_at is not None:
            status = "已发放"
        else:
            status = "已审批" if approved else "待审批"
        payable.append([*values, status])
        total += e.amount
    payable.append(["合计", "", "", "", wan_amount(total), "", ""])
    return write_xlsx(
        [
            Sheet(f"{batch.year}年奖补兑现清单", REWARD_COLUMNS, payable),
            Sheet("已剔除", REWARD_COLUMNS, excluded),
        ]
    )


# --- The entitlement review list, as filtered on the page -------------------

ENTITLEMENT_LIST_COLUMNS = [
    Column("年度", width=8, kind="int"),
    Column("企业", width=30),
    Column("统一社会信用代码", width=22),
    Column("所属街道/园区", width=14),
    Column("奖补规则", width=24),
    Column("原因", width=48),
    Column(AMOUNT_HEADER, width=14, kind="money"),
    Column("状态", width=14),
    Column("发放时间", width=17, kind="datetime"),
]


def entitlement_list_workbook(rows: Iterable[Entitlement]) -> bytes:
    """The rows of the review list (already filtered and sorted), with a
    total of what is paid or payable (excluded rows add nothing)."""
    out: list[list[Any]] = []
    total = Decimal(0)
    for e in rows:
        state = e.get_state_display()
        if e.excluded:
            state = f"{state}：{e.exclusion_reason}"
        else:
            total += e.amount
        out.append(
            [
                e.batch.year,
                e.enterprise.name,
                e.enterprise.credit_code,
                _street(e),
                e.rule.name,
                e.reason,
                wan_amount(e.amount),
                state,
                _naive(e.paid_at),
            ]
        )
    out.append([None, "合计", "", "", "", "", wan_amount(total), "", None])
    return write_xlsx([Sheet("奖补兑现审核清单", ENTITLEMENT_LIST_COLUMNS, out)])


# --- Innovation voucher claims, as filtered on the page ---------------------

CLAIM_COLUMNS = [
    Column("企业", width=30),
    Column("统一社会信用代码", width=22),
    Column("所属街道/园区", width=14),
    Column("年度", width=8, kind="int"),
    Column("申领时间", width=17, kind="datetime"),
    Column("券面金额（万元）", width=14, kind="money"),
    Column("状态", width=10),
    Column("服务机构", width=26),
    Column("购买的服务", width=30),
    Column("服务费（万元）", width=14, kind="money"),
    Column("创新券抵扣（万元）", width=16, kind="money"),
    Column("兑付时间", width=17, kind="datetime"),
]


def _naive(moment: Any) -> Any:
    """Excel keeps no time zone: the local wall time."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None)


def voucher_claim_workbook(rows: Iterable[VoucherClaim]) -> bytes:
    """The claims list (already filtered and sorted) with a total row."""
    out: list[list[Any]] = []
    amount = used = Decimal(0)
    for c in rows:
        if c.status != VoucherClaim.Status.CANCELLED:
            amount += c.amount
            used += c.used_amount or 0
        out.append(
            [
                c.enterprise.name,
                c.enterprise.credit_code,
                _street(c),
                c.scheme.year,
                _naive(c.claimed_at),
                wan_amount(c.amount),
                c.get_status_display(),
                c.provider.name if c.provider else "",
                c.service,
                wan_amount(c.service_fee),
                wan_amount(c.used_amount),
                _naive(c.redeemed_at),
            ]
        )
    out.append(
        [
            "合计",
            "",
            "",
            None,
            None,
            wan_amount(amount),
            "",
            "",
            "",
            None,
            wan_amount(used),
            None,
        ]
    )
    return write_xlsx([Sheet("创新券申领清单", CLAIM_COLUMNS, out)])
