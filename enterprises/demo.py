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

from bureau.lib import pii
from bureau.models import OrgUnit, User
from enterprises.demo_cooperation import seed_cooperation
from enterprises.models import (
    AnnualReturn,
    Carrier,
    CarrierType,
    Certification,
    Enterprise,
    Event,
    FilingStatus,
    FollowUp,
    InstitutionType,
    Loan,
    QuarterlyReport,
    RDInstitution,
    ScienceBase,
    Tier,
    Visit,
)
from enterprises.monitoring import latest_due_quarter
from enterprises.services import (
    certification_create,
    enterprise_create,
    event_save,
    ladder_reminders_send,
    quarterly_monitoring_run,
    science_base_save,
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
        # Most filers give the 研发费用加计扣除 base from their tax return
        # (demo figure: in-house R&D without buildings' depreciation plus 80%
        # of entrusted R&D); every fifth leaves it blank, so the 科小 pre-check
        # shows the measure pending.
        rd_super_deduction=None
        if int(e.credit_code[-4:-1], 36) % 5 == 0
        else _money(internal * 0.94 + entrusted * 0.8),
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
    if staff:
        _seed_events(units, staff[0], today)
        created += _seed_precheck_facts(
            by=staff[0], featured=featured, units=units, tiers=tiers, today=today
        )
    seed_registers(featured=featured, today=today)
    # The reminders the daily task would send today (重新认定, 科小 入库).
    ladder_reminders_send(today=today)
    return created


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
        pattern = rng.random()
        y = today.year - rng.randint(0, 2)
        if pattern < 0.3:
            # A holder in its expiry year: on the 重新认定 list this year.
            y = today.year - 3
        issued = date(y, 12, rng.randint(1, 20))
        if issued > today:
            y -= 1
            issued = date(y, 12, rng.randint(1, 20))
        first = date(y - 3, 11, rng.randint(1, 28))
        # Registered a year before (RULES §2.2 condition 1).
        old_enough = e.founded_on is None or first >= e.founded_on + timedelta(366)
        if 0.3 <= pattern < 0.65 and old_enough:
            # Recognised three years earlier: the current award is a
            # re-recognition (重新认定), not a new high-tech enterprise.
            certification_create(
                by=None,
                enterprise=e,
                tier=tiers["hnte"],
                year=y - 3,
                issued_on=first,
                number=f"GR{y - 3}33{rng.randint(100000, 999999)}",
            )
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


# (type, title, month, day, organiser, place, participants, materials, trained,
#  attending enterprises, held by the street of `units[i]` or the bureau)
EVENTS = [
    (
        Event.Kind.POLICY,
        "高新技术企业认定政策直通车",
        3,
        12,
        "区科技局",
        "区行政服务中心三楼报告厅",
        126,
        300,
        0,
        18,
        None,
    ),
    (
        Event.Kind.MICRO_CLASS,
        "科创微课堂：研发费用加计扣除实务",
        4,
        9,
        "区科技局、区税务局",
        "线上直播",
        210,
        0,
        210,
        12,
        None,
    ),
    (
        Event.Kind.TRAINING,
        "科技型中小企业评价入库培训班",
        3,
        26,
        "区科技局",
        "智慧网谷小镇会议中心",
        95,
        95,
        95,
        20,
        None,
    ),
    (
        Event.Kind.ROADSHOW,
        "运河科创项目路演（第一期）",
        5,
        16,
        "区科技局",
        "北部软件园路演厅",
        80,
        0,
        0,
        8,
        None,
    ),
    (
        Event.Kind.BANK,
        "科技企业银企对接会",
        6,
        20,
        "区科技局、杭州银行科技支行",
        "运河财富小镇",
        64,
        120,
        0,
        15,
        None,
    ),
    (
        Event.Kind.ACADEMIA,
        "浙江工业大学产学研对接会",
        7,
        8,
        "区科技局、浙江工业大学",
        "浙江工业大学朝晖校区",
        72,
        60,
        0,
        10,
        None,
    ),
    (
        Event.Kind.CONTEST,
        "拱墅区创新创业大赛初赛",
        8,
        22,
        "区科技局",
        "智慧网谷小镇",
        150,
        0,
        0,
        24,
        None,
    ),
    (
        Event.Kind.SCIENCE_WEEK,
        "科技活动周启动仪式暨科普展",
        5,
        20,
        "区科技局、区科协",
        "运河广场",
        1800,
        6000,
        0,
        6,
        None,
    ),
    (
        Event.Kind.SCIENCE_DAY,
        "全国科普日社区科普集市",
        9,
        18,
        "米市巷街道",
        "米市巷街道文化家园",
        650,
        2200,
        0,
        3,
        0,
    ),
    (
        Event.Kind.COUNTRYSIDE,
        "科技三下乡：实用技术培训进社区",
        1,
        15,
        "区科协",
        "康桥街道",
        220,
        1500,
        180,
        0,
        1,
    ),
    (
        Event.Kind.POLICY,
        "街道企业服务日：科技政策宣讲",
        4,
        25,
        "米市巷街道",
        "米市巷街道便民服务中心",
        45,
        80,
        0,
        9,
        0,
    ),
    (
        Event.Kind.TRAINING,
        "知识产权贯标培训",
        10,
        11,
        "区科技局、区市场监管局",
        "区行政服务中心",
        88,
        88,
        88,
        14,
        None,
    ),
]
SCIENCE_BASES = [
    ("中国京杭大运河博物馆", "national", "杭州市运河集团", 0, 2018, 380000),
    ("杭州工艺美术博物馆", "provincial", "杭州市运河集团", 1, 2019, 120000),
    ("浙江省科技馆拱墅分馆", "municipal", "拱墅区科协", 2, 2021, 56000),
    ("半山森林公园自然科普基地", "municipal", "半山国家森林公园管理处", 3, 2022, 43000),
    (
        "北部软件园数字科普体验馆",
        "district",
        "杭州北部软件园发展有限公司",
        4,
        2024,
        9800,
    ),
]


def _seed_events(units: list[OrgUnit], by: User, today: date) -> None:
    """This year's and last year's events, with enterprises attending
    (several from the demo liaison's street), and the 科普 bases."""
    if Event.objects.exists():
        return
    rng = random.Random(515)
    units = sorted(units, key=lambda u: u.sort_order)
    for year in (today.year - 1, today.year):
        for (
            kind,
            title,
            month,
            day,
            organiser,
            place,
            people,
            materials,
            trained,
            n,
            unit,
        ) in EVENTS:
            starts_on = date(year, month, day)
            if starts_on > today:
                continue
            street = units[unit] if unit is not None else None
            pool = (
                Enterprise.objects.filter(org_unit=street)
                if street
                else Enterprise.objects.all()
            )
            attendees = list(pool.order_by("credit_code")[: n * 3])
            rng.shuffle(attendees)
            scale = 1 if year == today.year else rng.uniform(0.8, 0.95)
            event_save(
                by=by,
                event=Event(
                    kind=kind,
                    title=f"{year}年{title}",
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=6)
                    if kind == Event.Kind.SCIENCE_WEEK
                    else None,
                    organiser=organiser,
                    org_unit=street,
                    place=place,
                    participants=int(people * scale),
                    materials=int(materials * scale),
                    trained=int(trained * scale),
                ),
                enterprises=attendees[:n],
            )
    for name, level, host, unit, year, visitors in SCIENCE_BASES:
        science_base_save(
            by=by,
            base=ScienceBase(
                name=name,
                level=level,
                host=host,
                org_unit=units[unit % len(units)],
                recognised_on=date(year, 9, 1),
                yearly_visitors=visitors,
            ),
        )


# --- The IP, transfer and staff registers -------------------------------------

IP_TITLES = {
    "invention": [
        "一种基于深度学习的缺陷检测方法",
        "一种高导热复合材料及其制备方法",
        "一种低功耗无线传感节点",
        "一种精密减速器装配工艺",
    ],
    "utility": [
        "一种可快速拆装的散热模组",
        "一种多工位检测夹具",
        "一种防尘型控制柜",
        "一种自动上料装置",
        "一种便携式采样器",
        "一种减震安装支架",
    ],
    "design": ["智能网关外壳", "手持检测仪"],
    "software": [
        "设备远程运维管理平台V2.0",
        "生产数据采集系统V1.3",
        "智慧园区能耗监测软件V1.0",
        "质量追溯管理系统V3.1",
        "企业研发项目管理软件V1.2",
    ],
    "trademark": ["“{brand}”文字商标"],
}
TRANSFER_TITLES = [
    "智能检测装备产业化",
    "高导热材料中试及量产",
    "远程运维平台推广应用",
    "节能控制模块产品化",
    "精密加工工艺改进",
]
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _demo_id_number(rng: random.Random) -> str:
    born = date(rng.randint(1968, 2001), rng.randint(1, 12), rng.randint(1, 28))
    first = f"330105{born:%Y%m%d}{rng.randint(100, 999)}"
    check = "10X98765432"[
        sum(int(c) * w for c, w in zip(first, _ID_WEIGHTS, strict=True)) % 11
    ]
    return first + check


def seed_registers(*, featured: list[Enterprise], today: date) -> None:
    """IP items, transfers and (for the featured enterprises) a staff roster
    for the enterprises on the national rungs, from a seed of their own so
    the rest of the demo stays as it was. Enterprises with IP are skipped."""
    from enterprises import ip_rules
    from enterprises.models import IPItem, RosterPerson, StaffRoster, TechTransfer

    rng = random.Random(2027)
    hnte_years = dict(
        Certification.objects.filter(tier__code=Tier.HNTE)
        .order_by("issued_on")
        .values_list("enterprise_id", "year")
    )
    chosen = list(
        Enterprise.objects.filter(
            certifications__tier__code__in=[Tier.HNTE, Tier.TECH_SME]
        )
        .distinct()
        .order_by("credit_code")[:90]
    )
    chosen += [e for e in featured if e not in chosen]
    with_ip = set(
        IPItem.objects.filter(enterprise__in=chosen).values_list(
            "enterprise_id", flat=True
        )
    )
    items: list[IPItem] = []
    transfers: list[TechTransfer] = []
    for e in chosen:
        if e.pk in with_ip:
            continue
        used_year = hnte_years.get(e.pk)
        plan = [
            ("invention", rng.choice((0, 0, 1, 2))),
            ("utility", rng.randint(1, 5)),
            ("design", rng.choice((0, 0, 1))),
            ("software", rng.randint(1, 4)),
            ("trademark", 1),
        ]
        for ip_type, count in plan:
            for title in rng.sample(
                IP_TITLES[ip_type], min(count, len(IP_TITLES[ip_type]))
            ):
                applied = date(
                    today.year - rng.randint(2, 7),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
                granted = applied + timedelta(days=rng.randint(150, 900))
                if granted >= today:
                    granted = today - timedelta(days=rng.randint(30, 120))
                pending = ip_type == "invention" and rng.random() < 0.25
                number = (
                    f"ZL{applied.year}{rng.randint(10000000, 99999999)}.{rng.randint(0, 9)}"
                    if ip_type in ("invention", "utility", "design")
                    else f"{applied.year}SR{rng.randint(100000, 999999)}"
                    if ip_type == "software"
                    else f"{rng.randint(10000000, 69999999)}"
                )
                ip_class = ip_rules.ip_class_of(ip_type)
                items.append(
                    IPItem(
                        enterprise=e,
                        ip_type=ip_type,
                        ip_class=ip_class,
                        number=number,
                        title=title.format(brand=e.name[2:4]),
                        applied_on=applied,
                        granted_on=None if pending else granted,
                        status="pending" if pending else "granted",
                        ownership="own_rd" if rng.random() < 0.85 else "transfer",
                        # Class Ⅱ items the 高企 application already used.
                        hnte_used_year=used_year
                        if ip_class == "2"
                        and used_year
                        and not pending
                        and granted.year <= used_year
                        and rng.random() < 0.7
                        else None,
                    )
                )
        for title in rng.sample(TRANSFER_TITLES, rng.randint(0, 3)):
            first = today.year - rng.randint(1, 3)
            for year in range(first, min(first + rng.randint(1, 2), today.year)):
                transfers.append(
                    TechTransfer(
                        enterprise=e,
                        title=title,
                        year=year,
                        way=rng.choice(TechTransfer.Way.values),
                        contract_number=f"HT{year}-{rng.randint(100, 999)}",
                    )
                )
    IPItem.objects.bulk_create(items, batch_size=500)
    TechTransfer.objects.bulk_create(transfers, batch_size=500)
    # Each conversion rests on one of the enterprise's patents or copyrights.
    basis: dict[int, int] = {}
    for item in IPItem.objects.filter(
        enterprise__in=chosen, ip_class__in=["1", "2"]
    ).order_by("id"):
        basis.setdefault(item.enterprise_id, item.pk)
    links = TechTransfer.ip_items.through
    links.objects.bulk_create(
        [
            links(techtransfer_id=t.pk, ipitem_id=basis[t.enterprise_id])
            for t in TechTransfer.objects.filter(enterprise__in=chosen).exclude(
                ip_items__isnull=False
            )
            if t.enterprise_id in basis
        ],
        batch_size=500,
    )
    # A staff roster of last year for each featured enterprise.
    last_year = today.year - 1
    for e in featured:
        roster, created = StaffRoster.objects.get_or_create(
            enterprise=e, year=last_year
        )
        if not created:
            continue
        people = []
        for n in range(rng.randint(36, 48)):
            kind = "employed" if n < 30 else rng.choice(("part_time", "temporary"))
            start = None
            end = None
            if rng.random() < 0.15:
                start = date(last_year, rng.randint(2, 11), rng.randint(1, 28))
            elif rng.random() < 0.08:
                end = date(last_year, rng.randint(2, 11), rng.randint(1, 28))
            id_number = _demo_id_number(rng)
            people.append(
                RosterPerson(
                    roster=roster,
                    name=_person(rng),
                    id_number=id_number,
                    id_number_hash=pii.keyed_hash(id_number),
                    id_number_masked=pii.mask_id_number(id_number),
                    kind=kind,
                    education=rng.choice(
                        ("doctorate", "master", "bachelor", "bachelor", "college")
                    ),
                    is_tech=rng.random() < 0.3,
                    is_rd=rng.random() < 0.2,
                    start_on=start,
                    end_on=end,
                    days_worked=rng.randint(90, 240) if kind != "employed" else None,
                    months_worked=None,
                )
            )
        RosterPerson.objects.bulk_create(people)
