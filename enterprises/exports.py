"""Excel files of the enterprises app: the roster template, the enterprise list
and the quarterly monitoring report. Data in, bytes out, all through
bureau/lib/xlsx.py, so text a user typed is never written as a formula.

The workbooks are for Chinese users only, so headers and notes are written in
Chinese here rather than going through gettext. The roster columns are defined
here, with the template; the import (enterprises/services/roster.py) reads
them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import QuerySet
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bureau.lib import pii, xlsx
from enterprises.classifications import HighTechField, in_chinese
from enterprises.models import Enterprise, MonitoringReport
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


# --- Filing lists -------------------------------------------------------------

# The review list's columns as the page names them, then every figure;
# money in 万元 as on the page.
FILING_COMMON_COLUMNS = (
    xlsx.Column("企业", 36),
    xlsx.Column("统一社会信用代码", 22),
    xlsx.Column("街道/园区", 14),
    xlsx.Column("当前梯队", 16),
)
ANNUAL_FIGURE_COLUMNS = (
    ("期间", "year_label", "text"),
    ("状态", None, "text"),
    ("报送时间", "submitted_at", "datetime"),
    ("销售收入（万元）", "sales_revenue", "money"),
    ("主营业务收入（万元）", "main_business_revenue", "money"),
    ("其他业务收入（万元）", "other_business_revenue", "money"),
    ("收入总额（万元）", "total_income", "money"),
    ("不征税收入（万元）", "non_taxable_income", "money"),
    ("高新技术产品（服务）收入（万元）", "hightech_income", "money"),
    ("研究开发费用（万元）", "rd_incurred", "money"),
    ("委托境外研发费用（万元）", "rd_entrusted_overseas", "money"),
    ("职工总数（人）", "staff_total", "number"),
    ("科技人员数（人）", "tech_staff", "number"),
    ("资产总额（万元）", "total_assets", "money"),
    ("净资产（万元）", "net_assets", "money"),
    ("利润总额（万元）", "profit", "money"),
    ("Ⅰ类知识产权（件）", "ip_class1", "int"),
    ("Ⅱ类知识产权（件）", "ip_class2", "int"),
)
QUARTERLY_FIGURE_COLUMNS = (
    ("期间", "period_display", "text"),
    ("状态", None, "text"),
    ("报送时间", "submitted_at", "datetime"),
    ("营业收入（累计，万元）", "revenue_ytd", "money"),
    ("利润（累计，万元）", "profit_ytd", "money"),
    ("纳税（累计，万元）", "tax_ytd", "money"),
    ("研发费用（累计，万元）", "rd_ytd", "money"),
    ("出口（累计，万元）", "exports_ytd", "money"),
    ("季末从业人员（人）", "staff", "number"),
)


def filings_export(
    queryset: QuerySet[Any], *, quarterly: bool, state_labels: Mapping[str, Any]
) -> bytes:
    """An .xlsx of the filtered filing list (as from filing_list: scoped,
    with the enterprise, its street and `tier_name`), one query in chunks;
    money in 万元 with the unit in the header."""
    from datetime import datetime

    from django.utils import timezone

    from bureau.lib.money import wan_amount

    figures = QUARTERLY_FIGURE_COLUMNS if quarterly else ANNUAL_FIGURE_COLUMNS
    columns = [
        *FILING_COMMON_COLUMNS,
        *(
            xlsx.Column(h, 18 if kind == "money" else 12, kind)
            for h, _n, kind in figures
        ),
    ]

    def cell(filing: Any, name: str | None, kind: str) -> Any:
        if name is None:
            return str(state_labels.get(filing.status, filing.status))
        if name == "year_label":
            return f"{filing.year}年度"
        value = getattr(filing, name)
        if value is None:
            return None
        if kind == "money":
            return wan_amount(value)
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None)
        return str(value) if kind == "text" else value

    rows = (
        [
            filing.enterprise.name,
            filing.enterprise.credit_code,
            filing.enterprise.org_unit.name,
            getattr(filing, "tier_name", None) or None,
            *(cell(filing, name, kind) for _h, name, kind in figures),
        ]
        for filing in queryset.iterator(chunk_size=2000)
    )
    title = "季度报表" if quarterly else "年度报表"
    return xlsx.write_xlsx([xlsx.Sheet(title, columns, rows)])


# --- Quarterly monitoring -----------------------------------------------------

MONITORING_SUMMARY_COLUMNS = (
    xlsx.Column("街道/园区", 16),
    xlsx.Column("监测企业", 10, kind="int"),
    xlsx.Column("按时报送", 10, kind="int"),
    xlsx.Column("逾期报送", 10, kind="int"),
    xlsx.Column("未报送", 10, kind="int"),
    xlsx.Column("营收下滑", 10, kind="int"),
    xlsx.Column("证书将到期", 10, kind="int"),
)
MONITORING_DETAIL_COLUMNS = (
    xlsx.Column("街道/园区", 16),
    xlsx.Column("企业名称", 36),
    xlsx.Column("情况", 24),
    xlsx.Column("营收同比", 10, kind="percent"),
    xlsx.Column("证书到期日", 12, kind="date"),
)


def monitoring_export(
    reports: Iterable[MonitoringReport], *, flag_labels: Mapping[str, Any]
) -> bytes:
    """The quarter's street reports: a summary sheet and one row per flagged
    enterprise."""
    reports = list(reports)
    summary = [
        [
            r.org_unit.name,
            r.enterprises_monitored,
            r.filed_on_time,
            r.filed_late,
            r.missing,
            r.decliners,
            r.expiring,
        ]
        for r in reports
    ]
    details = [
        [
            r.org_unit.name,
            item["name"],
            "、".join(str(flag_labels.get(f, f)) for f in item["flags"]),
            Decimal(item["revenue_yoy"])
            if item.get("revenue_yoy") is not None
            else None,
            date.fromisoformat(item["expires_on"]) if item.get("expires_on") else None,
        ]
        for r in reports
        for item in r.details
    ]
    return xlsx.write_xlsx(
        [
            xlsx.Sheet("汇总", MONITORING_SUMMARY_COLUMNS, summary),
            xlsx.Sheet("需关注企业", MONITORING_DETAIL_COLUMNS, details),
        ]
    )


def funnel_export(
    *,
    years: list[int],
    rows: list[dict[str, Any]],
    conversion: list[dict[str, Any]],
) -> bytes:
    """The ladder funnel page as a workbook: per tier and year the awards
    (renewals included), the first awards among them and the enterprises
    holding the tier at year end; then each year's cohort (first awards) and how
    many reached a higher tier within 1, 2 and 3 years ("—" for a window that
    has not closed)."""
    counts_columns = [xlsx.Column("梯队", 16)]
    for year in years:
        counts_columns += [
            xlsx.Column(f"{year}年认定（含重新认定，家）", 16, kind="int"),
            xlsx.Column(f"{year}年其中首次（家）", 14, kind="int"),
            xlsx.Column(f"{year}年末持有（家）", 14, kind="int"),
        ]
    counts = [
        [
            row["name"],
            *(n for c in row["cells"] for n in (c["awarded"], c["first"], c["held"])),
        ]
        for row in rows
    ]
    conversion_columns = (
        xlsx.Column("认定年度", 10, kind="int"),
        xlsx.Column("梯队", 16),
        xlsx.Column("当年首次认定（家）", 16, kind="int"),
        xlsx.Column("晋升至", 16),
        xlsx.Column("1年内", 14),
        xlsx.Column("2年内", 14),
        xlsx.Column("3年内", 14),
    )
    climbed = [
        [c["year"], c["tier_name"], c["cohort"], name, *cells]
        for c in conversion
        for name, cells in c["reached"]
    ]
    return xlsx.write_xlsx(
        [
            xlsx.Sheet("梯队企业数", counts_columns, counts),
            xlsx.Sheet("梯队晋升", conversion_columns, climbed),
        ]
    )


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


def renewals_export(rows: list[dict[str, Any]]) -> bytes:
    """The 重新认定 list as a workbook: one row per 高企 certificate ending in
    the year, with its application window and the pre-check."""
    columns = (
        xlsx.Column("企业名称", 30),
        xlsx.Column("统一社会信用代码", 22),
        xlsx.Column("街道（园区）", 14),
        xlsx.Column("证书编号", 18),
        xlsx.Column("发证日期", 12, kind="date"),
        xlsx.Column("到期日期", 12, kind="date"),
        xlsx.Column("申报期开始", 12, kind="date"),
        xlsx.Column("申报期结束", 12, kind="date"),
        xlsx.Column("重新认定预审", 40),
        xlsx.Column("已提醒", 8),
    )
    data = [
        [
            r["name"],
            r["credit_code"],
            r["street"],
            r["number"],
            r["issued_on"],
            r["expires_on"],
            r["opens"],
            r["closes"],
            r["verdict"],
            "是" if r["reminded"] else "否",
        ]
        for r in rows
    ]
    return xlsx.write_xlsx([xlsx.Sheet("重新认定", columns, data)])
