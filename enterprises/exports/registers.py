"""Excel files of the registers: the IP import template and list, the staff
roster template and the above-scale (规上) list. The import services read
the column definitions back from here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bureau.lib import xlsx
from enterprises.classifications import in_chinese
from enterprises.exports.registry import HELP_SHEET

# --- The IP register and the staff roster (enterprises/services/ip.py, staff.py)

IP_SHEET = "知识产权"


# (header, field, required, width): the import template, the import reads
# them back, the export writes them (after the enterprise's name and code).
IP_COLUMNS = (
    ("知识产权类型", "ip_type", True, 18),
    ("申请号/登记号", "number", True, 22),
    ("名称", "title", True, 36),
    ("申请日", "applied_on", False, 12),
    ("授权日", "granted_on", False, 12),
    ("保护期届满日", "expires_on", False, 14),
    ("状态", "status", True, 10),
    ("获得方式", "ownership", True, 10),
    ("已用于高企申请的年度", "hnte_used_year", False, 14),
)


IP_HEADER_OF_FIELD = {field: header for header, field, _r, _w in IP_COLUMNS}


IP_NOTES = (
    "类型、状态、获得方式请从下拉列表中选择；知识产权类别（Ⅰ类/Ⅱ类）由类型自动确定，商标不计入。",
    "同一企业、同一类型、同一申请号/登记号的条目已存在时会被更新，否则新增。",
    "已授权的条目须填写授权日；日期写成 YYYY-MM-DD，如 2024-03-15。",
    "“已用于高企申请的年度”：该Ⅱ类知识产权已在哪一年的高企认定申请中使用过；Ⅱ类知识产权只能在一次高企申请中使用。",
    "整个文件先检查：任何一格有误都不会导入，并按行、列列出每个错误。",
)


def _choices_in_chinese(choices: Iterable[tuple[str, Any]]) -> list[str]:
    return [in_chinese(label) for _value, label in choices]


def _template_with_lists(
    sheet_title: str,
    columns: Iterable[tuple[str, str, bool, int]],
    lists: Mapping[str, list[str]],
    notes: Iterable[str],
) -> bytes:
    columns = list(columns)
    book = xlsx.new_workbook()
    sheet = xlsx.add_sheet(
        book,
        sheet_title,
        [xlsx.Column(h, width=w, required=r) for h, _f, r, w in columns],
    )
    for index, (_h, field_name, _r, _w) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].number_format = xlsx.FORMATS["text"]
        if field_name in lists:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(lists[field_name]) + '"',
                allow_blank=True,
            )
            validation.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(validation)
    help_sheet = xlsx.add_sheet(book, HELP_SHEET, [xlsx.Column("填写说明", width=100)])
    for note in notes:
        xlsx.append_row(help_sheet, [note])
    return xlsx.save(book)


def ip_import_template() -> bytes:
    from enterprises.models import IPItem

    return _template_with_lists(
        IP_SHEET,
        IP_COLUMNS,
        {
            "ip_type": _choices_in_chinese(IPItem.Type.choices),
            "status": _choices_in_chinese(IPItem.Status.choices),
            "ownership": _choices_in_chinese(IPItem.Ownership.choices),
        },
        IP_NOTES,
    )


IP_EXPORT_COLUMNS = (
    xlsx.Column("统一社会信用代码", width=22),
    xlsx.Column("企业名称", width=30),
    xlsx.Column("知识产权类型", width=18),
    xlsx.Column("类别", width=8),
    xlsx.Column("申请号/登记号", width=22),
    xlsx.Column("名称", width=36),
    xlsx.Column("申请日", kind="date", width=12),
    xlsx.Column("授权日", kind="date", width=12),
    xlsx.Column("保护期届满日", kind="date", width=14),
    xlsx.Column("状态", width=10),
    xlsx.Column("获得方式", width=10),
    xlsx.Column("已用于高企申请的年度", kind="int", width=14),
)


def ip_items_export(queryset: QuerySet[Any]) -> bytes:
    """An .xlsx of IP items (as from ip_item_list: scoped, enterprise joined)."""
    from enterprises.models import IPItem

    labels = {
        "ip_type": dict(IPItem.Type.choices),
        "ip_class": dict(IPItem.Class.choices),
        "status": dict(IPItem.Status.choices),
        "ownership": dict(IPItem.Ownership.choices),
    }

    def label(name: str, value: str) -> str:
        return in_chinese(labels[name][value]) if value in labels[name] else value

    rows = (
        [
            item.enterprise.credit_code,
            item.enterprise.name,
            label("ip_type", item.ip_type),
            label("ip_class", item.ip_class),
            item.number,
            item.title,
            item.applied_on,
            item.granted_on,
            item.expires_on,
            label("status", item.status),
            label("ownership", item.ownership),
            item.hnte_used_year,
        ]
        for item in queryset.iterator(chunk_size=2000)
    )
    return xlsx.write_xlsx([xlsx.Sheet(IP_SHEET, IP_EXPORT_COLUMNS, rows)])


STAFF_SHEET = "人员名册"


STAFF_COLUMNS = (
    ("姓名", "name", True, 12),
    ("身份证号码", "id_number", False, 22),
    ("用工类型", "kind", True, 10),
    ("学历", "education", False, 10),
    ("是否科技人员", "is_tech", True, 12),
    ("是否研发人员", "is_rd", True, 12),
    ("入职日期", "start_on", False, 12),
    ("离职日期", "end_on", False, 12),
    ("全年工作天数", "days_worked", False, 12),
    ("全年工作月数", "months_worked", False, 12),
)


STAFF_HEADER_OF_FIELD = {field: header for header, field, _r, _w in STAFF_COLUMNS}


STAFF_NOTES = (
    "每人一行，填写该年度在企业工作过的全部人员（在职、兼职、临时聘用）。",
    "入职日期早于该年度、或年末仍在职的，可不填入职/离职日期。",
    "全年工作天数、月数可不填，由入职、离职日期计算；兼职、临时聘用人员如分段工作，请填写全年累计数。",
    "高企：科技人员须全年累计工作183天以上；兼职、临时聘用人员须183天以上方计入职工总数。",
    "科小：兼职、临时聘用人员须全年累计工作6个月以上方计入。",
    "职工总数、科技人员数按月平均数计算：月平均数 =（月初数 + 月末数）÷ 2，全年 = 各月平均数之和 ÷ 12。",
    "再次导入同一年度的名册会整体替换原名册。整个文件先检查：任何一格有误都不会导入。",
)


def staff_roster_template() -> bytes:
    from enterprises.models import RosterPerson

    return _template_with_lists(
        STAFF_SHEET,
        STAFF_COLUMNS,
        {
            "kind": _choices_in_chinese(RosterPerson.Kind.choices),
            "education": _choices_in_chinese(RosterPerson.Education.choices),
            "is_tech": ["是", "否"],
            "is_rd": ["是", "否"],
        },
        STAFF_NOTES,
    )


def above_scale_export(queryset: QuerySet[Any]) -> bytes:
    """The 规上 proposals (as from above_scale_proposals, annotated)."""
    from bureau.lib.money import wan_amount

    columns = (
        xlsx.Column("统一社会信用代码", width=22),
        xlsx.Column("企业名称", width=30),
        xlsx.Column("街道/园区", width=14),
        xlsx.Column("行业门类", width=10),
        xlsx.Column("年度", kind="int", width=8),
        xlsx.Column("主营业务收入（万元）", kind="money", width=18),
    )
    rows = (
        [
            e.credit_code,
            e.name,
            e.org_unit.name,
            e.industry_section or None,
            e.proposal_year,
            wan_amount(e.proposal_revenue),
        ]
        for e in queryset
    )
    return xlsx.write_xlsx([xlsx.Sheet("规上企业建议", columns, rows)])
