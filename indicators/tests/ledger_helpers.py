"""Workbooks for the ledger import tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from indicators.ledger_imports import CONTRACT_COLUMNS, RD_COLUMNS


def _book(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def contract_book(*rows: Sequence[Any]) -> SimpleUploadedFile:
    return _book([c.header for c in CONTRACT_COLUMNS], rows)


def rd_book(*rows: Sequence[Any]) -> SimpleUploadedFile:
    return _book([c.header for c in RD_COLUMNS], rows)


def contract_row(number: str, **changes: Any) -> list[Any]:
    """A row of the office's workbook; `changes` by column key."""
    values = {
        "registration_number": number,
        "name": "陶瓷材料烧结工艺技术开发",
        "kind": "技术开发",
        "seller_name": "浙江大学",
        "seller_credit_code": "",
        "buyer_name": "",
        "buyer_credit_code": "",
        "buyer_location": "浙江省杭州市",
        "contract_amount": 120,
        "transaction_amount": 100,
        "registered_on": "2025-06-30",
    } | changes
    return [values[c.key] for c in CONTRACT_COLUMNS]
