"""Demo enterprises for `seed_demo`: a few hundred believable companies of
the home district across the ladder, with three years of returns, recent
quarterly reports, awards, visits, R&D institutions, loans and carriers.

Deterministic (a fixed random seed) and idempotent: enterprises are keyed by
credit code, and an enterprise that already has returns is left alone.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bureau.models import OrgUnit, User
from enterprises.demo_cooperation import seed_cooperation
from enterprises.models import (
    AnnualReturn,
    Carrier,
    CarrierType,
    Certification,
    Enterprise,
    FilingStatus,
    FollowUp,
    InstitutionType,
    Loan,
    QuarterlyReport,
    RDInstitution,
    Tier,
    Visit,
)
from enterprises.monitoring import latest_due_quarter
from enterprises.services import (
    certification_create,
    enterprise_create,
    quarterly_monitoring_run,
)
from enterprises.validators import credit_code_for_serial

COUNT = 320
BRANDS = [
    "云河",
    "拱宸",
    "运河",
    "湖墅",
    "星辰",
    "智谷",
    "数联",
    "睿思",
    "恒拓",
    "华辰",
    "青芒",
    "博远",
    "启明",
    "中科",
    "汇智",
    "万象",
    "天擎",
    "微光",
    "创维",
    "鼎新",
    "远图",
    "极客",
    "安和",
    "卓越",
    "宸宇",
    "北辰",
    "光合",
    "晨曦",
    "浙联",
    "钱江",
    "西溪",
    "康桥",
    "半山",
    "祥符",
    "上塘",
    "石桥",
]
TRADES = {
    "electronics": ["智能科技", "信息技术", "软件", "电子科技", "网络科技", "数据科技"],
    "biomedicine": ["生物医药", "生物科技", "医疗器械", "药业"],
    "materials": ["新材料", "高分子材料", "纳米科技"],
    "services": ["检测技术", "科技服务", "设计咨询"],
    "energy": ["新能源", "储能科技", "节能技术"],
    "environment": ["环保科技", "环境工程"],
    "manufacturing": ["智能装备", "机器人", "精密机械", "自动化"],
    "aerospace": ["航空科技"],
}
SECTIONS = {
    "electronics": ("I", "65"),
    "biomedicine": ("C", "27"),
    "materials": ("C", "26"),
    "services": ("M", "74"),
    "energy": ("C", "38"),
    "environment": ("N", "77"),
    "manufacturing": ("C", "34"),
    "aerospace": ("C", "37"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "华",
]
BANKS = [
    "杭州银行",
    "浙商银行",
    "工商银行杭州分行",
    "建设银行浙江省分行",
    "杭州联合银行",
]
ISSUES = [
    "希望协助申报高新技术企业",
    "研发费用归集不规范，需要辅导",
    "扩大生产需要用地和厂房",
    "融资需求约500万元",
    "招聘研发人员困难",
    "希望对接高校开展产学研合作",
    "咨询研发费用加计扣除政策",
]
WAN = Decimal(10_000)


def _money(value: float) -> Decimal:
    return (Decimal(str(round(value, 2)))).quantize(Decimal("0.01"))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
    )


def _profile(rng: random.Random, stage: int) -> dict[str, float]:
    """Base-year figures by ladder stage (0 none … 4 高企)."""
    sales = {0: 600, 1: 1500, 2: 2500, 3: 3500, 4: 9000}[stage] * rng.uniform(0.5, 1.8)
    rd_ratio = {0: 0.02, 1: 0.04, 2: 0.05, 3: 0.05, 4: 0.055}[stage] * rng.uniform(
        0.7, 1.35
    )
    staff = {0: 15, 1: 35, 2: 45, 3: 60, 4: 150}[stage] * rng.uniform(0.6, 1.6)
    return {
        "sales": sales * 10_000,
        "rd_ratio": rd_ratio,
        "staff": staff,
        "tech_ratio": rng.uniform(0.08, 0.35),
        "growth": rng.uniform(-0.08, 0.35),
    }


def _annual_return(
    e: Enterprise, year: int, p: dict[str, float], k: int, rng
) -> AnnualReturn:  # type: ignore[no-untyped-def]
    sales = p["sales"] * (1 + p["growth"]) ** k
    rd = sales * p["rd_ratio"]
    staff = max(5.0, p["staff"] * (1 + p["growth"] / 2) ** k)
    entrusted = rd * rng.choice((0, 0, 0.1, 0.2))
    internal = rd - entrusted
    return AnnualReturn(
        enterprise=e,
        year=year,
        status=FilingStatus.ACCEPTED,
        main_business_revenue=_money(sales * 0.95),
        other_business_revenue=_money(sales * 0.05),
        total_income=_money(sales * 1.03),
        non_taxable_income=_money(sales * 0.01),
        hightech_income=_money(sales * rng.uniform(0.5, 0.9)),
        rd_personnel=_money(internal * 0.6),
        rd_direct=_money(internal * 0.2),
        rd_depreciation=_money(internal * 0.08),
        rd_amortisation=_money(internal * 0.04),
        rd_design=_money(internal * 0.03),
        rd_trials=_money(internal * 0.03),
        rd_other=_money(internal * 0.02),
        rd_entrusted_domestic=_money(entrusted),
        staff_total=_money(staff),
        tech_staff=_money(staff * p["tech_ratio"]),
        total_assets=_money(sales * rng.uniform(0.8, 1.6)),
        net_assets=_money(sales * rng.uniform(0.3, 0.7) * (1 + p["growth"]) ** k),
        profit=_money(sales * rng.uniform(-0.02, 0.12)),
        ip_invention=rng.choice((0, 0, 1, 2, 3)),
        ip_utility=rng.randint(0, 6),
        ip_software=rng.randint(0, 8),
        tech_transfers=rng.randint(0, 4),
        total_cost_expense=_money(sales * 0.9),
        submitted_at=timezone.now(),
    )


@transaction.atomic
def seed_enterprises(
    *, staff: list[User], featured: list[Enterprise], today: date | None = None
) -> int:
    """Create the demo enterprises and their history; `featured` ones (those
    with demo logins) get a 科小 history too. Returns how many were created."""
    today = today or timezone.localdate()
    rng = random.Random(2026)
    units = list(
        OrgUnit.objects.filter(level__in=["street", "park"], parent__is_home=True)
    )
    tiers = {t.code: t for t in Tier.objects.all()}
    last_year = today.year - 1
    fields = list(TRADES)
    returns: list[AnnualReturn] = []
    quarterlies: list[QuarterlyReport] = []
    ended = []
    q_year, q = today.year, (today.month - 1) // 3
    for _ in range(5):
        if q == 0:
            q_year, q = q_year - 1, 4
        if QuarterlyReport.quarter_end(q_year, q) < today:
            ended.append((q_year, q))
        q -= 1
    created = 0
    for i in range(COUNT + len(featured)):
        code = credit_code_for_serial(900_000 + i * 7919)
        stage = rng.choices((0, 1, 2, 3, 4), weights=(30, 20, 12, 22, 16))[0]
        field = rng.choice(fields)
        name = f"杭州{rng.choice(BRANDS)}{rng.choice(TRADES[field])}有限公司"
        p = _profile(rng, stage)
        enterprise: Enterprise | None
        if i >= COUNT:  # the featured enterprises: 科小 close to 高企
            enterprise, stage = featured[i - COUNT], 3
            p = _profile(rng, 3)
            p.update(rd_ratio=0.048, tech_ratio=0.22, growth=0.18)
            if enterprise.annual_returns.exists():
                continue
            _fill_featured(enterprise, field)
        else:
            enterprise = Enterprise.objects.filter(credit_code=code).first()
            if enterprise is not None and enterprise.annual_returns.exists():
                continue
        if enterprise is None:
            # Names must read like real ones: on a clash try the other brands.
            tries = 0
            while Enterprise.objects.filter(name=name).exists() and tries < len(BRANDS):
                brand = (
                    BRANDS[(BRANDS.index(name[2:4]) + 1) % len(BRANDS)]
                    if name[2:4] in BRANDS
                    else BRANDS[tries]
                )
                name = f"杭州{brand}{name[4:]}"
                tries += 1
            if tries == len(BRANDS):
                name = name.replace("有限公司", "股份有限公司")
            section, division = SECTIONS[field]
            enterprise = enterprise_create(
                by=None,
                credit_code=code,
                name=name,
                org_unit=rng.choice(units),
                industry_section=section,
                industry_division=division,
                high_tech_field=field if stage >= 2 or rng.random() < 0.5 else "",
                founded_on=date(
                    rng.randint(2008, last_year - 1),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                ),
                is_above_scale=p["sales"] >= 20_000_000
                and field in ("manufacturing", "materials", "biomedicine", "energy"),
                legal_representative=_person(rng),
                contact_name=_person(rng),
                contact_phone=f"0571-8{rng.randint(1000000, 9999999)}",
                address=f"杭州市拱墅区{rng.choice(BRANDS)}路{rng.randint(1, 999)}号",
            )
            created += 1
        # Three years of returns, growing by the enterprise's rate.
        for k, year in enumerate(range(last_year - 2, last_year + 1)):
            returns.append(_annual_return(enterprise, year, p, k, rng))
        # Recent quarters: most file on time, some late, some not at all.
        for year, quarter in ended:
            roll = rng.random()
            if roll < 0.12:
                continue
            sales = (
                p["sales"]
                * (1 + p["growth"]) ** 3
                * quarter
                / 4
                * rng.uniform(0.85, 1.15)
            )
            submitted = timezone.make_aware(
                datetime.combine(
                    QuarterlyReport.quarter_end(year, quarter)
                    + timedelta(
                        days=rng.randint(3, 18) if roll > 0.25 else rng.randint(25, 40)
                    ),
                    datetime.min.time(),
                )
            )
            quarterlies.append(
                QuarterlyReport(
                    enterprise=enterprise,
                    year=year,
                    quarter=quarter,
                    status=FilingStatus.ACCEPTED
                    if roll > 0.2
                    else FilingStatus.SUBMITTED,
                    revenue_ytd=_money(sales),
                    profit_ytd=_money(sales * rng.uniform(-0.02, 0.1)),
                    tax_ytd=_money(sales * 0.04),
                    rd_ytd=_money(sales * p["rd_ratio"]),
                    exports_ytd=_money(sales * rng.choice((0, 0, 0.1, 0.3))),
                    staff=_money(p["staff"]),
                    submitted_at=submitted,
                )
            )
        _seed_ladder(enterprise, stage, tiers, rng, today)
        _seed_support(enterprise, stage, staff, rng, today)
    AnnualReturn.objects.bulk_create(returns, batch_size=500)
    QuarterlyReport.objects.bulk_create(quarterlies, batch_size=500)
    _seed_carriers(units, rng)
    seed_cooperation(units=units, staff=staff, today=today)
    _seed_monitoring(staff[0] if staff else None, today)
    return created


def _seed_monitoring(by: User | None, today: date) -> None:
    """Run the latest quarter past its filing deadline, so 季度监测 has its
    reports after the seed (running it again replaces them)."""
    year, quarter = latest_due_quarter(today)
    quarterly_monitoring_run(year=year, quarter=quarter, today=today, by=by)


def _fill_featured(e: Enterprise, field: str) -> None:
    """Give a demo-login enterprise a complete profile (through the service)."""
    from enterprises.services import enterprise_update

    if e.founded_on:
        return
    section, division = SECTIONS["electronics"]
    enterprise_update(
        enterprise=e,
        by=User(role="staff"),
        industry_section=section,
        industry_division=division,
        high_tech_field="electronics",
        founded_on=date(2017, 3, 15),
        legal_representative="陈建国",
        contact_name="陈专员",
        contact_phone="0571-88012345",
        address="杭州市拱墅区莫干山路1418号",
    )


def _seed_ladder(
    e: Enterprise, stage: int, tiers: dict[str, Tier], rng, today: date
) -> None:  # type: ignore[no-untyped-def]
    if Certification.objects.filter(enterprise=e).exists():
        return
    year = today.year - rng.randint(2, 5)
    if stage >= 1:
        certification_create(
            by=None,
            enterprise=e,
            tier=tiers["xuri"],
            year=year,
            issued_on=date(year, 4, rng.randint(1, 28)),
            echelon=rng.choice((1, 2, 2, 3, 3)),
            source_document=f"拱科〔{year}〕{rng.randint(5, 40)}号",
        )
    if stage >= 2:
        y = min(year + 1, today.year - 1)
        certification_create(
            by=None,
            enterprise=e,
            tier=tiers["chuying"],
            year=y,
            issued_on=date(y, 9, rng.randint(1, 28)),
            source_document=f"杭科高〔{y}〕{rng.randint(50, 120)}号",
        )
    if stage >= 3:
        for y in range(max(year + 1, today.year - 2), today.year + 1):
            issued = date(y, rng.randint(5, 10), rng.randint(1, 28))
            if issued > today:
                continue
            certification_create(
                by=None,
                enterprise=e,
                tier=tiers["tech_sme"],
                year=y,
                issued_on=issued,
                number=f"{y}330105{rng.randint(10000, 99999)}",
            )
    if stage >= 4:
        y = today.year - rng.randint(0, 2)
        issued = date(y, 12, rng.randint(1, 20))
        if issued > today:
            y -= 1
            issued = date(y, 12, rng.randint(1, 20))
        certification_create(
            by=None,
            enterprise=e,
            tier=tiers["hnte"],
            year=y,
            issued_on=issued,
            number=f"GR{y}33{rng.randint(100000, 999999)}",
        )


def _seed_support(
    e: Enterprise, stage: int, staff: list[User], rng, today: date
) -> None:  # type: ignore[no-untyped-def]
    if staff and rng.random() < 0.4 and not Visit.objects.filter(enterprise=e).exists():
        visitor = rng.choice(staff)
        visit = Visit.objects.create(
            enterprise=e,
            visited_on=today - timedelta(days=rng.randint(5, 200)),
            issues_raised=rng.choice(ISSUES),
            created_by=visitor,
        )
        visit.visitors.set([visitor])
        FollowUp.objects.create(
            visit=visit,
            action="协调相关部门并回复企业",
            owner=visitor,
            due_on=visit.visited_on + timedelta(days=rng.randint(10, 60)),
            status=rng.choice((FollowUp.Status.OPEN, FollowUp.Status.DONE)),
        )
    if stage >= 3 and rng.random() < 0.35:
        level = rng.choice(("municipal", "municipal", "provincial", "district"))
        RDInstitution.objects.get_or_create(
            enterprise=e,
            type=InstitutionType.objects.get(code="rd_centre"),
            defaults={
                "name": f"{e.name.removeprefix('杭州').removesuffix('有限公司')}研发中心",
                "level": level,
                "recognised_on": date(today.year - rng.randint(0, 4), 11, 15),
            },
        )
    if rng.random() < 0.15 and not Loan.objects.filter(enterprise=e).exists():
        Loan.objects.create(
            enterprise=e,
            bank=rng.choice(BANKS),
            amount=Decimal(rng.choice((100, 200, 300, 500, 800))) * WAN,
            granted_on=today - timedelta(days=rng.randint(10, 500)),
            kind=rng.choice(list(Loan.Kind.values)),
            term_months=rng.choice((12, 24, 36)),
        )


def _seed_carriers(units: list[OrgUnit], rng) -> None:  # type: ignore[no-untyped-def]
    specs = [
        ("运河智慧谷科技企业孵化器", "incubator", "provincial"),
        ("北部软件园众创空间", "makerspace", "national"),
        ("半山青年创业社区", "makerspace", "municipal"),
        ("康桥农业星创天地", "agri_space", "provincial"),
    ]
    for name, kind, level in specs:
        carrier, created = Carrier.objects.get_or_create(
            name=name,
            defaults={
                "type": CarrierType.objects.get(code=kind),
                "level": level,
                "org_unit": rng.choice(units),
                "operator": "杭州运河科创发展有限公司",
            },
        )
        if created:
            carrier.residents.set(
                Enterprise.objects.filter(org_unit=carrier.org_unit)[
                    : rng.randint(5, 15)
                ]
            )
