"""Excel builders of the talent app: data in, bytes out (no request, no ORM
writes). Every workbook goes through bureau.lib.xlsx, so a name typed as
"=..." stays text and never becomes a formula."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bureau.lib.xlsx import Column, Sheet, write_xlsx
from talent.models import AllowancePayment

PAYMENT_COLUMNS = (
    Column("姓名", width=14),
    Column("身份证号（脱敏）", width=22),
    Column("工作单位", width=30),
    Column("学历", width=10),
    Column("月份", width=10),
    Column("金额（元）", width=14, kind="number"),
    Column("状态", width=10),
)


def allowance_payments_filename(month: date) -> str:
    return f"allowances-{month:%Y-%m}.xlsx"


def allowance_payments_xlsx(
    *, month: date, payments: Iterable[AllowancePayment]
) -> bytes:
    """A month's allowance payments for finance: masked ID numbers only."""
    rows = []
    for payment in payments:
        talent = payment.allowance.talent
        rows.append(
            [
                talent.name,
                talent.id_number_masked,
                talent.employer.name if talent.employer else "",
                talent.get_degree_display(),
                payment.month.strftime("%Y-%m"),
                payment.amount,
                payment.get_status_display(),
            ]
        )
    return write_xlsx(
        [Sheet(title=f"{month:%Y年%m月}生活补贴", columns=PAYMENT_COLUMNS, rows=rows)]
    )
