"""Demo pre-check facts (the figures the eligibility pre-check reads)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from bureau.models import OrgUnit, User
from enterprises.demo.vocabulary import _money
from enterprises.models import (
    AnnualReturn,
    Enterprise,
    FilingStatus,
    Tier,
)
from enterprises.services import (
    certification_create,
    enterprise_create,
)
from enterprises.validators import credit_code_for_serial


def _seed_precheck_facts(
    *,
    by: User,
    featured: list[Enterprise],
    units: list[OrgUnit],
    tiers: dict[str, Tier],
    today: date,
) -> int:
    """Checks staff recorded for the pre-check, and a young 科小 in a future
    industry that the 新雏鹰 pre-check nearly clears. Returns how many
    enterprises were created (0 or 1)."""
    from enterprises.models import EnterpriseFact
    from enterprises.services import enterprise_fact_record

    def record(e: Enterprise, subject: str, source: str, days_ago: int, note=""):  # type: ignore[no-untyped-def]
        enterprise_fact_record(
            enterprise=e,
            subject=subject,
            met=True,
            checked_on=today - timedelta(days=days_ago),
            source=source,
            note=note,
            by=by,
        )

    for e in featured:
        if EnterpriseFact.objects.filter(enterprise=e).exists():
            continue
        record(e, "credit", "信用中国查询", 12, "未列入严重失信主体名单和经营异常名录")
        record(e, "incidents", "区应急管理局、区市场监管局复函", 20)
        record(e, "core_tech", "区科技局组织专家论证", 35, "电子信息—集成电路设计技术")
    code = credit_code_for_serial(899_993)
    if Enterprise.objects.filter(credit_code=code).exists():
        return 0
    founded = date(today.year - 3, 6, 18)
    young = enterprise_create(
        by=None,
        credit_code=code,
        name="杭州智元类脑科技有限公司",
        org_unit=units[0],
        industry_section="I",
        industry_division="65",
        high_tech_field="electronics",
        founded_on=founded,
        legal_representative="沈知远",
        contact_name="沈知远",
        contact_phone="0571-86051234",
        address="杭州市拱墅区祥园路88号智慧网谷",
    )
    for k, year in enumerate(range(founded.year, today.year)):
        sales = 6_000_000 * (1.8**k)
        AnnualReturn.objects.create(
            enterprise=young,
            year=year,
            status=FilingStatus.ACCEPTED,
            main_business_revenue=_money(sales),
            total_income=_money(sales * 1.02),
            hightech_income=_money(sales * 0.9),
            rd_personnel=_money(sales * 0.16),
            rd_direct=_money(sales * 0.04),
            rd_super_deduction=_money(sales * 0.19),
            total_cost_expense=_money(sales * 0.95),
            staff_total=_money(30 + 8 * k),
            tech_staff=_money(12 + 4 * k),
            total_assets=_money(sales * 2.5),
            net_assets=_money(sales * 1.6),
            ip_invention=k,
            ip_software=2 + k,
            submitted_at=timezone.now(),
        )
    for year in range(founded.year + 1, today.year + 1):
        on = date(year, 5, 20)
        if on > today:
            continue
        certification_create(
            by=None,
            enterprise=young,
            tier=tiers["tech_sme"],
            year=year,
            issued_on=on,
            number=f"{year}330105{10000 + year}",
        )
    record(young, "future_industry", "区科技局组织专家论证", 30, "类脑智能")
    record(young, "core_ip", "知识产权检索报告", 30, "发明专利申请4件、授权1件")
    record(young, "credit", "信用中国查询", 10)
    record(young, "equity_financing", "实缴出资证明及验资报告", 40, "累计实缴2600万元")
    return 1
