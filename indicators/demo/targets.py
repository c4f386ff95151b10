"""Demo targets of the home district and its streets, derived from the
values series."""

from __future__ import annotations

import random

from bureau.models import OrgUnit
from indicators.demo.writer import _Writer


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
