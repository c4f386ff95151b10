"""Demo indicator data for `seed_demo`: three years of believable values and
targets for the home district, its streets and parks, and the peer
districts — annual values for the two past years, monthly values for the
current one (through last month).

Values of the imported indicators are made up here; the computed ones
(新认定高企, 科技型中小企业, 科技贷款, 上级项目资金) come from the enterprise
and project data through `indicators_recompute`, so call this after the
enterprise and project seeds. Peer districts get made-up values for those
too: the bureau imports them from the city's statistics.

Deterministic (seeded per org unit) and idempotent: rows that exist are left
alone, only missing ones are created.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bureau.models import OrgUnit, User
from indicators.models import ComparisonGroup, DataValue, Indicator, Target

# GDP (亿元) and R&D intensity (%) of last year, per district code; other
# districts get values drawn from the same range.
DISTRICTS = {
    "330105": (1320, Decimal("2.86")),  # 拱墅区
    "330102": (2310, Decimal("2.12")),  # 上城区
    "330106": (2280, Decimal("4.95")),  # 西湖区
    "330108": (2390, Decimal("8.62")),  # 滨江区
    "330109": (2360, Decimal("2.91")),  # 萧山区
    "330110": (3090, Decimal("5.64")),  # 余杭区
    "330113": (1060, Decimal("3.18")),  # 临平区
    "330114": (1080, Decimal("3.57")),  # 钱塘区
}
# The other districts of Hangzhou's 主城区 group in the demo.
MAIN_DISTRICTS = ("330102", "330106", "330108")
COMPUTED = ("new_hnte", "tech_sme", "tech_loans", "project_funds")
# A peer's computed value when ours is missing or zero (count, count, 万元, 万元).
FALLBACKS = {"new_hnte": 40, "tech_sme": 150, "tech_loans": 8000, "project_funds": 3000}
Key = tuple[int, int, str, int, int]  # indicator, unit, period type, year, period


def _q(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


class _Writer:
    """Collects the wanted rows; writes only those not stored yet."""

    def __init__(
        self, indicators: dict[str, Indicator], years: list[int], by: User | None
    ):
        self.indicators = indicators
        self.by = by
        self.values: dict[Key, Decimal] = {}
        self.targets: dict[tuple[int, int, int], Decimal] = {}
        self.years = years

    def value(
        self, code: str, unit: OrgUnit, year: int, period: tuple[str, int], v: float
    ) -> None:
        indicator = self.indicators.get(code)
        if indicator is None or (indicator.district_only and unit.is_street_or_park):
            return
        kind, number = period
        # Counts of enterprises or patents are whole numbers.
        places = "1" if indicator.unit in ("家", "件") else "0.0001"
        self.values[(indicator.pk, unit.pk, kind, year, number)] = _q(v, places)

    def target(self, code: str, unit: OrgUnit, year: int, v: float | None) -> None:
        indicator = self.indicators.get(code)
        if indicator is None or v is None or v <= 0:
            return
        if indicator.district_only and unit.is_street_or_park:
            return
        self.targets[(indicator.pk, unit.pk, year)] = _q(v, "0.0001")

    def save(self) -> int:
        ids = {i.pk for i in self.indicators.values()}
        stored = set(
            DataValue.objects.filter(
                indicator_id__in=ids, year__in=self.years
            ).values_list(
                "indicator_id", "org_unit_id", "period_type", "year", "period"
            )
        )
        values = [
            DataValue(
                indicator_id=i,
                org_unit_id=u,
                period_type=kind,
                year=year,
                period=number,
                value=v,
                source=DataValue.Source.IMPORT,
                entered_by=self.by,
            )
            for (i, u, kind, year, number), v in self.values.items()
            if (i, u, kind, year, number) not in stored
        ]
        have = set(
            Target.objects.filter(
                indicator_id__in=ids, year__in=self.years
            ).values_list("indicator_id", "org_unit_id", "year")
        )
        targets = [
            Target(
                indicator_id=i,
                org_unit_id=u,
                year=year,
                value=v,
                set_by=self.by,
                note="演示数据",
            )
            for (i, u, year), v in self.targets.items()
            if (i, u, year) not in have
        ]
        DataValue.objects.bulk_create(values, batch_size=1000)
        Target.objects.bulk_create(targets, batch_size=1000)
        return len(values) + len(targets)


def _series(
    w: _Writer,
    code: str,
    unit: OrgUnit,
    annual: dict[int, float],
    *,
    current: int,
    last_month: int,
    pace: float,
    rng: random.Random,
) -> None:
    """Write `annual` (the year's total, or year-end stock) as the indicator
    is kept: year-to-date months, monthly flows, or month-end stocks. Past
    years get an annual value; last year also its months (so this year's
    months have a base to grow on), this year its months so far."""
    indicator = w.indicators.get(code)
    if indicator is None:
        return
    for year, total in annual.items():
        if year < current:
            w.value(code, unit, year, ("Y", 0), total)
        if year == current - 1:
            months, year_pace = 12, 1.0
        elif year == current:
            months, year_pace = last_month, pace
        else:
            continue
        start = annual.get(year - 1, total)
        flows = [1 + rng.uniform(-0.35, 0.35) for _ in range(12)]
        flows = [f * 12 / sum(flows) for f in flows]
        # The same lumps for every indicator of a unit and year, so that
        # ratios of year-to-date figures stay steady.
        lumps = random.Random(f"{unit.code}-{year}")
        running = 0.0
        for month in range(1, months + 1):
            share = month / 12
            wobble = 1 + lumps.uniform(-0.04, 0.02)
            if indicator.ytd:
                # Reported year to date, never falling, and December's
                # figure is the year's.
                running = max(running, min(total, total * share * year_pace * wobble))
                value = total if month == 12 else running
            elif indicator.aggregation == Indicator.Aggregation.SUM:
                value = total / 12 * year_pace * flows[month - 1]
            else:  # a stock: month-end level moving towards the year-end one
                value = start + (total - start) * share
            w.value(code, unit, year, ("M", month), value)


def _district(
    w: _Writer,
    unit: OrgUnit,
    years: list[int],
    current: int,
    last_month: int,
    *,
    like: dict[str, dict[int, float]] | None,
) -> dict[str, dict[int, float]]:
    rng = random.Random(f"indicators-{unit.code}")
    gdp_base, intensity = DISTRICTS.get(
        unit.code,
        (rng.uniform(900, 2500), Decimal(str(round(rng.uniform(2, 5), 2)))),
    )
    growth = rng.uniform(0.045, 0.07)
    base_year = current - 1
    gdp = {y: gdp_base * 10_000 * (1 + growth) ** (y - base_year) for y in years}
    step = rng.uniform(0.05, 0.18)
    rd = {y: gdp[y] * (float(intensity) + step * (y - base_year)) / 100 for y in years}
    ent_part = rng.uniform(0.55, 0.62)
    ent_rd = {y: rd[y] * ent_part for y in years}
    share = rng.uniform(1.6, 2.6)
    ent_revenue = {y: ent_rd[y] / (share + 0.08 * (y - base_year)) * 100 for y in years}
    industry_part = rng.uniform(0.14, 0.2)
    industry = {y: gdp[y] * industry_part for y in years}
    hitech_share = rng.uniform(0.58, 0.78)
    hitech = {
        y: industry[y] * min(0.9, hitech_share + 0.012 * (y - base_year)) for y in years
    }
    population = rng.uniform(95, 135)
    patents = population * rng.uniform(70, 140)
    hv_ratio = rng.uniform(0.4, 0.55)
    contracts = gdp[base_year] * rng.uniform(0.04, 0.09)
    contract_growth = rng.uniform(0.08, 0.25)
    annual: dict[str, dict[int, float]] = {
        "gdp": gdp,
        "rd_spending": rd,
        "ent_rd": ent_rd,
        "ent_revenue": ent_revenue,
        "industry_va": industry,
        "hitech_va": hitech,
        "population": {y: population * (1 + 0.008 * (y - base_year)) for y in years},
        "invention_patents": {
            y: round(patents * (1 + 0.13 * (y - base_year))) for y in years
        },
        "hv_patents": {
            y: round(patents * hv_ratio * (1 + 0.16 * (y - base_year))) for y in years
        },
        "tech_contracts": {
            y: contracts * (1 + contract_growth) ** (y - base_year) for y in years
        },
    }
    # The further indicators the work summary prints: high-tech output (a
    # few times its value added), 科技进步贡献率, fiscal S&T spending and
    # patent filings and grants.
    output_factor = rng.uniform(3.2, 4.0)
    progress_rate = rng.uniform(58, 66)
    fiscal_share = rng.uniform(0.004, 0.008)
    filings = population * rng.uniform(40, 70)
    grant_ratio = rng.uniform(0.5, 0.65)
    annual |= {
        "hitech_output": {y: hitech[y] * output_factor for y in years},
        "tech_progress_rate": {y: progress_rate + 0.6 * (y - base_year) for y in years},
        "fiscal_st_spending": {
            y: gdp[y] * fiscal_share * (1 + 0.05 * (y - base_year)) for y in years
        },
        "patent_applications": {
            y: round(filings * (1 + 0.08 * (y - base_year))) for y in years
        },
        "patent_grants": {
            y: round(filings * grant_ratio * (1 + 0.06 * (y - base_year)))
            for y in years
        },
    }
    if like is not None:
        # Peers' computed indicators, of the same order as ours.
        for code, fallback in FALLBACKS.items():
            scale = rng.uniform(0.6, 2.4)
            annual[code] = {
                y: (like.get(code, {}).get(y) or fallback * (1 + 0.1 * (y - base_year)))
                * scale
                for y in years
            }
            if code in ("new_hnte", "tech_sme"):
                annual[code] = {y: round(v) for y, v in annual[code].items()}
    pace = rng.uniform(0.93, 1.06)
    for code, series in annual.items():
        _series(
            w,
            code,
            unit,
            series,
            current=current,
            last_month=last_month,
            pace=pace,
            rng=rng,
        )
    return annual


def _streets(
    w: _Writer,
    streets: list[OrgUnit],
    district: dict[str, dict[int, float]],
    years: list[int],
    current: int,
    last_month: int,
) -> dict[str, dict[str, dict[int, float]]]:
    """Split the district's figures among its streets and parks (the streets
    hold most but not all: universities and institutes sit outside them)."""
    weights = {}
    for s in streets:
        rng = random.Random(f"indicators-{s.code}")
        weights[s.pk] = rng.uniform(0.3, 1.6) * (2.2 if s.level == "park" else 1)
    total = sum(weights.values())
    out: dict[str, dict[str, dict[int, float]]] = {}
    for s in streets:
        rng = random.Random(f"indicators-street-{s.code}")
        weight = weights[s.pk] / total
        rd_tilt = rng.uniform(0.7, 1.35)
        hitech_tilt = rng.uniform(0.85, 1.12)
        people = rng.uniform(0.6, 1.4)
        deals = rng.uniform(0.6, 1.4)
        # A few streets run well ahead of the year's schedule, a few behind.
        pace = rng.choice([0.84, 0.92, 0.97, 1.0, 1.02, 1.05, 1.12])
        series: dict[str, dict[int, float]] = {
            "rd_spending": {
                y: district["rd_spending"][y] * 0.82 * weight * rd_tilt for y in years
            },
            "ent_rd": {
                y: district["ent_rd"][y] * 0.95 * weight * rd_tilt for y in years
            },
            "ent_revenue": {
                y: district["ent_revenue"][y] * 0.95 * weight for y in years
            },
            "industry_va": {
                y: district["industry_va"][y] * 0.95 * weight for y in years
            },
            "hitech_va": {
                y: district["hitech_va"][y] * 0.95 * weight * hitech_tilt for y in years
            },
            "population": {
                y: district["population"][y] / len(streets) * people for y in years
            },
            "invention_patents": {
                y: round(district["invention_patents"][y] * 0.9 * weight) for y in years
            },
            "hv_patents": {
                y: round(district["hv_patents"][y] * 0.9 * weight) for y in years
            },
            "tech_contracts": {
                y: district["tech_contracts"][y] * 0.9 * weight * deals for y in years
            },
        }
        for code, annual in series.items():
            _series(
                w,
                code,
                s,
                annual,
                current=current,
                last_month=last_month,
                pace=pace,
                rng=rng,
            )
        out[s.code] = series
    return out


def _ratio(top: dict[int, float], bottom: dict[int, float], y: int, f: float) -> float:
    return top[y] / bottom[y] * f if bottom.get(y) else 0


def _targets(
    w: _Writer,
    unit: OrgUnit,
    series: dict[str, dict[int, float]],
    years: list[int],
    current: int,
    rng: random.Random,
) -> None:
    """Past years: a target close to what was achieved (some met, some not);
    this year: last year's result plus planned growth."""
    ratios = {
        "rd_intensity": ("rd_spending", "gdp", 100),
        "ent_rd_share": ("ent_rd", "ent_revenue", 100),
        "hitech_share": ("hitech_va", "industry_va", 100),
        "hv_patents_per_10k": ("hv_patents", "population", 1),
    }
    for year in years:
        for code in (
            "rd_spending",
            "tech_contracts",
            "tech_loans",
            "project_funds",
            "new_hnte",
        ):
            done = series.get(code, {}).get(year if year < current else year - 1)
            if not done:
                continue
            if year < current:
                goal = done * rng.uniform(0.95, 1.06)
            else:
                goal = done * rng.uniform(1.08, 1.15)
            w.target(code, unit, year, round(goal, -1) if goal > 100 else round(goal))
        counts = series.get("tech_sme", {})
        before = counts.get(year - 1) or counts.get(year)
        if before:
            w.target("tech_sme", unit, year, round(before * rng.uniform(1.03, 1.1)))
        for code, (top, bottom, factor) in ratios.items():
            if top not in series or bottom not in series:
                continue
            done = _ratio(series[top], series[bottom], year, factor)
            before = _ratio(series[top], series[bottom], year - 1, factor) or done
            # Patents per head grow fast; the other ratios by a few hundredths.
            rise = (1.08, 1.16) if code == "hv_patents_per_10k" else (1.005, 1.03)
            goal = (
                done + rng.uniform(-0.06, 0.05) * done / 3
                if year < current
                else before * rng.uniform(*rise)
            )
            w.target(code, unit, year, round(goal, 2))


def _computed_series(
    indicators: dict[str, Indicator], units: list[OrgUnit], years: list[int]
) -> dict[int, dict[str, dict[int, float]]]:
    """The computed indicators' annual values per unit, as recomputed."""
    out: dict[int, dict[str, dict[int, float]]] = {u.pk: {} for u in units}
    codes = {indicators[c].pk: c for c in COMPUTED if c in indicators}
    for indicator_id, unit_id, year, value in DataValue.objects.filter(
        indicator_id__in=codes, org_unit__in=units, year__in=years, period_type="Y"
    ).values_list("indicator_id", "org_unit_id", "year", "value"):
        out[unit_id].setdefault(codes[indicator_id], {})[year] = float(value)
    return out


def seed_indicators(*, by: User | None) -> int:
    """Create the demo values and targets that are missing; returns how many
    rows were created (recomputed values not counted)."""
    from indicators.services import indicators_recompute

    home = OrgUnit.objects.filter(is_home=True).select_related("parent").first()
    if home is None:
        return 0
    today = timezone.localdate()
    current, last_month = (
        (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    )
    years = [current - 2, current - 1, current]
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    peers = list(
        OrgUnit.objects.filter(
            level=OrgUnit.Level.DISTRICT, parent=home.parent_id, is_active=True
        ).exclude(pk=home.pk)
    )
    streets = list(
        OrgUnit.objects.filter(
            parent=home, level__in=[OrgUnit.Level.STREET, OrgUnit.Level.PARK]
        )
    )
    with transaction.atomic():
        seed_ledgers(by=by, years=years)
        for year in years:
            indicators_recompute(year=year)
        computed = _computed_series(indicators, [home, *streets], years)
        w = _Writer(indicators, years, by)
        home_series = _district(w, home, years, current, last_month, like=None)
        peer_series = {
            p.pk: _district(w, p, years, current, last_month, like=computed[home.pk])
            for p in peers
        }
        street_series = _streets(w, streets, home_series, years, current, last_month)
        created = w.save()
        w = _Writer(indicators, years, by)
        rng = random.Random("indicators-targets")
        _targets(w, home, home_series | computed[home.pk], years, current, rng)
        for p in peers:
            _targets(w, p, peer_series[p.pk], years, current, rng)
        for s in streets:
            series = street_series[s.code]
            # Streets are set targets for R&D, contracts and their 科小 count.
            series = {
                k: v
                for k, v in (series | computed[s.pk]).items()
                if k not in ("tech_loans", "project_funds", "new_hnte")
            }
            _targets(w, s, series, years, current, rng)
        created += w.save()
        # 主城区: the peers the seeds' reports rank against besides the city
        # (not the dashboard's default, which stays all the city).
        main, _ = ComparisonGroup.objects.get_or_create(name="主城区")
        main.members.add(*[p for p in peers if p.code in MAIN_DISTRICTS])
        # By November the district has set next year's targets; the work
        # summary's plan section lists them.
        w = _Writer(indicators, [current + 1], by)
        _targets(
            w,
            home,
            home_series | computed[home.pk],
            [current + 1],
            current,
            random.Random("indicators-next-year"),
        )
        created += w.save()
    return created


# --- Ledgers: technology contracts, achievements, R&D statistics -------------

# Organisations outside the district that sign contracts with ours.
_OUTSIDE_SELLERS = (
    ("浙江大学", "浙江省杭州市"),
    ("浙江工业大学", "浙江省杭州市"),
    ("杭州电子科技大学", "浙江省杭州市"),
    ("中国科学院宁波材料技术与工程研究所", "浙江省宁波市"),
    ("上海交通大学", "上海市"),
    ("东南大学", "江苏省南京市"),
    ("之江实验室", "浙江省杭州市"),
    ("浙江省农业科学院", "浙江省杭州市"),
)
_OUTSIDE_BUYERS = (
    ("宁波舜宇智能科技有限公司", "浙江省宁波市"),
    ("绍兴柯桥纺织印染有限公司", "浙江省绍兴市"),
    ("嘉兴港区化工新材料有限公司", "浙江省嘉兴市"),
    ("苏州工业园区精密制造有限公司", "江苏省苏州市"),
    ("合肥高新区智能装备有限公司", "安徽省合肥市"),
    ("温州瓯海汽配有限公司", "浙江省温州市"),
    ("金华永康五金科技有限公司", "浙江省金华市"),
    ("成都天府软件园信息技术有限公司", "四川省成都市"),
)
_SUBJECTS = (
    "工业互联网平台数据采集",
    "锂电池正极材料改性",
    "智能仓储调度算法",
    "医用高分子材料表面处理",
    "纺织印染废水处理工艺",
    "汽车零部件轻量化设计",
    "企业数字化转型咨询",
    "检验检测方法开发",
    "机器视觉缺陷检测",
    "新能源汽车热管理",
    "食品保鲜工艺优化",
    "建筑节能材料配方",
)
_KIND_WORDS = {
    "development": "技术开发",
    "transfer": "技术转让",
    "license": "技术许可",
    "consulting": "技术咨询",
    "service": "技术服务",
}
_NON_ENTERPRISES = (
    "区人民医院",
    "区中医院",
    "杭州某职业技术学院",
    "区农业技术推广中心",
)


def seed_ledgers(*, by: User | None, years: list[int]) -> int:
    """A few hundred technology contracts over `years` across the streets,
    achievements linked to some of them, and the R&D statistics ledgers of
    the last two years (the older complete, the newer with mixed statuses).
    Deterministic; rows that exist are left alone. Returns rows created."""
    from enterprises.selectors import enterprise_choices
    from indicators.ledgers import contract_direction
    from indicators.models import Achievement, RDReportingUnit, TechContract

    enterprises = list(enterprise_choices().select_related("org_unit"))
    home = OrgUnit.objects.filter(is_home=True).first()
    if not enterprises or home is None:
        return 0
    rng = random.Random("ledgers")
    today = timezone.localdate()
    created = 0

    existing = set(TechContract.objects.values_list("registration_number", flat=True))
    contracts = []
    for year in years:
        last_day = today if year == today.year else None
        for serial in range(1, 121):
            number = f"{year}{home.code}{serial:04d}"
            kind = rng.choices(list(_KIND_WORDS), weights=[45, 8, 5, 12, 30])[0]
            roll = rng.random()
            ours = rng.choice(enterprises)
            other = rng.choice(enterprises)
            if roll < 0.45:
                seller, buyer = ours, None
            elif roll < 0.9:
                seller, buyer = None, ours
            else:
                seller, buyer = ours, other if other != ours else None
            outside_seller = rng.choice(_OUTSIDE_SELLERS)
            outside_buyer = rng.choice(_OUTSIDE_BUYERS)
            amount = _q(rng.lognormvariate(3.4, 1.0) * 10000, "0.01")  # about 30万
            share = Decimal(str(rng.uniform(0.7, 1))) if kind != "consulting" else 1
            day = date(year, 1, 1) + timedelta(days=rng.randrange(0, 364))
            if last_day and day > last_day:
                day = last_day - timedelta(days=rng.randrange(0, 60))
            if number in existing:
                continue
            direction = contract_direction(
                seller_in_district=seller is not None,
                buyer_in_district=buyer is not None,
            )
            contracts.append(
                TechContract(
                    registration_number=number,
                    name=f"{rng.choice(_SUBJECTS)}{_KIND_WORDS[kind]}",
                    kind=kind,
                    seller=seller,
                    seller_name=seller.name if seller else outside_seller[0],
                    seller_credit_code=seller.credit_code if seller else "",
                    buyer=buyer,
                    buyer_name=buyer.name if buyer else outside_buyer[0],
                    buyer_credit_code=buyer.credit_code if buyer else "",
                    buyer_location="浙江省杭州市" if buyer else outside_buyer[1],
                    direction=direction,
                    seller_street_id=seller.org_unit_id if seller else None,
                    buyer_street_id=buyer.org_unit_id if buyer else None,
                    contract_amount=amount,
                    transaction_amount=(amount * share).quantize(Decimal("0.01")),
                    registered_on=day,
                    created_by=by,
                )
            )
    TechContract.objects.bulk_create(contracts)
    created += len(contracts)

    if not Achievement.objects.exists():
        sellers = list(
            TechContract.objects.filter(seller__isnull=False)
            .select_related("seller")
            .order_by("registration_number")[:40]
        )
        stages = list(Achievement.Stage)
        ways = list(Achievement.Way)
        for index, contract in enumerate(sellers[:24]):
            stage = stages[index % len(stages)]
            assert contract.seller is not None
            started = contract.registered_on
            achievement = Achievement.objects.create(
                title=contract.name.replace(_KIND_WORDS[contract.kind], "成果"),
                owner=contract.seller,
                field=rng.choice(
                    ["新材料", "电子信息", "生物医药", "先进制造", "节能环保"]
                ),
                stage=stage,
                way=ways[index % len(ways)]
                if stage != Achievement.Stage.WAITING
                else "",
                started_on=started if stage != Achievement.Stage.WAITING else None,
                pilot_on=started + timedelta(days=90)
                if stage in (Achievement.Stage.PILOT, Achievement.Stage.INDUSTRIALISED)
                else None,
                industrialised_on=started + timedelta(days=240)
                if stage == Achievement.Stage.INDUSTRIALISED
                else None,
                new_output_value=_q(rng.uniform(200, 3000) * 10000, "0.01")
                if stage == Achievement.Stage.INDUSTRIALISED
                else None,
                jobs=rng.randrange(5, 60)
                if stage == Achievement.Stage.INDUSTRIALISED
                else None,
                patents=rng.randrange(1, 8),
                created_by=by,
            )
            if stage != Achievement.Stage.WAITING:
                achievement.contracts.add(contract)
            created += 1

    streets = [u for u in OrgUnit.objects.filter(parent=home) if u.is_street_or_park]
    for year in years[-3:-1]:
        if RDReportingUnit.objects.filter(year=year).exists():
            continue
        complete = year < years[-2]
        previous = {
            u.unit_name: u.amount
            for u in RDReportingUnit.objects.filter(
                year=year - 1, status__in=RDReportingUnit.REPORTING
            )
        }
        year_rng = random.Random(f"ledgers-rd-{year}")
        units = [e for e in enterprises if e.is_above_scale] + [
            e for e in enterprises if not e.is_above_scale and year_rng.random() < 0.3
        ]
        rows: list[tuple[str, str, Any, OrgUnit, bool]] = []
        for enterprise in units:
            rows.append(
                (
                    enterprise.name,
                    enterprise.credit_code,
                    enterprise,
                    enterprise.org_unit,
                    enterprise.is_above_scale,
                )
            )
        for index, name in enumerate(_NON_ENTERPRISES):
            rows.append((name, "", None, streets[index % len(streets)], False))
        ledger = []
        for name, code, enterprise, street, above in rows:
            roll = year_rng.random()
            if complete:
                status = "verified" if roll < 0.82 else "no_activity"
            elif roll < 0.45:
                status = "reported"
            elif roll < 0.62:
                status = "verified"
            elif roll < 0.72:
                status = "no_activity"
            else:
                status = "pending"
            spent = (
                _q(year_rng.lognormvariate(5.3, 1.1) * 10000, "0.01")
                if status in ("reported", "verified")
                else None
            )
            ledger.append(
                RDReportingUnit(
                    year=year,
                    unit_name=name,
                    credit_code=code,
                    enterprise=enterprise,
                    org_unit=street,
                    is_above_scale=above,
                    last_year_amount=previous.get(name),
                    status=status,
                    amount=spent,
                    reported_on=min(
                        today,
                        date(year + 1, 3, 1)
                        + timedelta(days=year_rng.randrange(0, 60)),
                    )
                    if status != "pending"
                    else None,
                    note="本年度未开展研发活动" if status == "no_activity" else "",
                    updated_by=by,
                )
            )
        RDReportingUnit.objects.bulk_create(ledger)
        created += len(ledger)
    return created
