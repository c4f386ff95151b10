"""Reading the ledgers' uploads: the technology contracts from the
registration office's workbook, the achievements (科技成果) and the R&D
statistics list of units. Every cell is checked before anything is stored;
problems are CellErrors with the Excel row and the column's Chinese header.
Reads only; the writes are in indicators.services.contracts,
indicators.services.achievements and indicators.services.rdstats."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bureau.lib.money import YUAN_PER_WAN
from bureau.lib.xlsx import CellError, Column, ReadColumn, is_blank, read_table


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    header: str  # the Chinese header, as the office's workbook writes it
    required: bool = False
    kind: str = "text"
    width: float = 16


CONTRACT_COLUMNS = (
    TemplateColumn("registration_number", "合同登记号", True, width=22),
    TemplateColumn("name", "合同名称", True, width=30),
    TemplateColumn("kind", "合同类别", True),
    TemplateColumn("seller_name", "卖方名称", True, width=28),
    TemplateColumn("seller_credit_code", "卖方统一社会信用代码", width=22),
    TemplateColumn("buyer_name", "买方名称", True, width=28),
    TemplateColumn("buyer_credit_code", "买方统一社会信用代码", width=22),
    TemplateColumn("buyer_location", "买方所在地", width=18),
    TemplateColumn("contract_amount", "合同成交额（万元）", True, "money"),
    TemplateColumn("transaction_amount", "技术交易额（万元）", True, "money"),
    TemplateColumn("registered_on", "登记日期", True, "date", 12),
)
# The achievement form's fields; the owner by credit code, else by name.
ACHIEVEMENT_COLUMNS = (
    TemplateColumn("title", "成果名称", True, width=30),
    TemplateColumn("owner_name", "成果所有单位名称", width=28),
    TemplateColumn("owner_credit_code", "成果所有单位统一社会信用代码", width=22),
    TemplateColumn("field", "技术领域", width=12),
    TemplateColumn("stage", "转化阶段", True, width=10),
    TemplateColumn("way", "转化方式", width=10),
    TemplateColumn("contracts", "关联技术合同登记号", width=24),
    TemplateColumn("new_output_value", "新增产值（万元）", kind="money"),
    TemplateColumn("jobs", "新增就业（人）", kind="int", width=12),
    TemplateColumn("patents", "专利（件）", kind="int", width=10),
    TemplateColumn("started_on", "开始转化日期", kind="date", width=12),
    TemplateColumn("pilot_on", "进入中试日期", kind="date", width=12),
    TemplateColumn("industrialised_on", "产业化日期", kind="date", width=12),
    TemplateColumn("note", "备注", width=30),
)
# 转化阶段 and 转化方式 as a workbook writes them (the page's Chinese labels,
# first; the export writes that one), with the short forms people use.
STAGE_NAMES = {
    "waiting": ("待转化",),
    "transferring": ("转化中", "转化", "正在转化"),
    "pilot": ("中试", "中试阶段"),
    "industrialised": ("已产业化", "产业化"),
}
WAY_NAMES = {
    "transfer": ("转让",),
    "license": ("许可",),
    "equity": ("作价入股", "作价投资"),
    "self": ("自行实施",),
    "joint": ("合作实施",),
}
RD_COLUMNS = (
    TemplateColumn("unit_name", "单位名称", True, width=30),
    TemplateColumn("credit_code", "统一社会信用代码", width=22),
    TemplateColumn("street", "所在街道（园区）", width=16),
    TemplateColumn("is_above_scale", "是否规上", width=10),
    TemplateColumn("last_year_amount", "上年研发经费（万元）", kind="money"),
)


def template_columns(columns: Sequence[TemplateColumn]) -> list[Column]:
    """The columns of a downloadable template (required headers in red)."""
    return [
        Column(c.header, width=c.width, kind=c.kind, required=c.required)
        for c in columns
    ]


def read_rows(
    file: IO[bytes] | Any, columns: Sequence[TemplateColumn]
) -> list[tuple[int, dict[str, Any]]]:
    """The non-blank rows with their Excel numbers; WorkbookRefused for an
    unreadable file or a missing required column."""
    table = read_table(
        file, [ReadColumn(c.key, c.header, required=c.required) for c in columns]
    )
    return table.rows


# --- Cells --------------------------------------------------------------------
# Each parser takes a non-blank cell as openpyxl gives it and returns the
# value, or raises ValidationError with a message for the user.


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date()
    return " ".join(str(value).split())


def credit_code(value: Any) -> str:
    if isinstance(value, float):
        raise ValidationError(
            _(
                "Excel stored the code as a number and may have lost digits; "
                "format the column as text and type it again."
            )
        )
    code = "".join(text(value).split()).upper()
    if not re.fullmatch(r"[0-9A-HJ-NP-RT-UW-Y]{18}", code):
        raise ValidationError(
            _("“%(code)s” is not an 18-character unified social credit code.")
            % {"code": code}
        )
    return code


def wan_to_yuan(value: Any) -> Decimal:
    """An amount in 万元 (the workbook's unit) as 元, to the fen."""
    raw = text(value).replace(",", "").replace("，", "")
    try:
        wan = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(
            _("“%(value)s” is not an amount in 10k yuan.") % {"value": raw}
        ) from None
    if not wan.is_finite() or wan < 0:
        raise ValidationError(_("Give an amount of zero or more."))
    yuan = (wan * YUAN_PER_WAN).quantize(Decimal("0.01"))
    if yuan >= Decimal(10) ** 14:
        raise ValidationError(_("This amount is too large."))
    return yuan


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def a_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    match = _DATE.match(raw)
    if match is None:
        raise ValidationError(
            _("“%(value)s” is not a date; write YYYY-MM-DD, e.g. 2025-06-30.")
            % {"value": raw}
        )
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(
            _("The date “%(value)s” does not exist.") % {"value": raw}
        ) from None


def whole_number(value: Any) -> int:
    """A count of zero or more (people, patents)."""
    raw = text(value).replace(",", "").replace("，", "")
    if isinstance(value, bool) or not raw.isdigit():
        raise ValidationError(_("Write a whole number, 0 or more."))
    return int(raw)


_YES_NO = {"是": True, "否": False, "1": True, "0": False, "yes": True, "no": False}


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    answer = _YES_NO.get(text(value).lower())
    if answer is None:
        raise ValidationError(
            _("“%(value)s” is neither 是 nor 否.") % {"value": text(value)}
        )
    return answer


def choice_of(labels: dict[str, str], shown: Sequence[str]) -> Callable[[Any], str]:
    """A parser accepting any spelling in `labels` (code, Chinese label, the
    office's short form); an error lists the `shown` spellings."""

    def parse(value: Any) -> str:
        raw = text(value)
        found = labels.get(raw) or labels.get(raw.lower())
        if found is None:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {
                    "value": raw,
                    "choices": "、".join(sorted(set(labels) - set(labels.values()))),
                }
            )
        return found

    return parse


def parse_rows(
    rows: list[tuple[int, dict[str, Any]]],
    columns: Sequence[TemplateColumn],
    parsers: Mapping[str, Callable[[Any], Any]],
    errors: list[CellError],
    max_lengths: dict[str, int],
) -> list[tuple[int, dict[str, Any]]]:
    """Each row's given cells parsed; blank required cells and bad cells go to
    `errors`. A row keeps only the cells that parsed."""
    parsed_rows = []
    for number, values in rows:
        fields: dict[str, Any] = {}
        for column in columns:
            value = values.get(column.key)
            if is_blank(value):
                if column.required:
                    errors.append(CellError(number, column.header, _("Required.")))
                continue
            try:
                parsed = parsers.get(column.key, text)(value)
            except ValidationError as exc:
                errors.extend(CellError(number, column.header, m) for m in exc.messages)
                continue
            limit = max_lengths.get(column.key)
            if limit and isinstance(parsed, str) and len(parsed) > limit:
                errors.append(
                    CellError(
                        number,
                        column.header,
                        _("At most %(limit)s characters.") % {"limit": limit},
                    )
                )
                continue
            fields[column.key] = parsed
        parsed_rows.append((number, fields))
    return parsed_rows


def header_of(columns: Sequence[TemplateColumn], key: str) -> str:
    return next((c.header for c in columns if c.key == key), "")
