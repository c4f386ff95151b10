"""年度考核: the arithmetic of the yearly assessment of the district tier,
pure (no queries, no writes).

Each criterion (kept in data, AssessmentCriterion) adds its points when met;
the total keeps, promotes or moves down the enterprise's echelon, or drops it
from the tier, by the thresholds in settings.LADDER. The service that loads
the figures and records the outcome is enterprises/services/echelons.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from bureau.lib.money import number, percent
from enterprises.models import AnnualReturn, AssessmentCriterion, EchelonAssessment

Metric = AssessmentCriterion.Metric
Outcome = EchelonAssessment.Outcome


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return numerator / denominator if denominator else None


def metrics(
    this: AnnualReturn | None, last: AnnualReturn | None, filed: int
) -> dict[str, Decimal | None]:
    """The value of each metric from the year's and the year before's returns
    and the number of quarterly reports filed; None where there is no data."""
    values: dict[str, Decimal | None] = {m: None for m in Metric.values}
    values[Metric.QUARTERLY_FILED] = Decimal(filed)
    if this is not None:
        values[Metric.RD_RATIO] = _ratio(this.rd_incurred, this.sales_revenue)
        values[Metric.IP_CLASS1] = Decimal(this.ip_class1)
        if last is not None:
            growth = _ratio(this.sales_revenue - last.sales_revenue, last.sales_revenue)
            values[Metric.REVENUE_GROWTH] = growth
            values[Metric.RD_GROWTH] = _ratio(
                this.rd_incurred - last.rd_incurred, last.rd_incurred
            )
    return values


def _show(metric: str, value: Decimal | None) -> str:
    if value is None:
        return "无数据"
    if metric in (Metric.REVENUE_GROWTH, Metric.RD_RATIO, Metric.RD_GROWTH):
        return percent(value)
    return number(value, 0, grouping=False)


def score(
    criteria: Iterable[AssessmentCriterion], values: dict[str, Decimal | None]
) -> tuple[int, list[str]]:
    """The total points and, per criterion, a line saying why it was (not) met."""
    total, parts = 0, []
    for c in criteria:
        value = values.get(c.metric)
        met = value is not None and value >= c.threshold
        total += c.points if met else 0
        parts.append(
            f"{c.get_metric_display()}{_show(c.metric, value)}"
            f"{'≥' if met else '<'}{_show(c.metric, c.threshold)}"
            f"（{'+' + str(c.points) if met else '0'}）"
        )
    return total, parts


def outcome(
    points: int,
    before: int,
    *,
    promote_at: int,
    keep_at: int,
    count: int = 3,
    drop_leaves: bool = True,
) -> tuple[str, int | None]:
    """The outcome and the echelon after it (None when dropped from the tier);
    echelon 1 is the top, `count` the last (settings.LADDER "echelon_count").
    Falling below the last echelon leaves the tier (退出梯队) when
    `drop_leaves`, else the enterprise stays in the last echelon
    ("echelon_drop"; RULES §6.4 [U])."""
    before = min(max(before, 1), count)
    if points >= promote_at and before > 1:
        return Outcome.PROMOTE, before - 1
    if points >= keep_at:
        return Outcome.KEEP, before
    if before < count:
        return Outcome.DEMOTE, before + 1
    if not drop_leaves:
        return Outcome.KEEP, before
    return Outcome.DROP, None
