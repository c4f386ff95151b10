"""Demo enterprises for `seed_demo`: a few hundred believable companies of
the home district across the ladder, with three years of returns, recent
quarterly reports, awards, visits, R&D institutions, loans and carriers.

Deterministic (a fixed random seed) and idempotent: enterprises are keyed by
credit code, and an enterprise that already has returns is left alone.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bureau.models import OrgUnit, User
from enterprises.demo.cooperation import seed_cooperation
from enterprises.demo.events import _seed_events
from enterprises.demo.facts import _seed_precheck_facts
from enterprises.demo.ladder import _fill_featured, _seed_ladder, _seed_monitoring
from enterprises.demo.registers import seed_registers
from enterprises.demo.support import _seed_carriers, _seed_support
from enterprises.demo.vocabulary import BRANDS, SECTIONS, TRADES, _money, _person
from enterprises.models import (
    AnnualReturn,
    Enterprise,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.services import (
    enterprise_create,
    ladder_reminders_send,
)
from enterprises.validators import credit_code_for_serial

COUNT = 320


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
def _earlier_quarter(
    enterprise: Enterprise,
    code: str,
    p: dict[str, float],
    year: int,
    quarter: int,
) -> QuarterlyReport | None:
    """A quarterly report of a year before the recent ones, one year's growth
    lower; about one in ten was not filed."""
    rng = random.Random(f"quarterly-{code}-{year}-{quarter}")
    if rng.random() < 0.1:
        return None
    sales = p["sales"] * (1 + p["growth"]) ** 2 * quarter / 4 * rng.uniform(0.9, 1.1)
    submitted = timezone.make_aware(
        datetime.combine(
            QuarterlyReport.quarter_end(year, quarter)
            + timedelta(days=rng.randint(3, 18)),
            datetime.min.time(),
        )
    )
    return QuarterlyReport(
        enterprise=enterprise,
        year=year,
        quarter=quarter,
        status=FilingStatus.ACCEPTED,
        revenue_ytd=_money(sales),
        profit_ytd=_money(sales * rng.uniform(0.0, 0.08)),
        tax_ytd=_money(sales * 0.04),
        rd_ytd=_money(sales * p["rd_ratio"]),
        exports_ytd=_money(sales * rng.choice((0, 0, 0.1, 0.3))),
        staff=_money(p["staff"]),
        submitted_at=submitted,
    )


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
    # The same quarters a year earlier, so the summary compares the echelon
    # enterprises' growth like for like (last year's Q4 against the one
    # before); drawn from generators of their own, leaving the rest as it was.
    earlier = [(y - 1, n) for y, n in ended if (y - 1, n) not in ended]
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
        for year, quarter in earlier:
            report = _earlier_quarter(enterprise, code, p, year, quarter)
            if report is not None:
                quarterlies.append(report)
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
