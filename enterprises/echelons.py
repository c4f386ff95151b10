"""年度考核: the yearly assessment of the district tier's enterprises.

Each criterion (kept in data, AssessmentCriterion) adds its points when met;
the total keeps, promotes or moves down the enterprise's echelon, or drops it
from the tier, by the thresholds in settings.LADDER. Assessing a year twice
changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bureau.audit import audit
from bureau.models import User
from enterprises.models import (
    AnnualReturn,
    AssessmentCriterion,
    Certification,
    EchelonAssessment,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.services import certification_revoke

Metric = AssessmentCriterion.Metric
USABLE = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)


@dataclass
class AssessmentSummary:
    year: int
    assessed: int
    promoted: int
    kept: int
    demoted: int
    dropped: int
    skipped: int


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return numerator / denominator if denominator else None


def _metrics(this: AnnualReturn | None, last: AnnualReturn | None, filed: int) -> dict:
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
        return f"{value * 100:.1f}%"
    return f"{value:.0f}"


@transaction.atomic
def echelon_assessment_run(
    *, year: int, by: User | None = None, tier_code: str = "xuri"
) -> AssessmentSummary:
    """Assess every enterprise holding `tier_code` at the end of `year`."""
    tier = Tier.objects.get(code=tier_code)
    criteria = list(AssessmentCriterion.objects.filter(tier=tier, is_active=True))
    promote_at = settings.LADDER["assessment_promote_score"]
    keep_at = settings.LADDER["assessment_keep_score"]
    year_end = date(year, 12, 31)
    done = set(
        EchelonAssessment.objects.filter(
            year=year, certification__tier=tier
        ).values_list("certification_id", flat=True)
    )
    certifications = list(
        Certification.objects.current(year_end)
        .filter(tier=tier)
        .select_related("enterprise")
    )
    ids = [c.enterprise_id for c in certifications]
    returns: dict[tuple[int, int], AnnualReturn] = {
        (r.enterprise_id, r.year): r
        for r in AnnualReturn.objects.filter(
            enterprise_id__in=ids, year__in=(year - 1, year), status__in=USABLE
        )
    }
    filed: dict[int, int] = defaultdict(int)
    for enterprise_id in QuarterlyReport.objects.filter(
        enterprise_id__in=ids, year=year, status__in=USABLE
    ).values_list("enterprise_id", flat=True):
        filed[enterprise_id] += 1

    counts = {"promote": 0, "keep": 0, "demote": 0, "drop": 0}
    skipped = 0
    for certification in certifications:
        if certification.pk in done:
            skipped += 1
            continue
        e = certification.enterprise_id
        values = _metrics(returns.get((e, year)), returns.get((e, year - 1)), filed[e])
        score, parts = 0, []
        for c in criteria:
            value = values.get(c.metric)
            met = value is not None and value >= c.threshold
            score += c.points if met else 0
            parts.append(
                f"{c.get_metric_display()}{_show(c.metric, value)}"
                f"{'≥' if met else '<'}{_show(c.metric, c.threshold)}（{'+' + str(c.points) if met else '0'}）"
            )
        before = certification.echelon or 3
        if score >= promote_at and before > 1:
            outcome, after = EchelonAssessment.Outcome.PROMOTE, before - 1
        elif score >= keep_at:
            outcome, after = EchelonAssessment.Outcome.KEEP, before
        elif before < 3:
            outcome, after = EchelonAssessment.Outcome.DEMOTE, before + 1
        else:
            outcome, after = EchelonAssessment.Outcome.DROP, None
        reason = f"{year}年度考核得分{score}分：" + "；".join(parts)
        EchelonAssessment.objects.create(
            certification=certification,
            year=year,
            score=score,
            outcome=outcome,
            echelon_before=before,
            echelon_after=after,
            reason=reason[:500],
            decided_by=by,
        )
        if outcome == EchelonAssessment.Outcome.DROP:
            certification_revoke(
                certification=certification,
                by=by,
                reason=reason[:300],
                on=timezone.localdate(),
            )
        elif after != before:
            certification.echelon = after
            certification.save(update_fields=["echelon"])
        audit(
            by=by,
            action="echelon.assess",
            target=certification,
            before={"echelon": before},
            after={"echelon": after},
            message=reason[:500],
        )
        counts[outcome] += 1
    return AssessmentSummary(
        year=year,
        assessed=sum(counts.values()),
        promoted=counts["promote"],
        kept=counts["keep"],
        demoted=counts["demote"],
        dropped=counts["drop"],
        skipped=skipped,
    )
