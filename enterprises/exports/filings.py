"""Excel files of the filings: annual returns and quarterly reports, and the
quarterly monitoring report (summary and detail sheets)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from bureau.lib import xlsx
from enterprises.models import MonitoringReport

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
    with the enterprise, its street and current tier), one query in chunks;
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
            getattr(filing.enterprise.held_tier, "name", None),
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
