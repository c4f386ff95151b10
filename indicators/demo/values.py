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
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bureau.models import OrgUnit, User
from indicators.demo.ledgers import seed_ledgers
from indicators.demo.targets import _targets
from indicators.demo.writer import _Writer
from indicators.models import ComparisonGroup, DataValue, Indicator

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
