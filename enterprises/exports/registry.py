"""Excel files of the enterprise register: the roster template and the
enterprise list. Data in, bytes out, all through bureau/lib/xlsx.py, so text
a user typed is never written as a formula.

The workbooks are for Chinese users only, so headers and notes are written in
Chinese here rather than going through gettext. The roster columns are defined
here, with the template; the import (enterprises/services/roster.py) reads
them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db.models import QuerySet
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bureau.lib import pii, xlsx
from enterprises.classifications import HighTechField, in_chinese
from enterprises.models import Enterprise
from enterprises.selectors import CurrentTier, with_current_tier

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


ROSTER_SHEET = "企业名单"


# Enterprise.Kind in the workbook's words (the workbooks are Chinese only).
ORGANISATION_KINDS = {
    "enterprise": "企业",
    "university": "高等院校",
    "institute": "科研院所",
    "hospital": "医疗卫生机构",
    "cooperative": "农民专业合作社",
    "new_rd": "新型研发机构",
    "other": "其他",
}


HELP_SHEET = "填写说明"


@dataclass(frozen=True)
class RosterColumn:
    header: str
    field: str
    required: bool
    width: int
    help: str
    # Formatted as text in the template, so Excel keeps leading zeros.
    text: bool = False


ROSTER_COLUMNS = (
    RosterColumn(
        "统一社会信用代码",
        "credit_code",
        True,
        22,
        "18位，按国家标准校验。系统中已有此代码的企业会被更新，其余新增。",
        text=True,
    ),
    RosterColumn("企业名称", "name", True, 36, "营业执照上的企业全称。"),
    RosterColumn(
        "街道/园区代码",
        "org_unit",
        True,
        14,
        "企业所属街道或园区在本系统中的代码，如 330105001；区县、市的代码无效。",
        text=True,
    ),
    RosterColumn(
        "行业门类",
        "industry_section",
        False,
        10,
        "GB/T 4754-2017 门类，A–T 中的一个字母，如 C。填了行业大类时可留空。",
        text=True,
    ),
    RosterColumn(
        "行业大类",
        "industry_division",
        False,
        10,
        "GB/T 4754-2017 大类，两位数字，如 39、06，须属于所填门类。",
        text=True,
    ),
    RosterColumn(
        "高新技术领域",
        "high_tech_field",
        False,
        18,
        "从下拉列表选，以下之一："
        + "、".join(in_chinese(label) for label in HighTechField.labels)
        + "。",
    ),
    RosterColumn(
        "成立日期",
        "founded_on",
        False,
        12,
        "日期格式的单元格，或文本 YYYY-MM-DD，如 2015-06-30；不能晚于今天。",
    ),
    RosterColumn(
        "是否规上",
        "is_above_scale",
        False,
        10,
        "从下拉列表选 是 或 否。新增企业留空视为否；已有企业留空则不改变。",
    ),
    RosterColumn("法定代表人", "legal_representative", False, 12, "法定代表人姓名。"),
    RosterColumn("地址", "address", False, 40, "企业经营地址。"),
    RosterColumn("联系人", "contact_name", False, 12, "与科技局对接的联系人。"),
    RosterColumn(
        "联系电话",
        "contact_phone",
        False,
        16,
        "手机或座机，如 0571-88888888。",
        text=True,
    ),
    RosterColumn("联系邮箱", "contact_email", False, 26, "如 li@example.com。"),
    RosterColumn(
        "单位类型",
        "kind",
        False,
        14,
        "从下拉列表选，以下之一："
        + "、".join(ORGANISATION_KINDS.values())
        + "。新增单位留空视为企业；已有单位留空则不改变。",
    ),
)


HEADER_OF_FIELD = {column.field: column.header for column in ROSTER_COLUMNS}


ROSTER_NOTES = (
    "第1行是表头，请勿修改或删除；从第2行起每行填一家企业。",
    "按统一社会信用代码匹配：系统中已有的企业会被更新，没有的会新增。",
    "选填列留空时不会清除系统中已有的内容；要清空某项，请在企业详情页修改。",
    "导入前会检查每一行，只要有一处错误，整个文件都不会导入，"
    "并列出每个错误所在的行和列。",
    "完全空白的行会被跳过。",
)


def roster_template() -> bytes:
    """An empty roster to fill in, with a sheet explaining each column."""
    book = xlsx.new_workbook()
    sheet = xlsx.add_sheet(
        book,
        ROSTER_SHEET,
        [
            xlsx.Column(c.header, width=c.width, required=c.required)
            for c in ROSTER_COLUMNS
        ],
    )
    for index, column in enumerate(ROSTER_COLUMNS, start=1):
        if column.text:
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].number_format = xlsx.FORMATS["text"]
    for field_name, choices in (
        ("is_above_scale", ["是", "否"]),
        ("kind", list(ORGANISATION_KINDS.values())),
        ("high_tech_field", [in_chinese(label) for label in HighTechField.labels]),
    ):
        letter = get_column_letter(_field_position(field_name))
        validation = DataValidation(
            type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}1048576")
        sheet.add_data_validation(validation)

    notes = xlsx.add_sheet(
        book,
        HELP_SHEET,
        [
            xlsx.Column("列名", width=18),
            xlsx.Column("是否必填", width=10),
            xlsx.Column("填写说明", width=90),
        ],
    )
    for column in ROSTER_COLUMNS:
        xlsx.append_row(
            notes, [column.header, "必填" if column.required else "选填", column.help]
        )
    # An empty row between the columns and the general notes.
    row = notes.max_row + 1
    for note in ROSTER_NOTES:
        row += 1
        cell = notes.cell(row=row, column=3)
        assert isinstance(cell, Cell), "the notes sheet has no merged cells"
        xlsx.set_value(cell, note)
    return xlsx.save(book)


def _field_position(field_name: str) -> int:
    return next(
        i for i, c in enumerate(ROSTER_COLUMNS, start=1) if c.field == field_name
    )


# --- Enterprise list ----------------------------------------------------------

ENTERPRISE_COLUMNS = (
    xlsx.Column("统一社会信用代码", 22),
    xlsx.Column("企业名称", 36),
    xlsx.Column("街道/园区", 14),
    xlsx.Column("当前梯队", 18),
    xlsx.Column("证书到期日", 12, kind="date"),
    xlsx.Column("行业门类", 10),
    xlsx.Column("行业大类", 10),
    xlsx.Column("高新技术领域", 18),
    xlsx.Column("成立日期", 12, kind="date"),
    xlsx.Column("是否规上", 10),
    xlsx.Column("法定代表人", 12),
    xlsx.Column("联系人", 12),
    xlsx.Column("联系电话", 16),
    xlsx.Column("联系邮箱", 26),
    xlsx.Column("单位类型", 14),
)


def enterprises_export(queryset: QuerySet[Enterprise]) -> bytes:
    """An .xlsx of `queryset` (as from enterprise_list, which scopes it to the
    user and annotates the current tier), read in chunks: one query whatever
    the number of rows."""
    tiered: QuerySet[WithAnnotations[Enterprise, CurrentTier]]
    if "current_tier_name" in queryset.query.annotations:
        tiered = cast("QuerySet[WithAnnotations[Enterprise, CurrentTier]]", queryset)
    else:
        tiered = with_current_tier(queryset)
    if not tiered.query.select_related:
        tiered = tiered.select_related("org_unit")
    high_tech = dict(HighTechField.choices)
    rows = (
        [
            enterprise.credit_code,
            enterprise.name,
            enterprise.org_unit.name,
            enterprise.current_tier_name or None,
            enterprise.current_tier_expires_on,
            enterprise.industry_section or None,
            enterprise.industry_division or None,
            in_chinese(high_tech[enterprise.high_tech_field])
            if enterprise.high_tech_field in high_tech
            else None,
            enterprise.founded_on,
            "是" if enterprise.is_above_scale else "否",
            enterprise.legal_representative or None,
            enterprise.contact_name or None,
            pii.mask_phone(enterprise.contact_phone or "") or None,
            enterprise.contact_email or None,
            ORGANISATION_KINDS.get(enterprise.kind, enterprise.kind),
        ]
        for enterprise in tiered.iterator(chunk_size=2000)
    )
    return xlsx.write_xlsx([xlsx.Sheet(ROSTER_SHEET, ENTERPRISE_COLUMNS, rows)])
