"""年度考核: record the yearly assessment of the district tier's enterprises.
Assessing a year twice changes nothing. The scoring is in
enterprises/echelons.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from bureau.audit import audit
from bureau.models import User
from enterprises.echelons import Outcome, metrics, outcome, score
from enterprises.models import (
    AnnualReturn,
    AssessmentCriterion,
    Certification,
    EchelonAssessment,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.services.current_tier import enterprise_tier_refresh
from enterprises.services.registry import (
    certification_revoke,
    echelon_count,
    ladder_setting,
)

_USABLE = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)


@dataclass
class AssessmentSummary:
    year: int
    assessed: int
    promoted: int
    kept: int
    demoted: int
    dropped: int
    skipped: int


@transaction.atomic
def echelon_assessment_run(
    *, year: int, by: User | None = None, tier_code: str = "xuri"
) -> AssessmentSummary:
    """Assess every enterprise holding `tier_code` at the end of `year`."""
    tier = Tier.objects.get(code=tier_code)
    criteria = list(AssessmentCriterion.objects.filter(tier=tier, is_active=True))
    promote_at = int(ladder_setting("assessment_promote_score"))
    keep_at = int(ladder_setting("assessment_keep_score"))
    count = echelon_count()
    drop_leaves = ladder_setting("echelon_drop") == "leave"
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
            enterprise_id__in=ids, year__in=(year - 1, year), status__in=_USABLE
        )
    }
    filed: dict[int, int] = defaultdict(int)
    for enterprise_id in QuarterlyReport.objects.filter(
        enterprise_id__in=ids, year=year, status__in=_USABLE
    ).values_list("enterprise_id", flat=True):
        filed[enterprise_id] += 1

    counts = dict.fromkeys(Outcome.values, 0)
    skipped = 0
    for certification in certifications:
        if certification.pk in done:
            skipped += 1
            continue
        e = certification.enterprise_id
        values = metrics(returns.get((e, year)), returns.get((e, year - 1)), filed[e])
        points, parts = score(criteria, values)
        before = certification.echelon or count
        result, after = outcome(
            points,
            before,
            promote_at=promote_at,
            keep_at=keep_at,
            count=count,
            drop_leaves=drop_leaves,
        )
        reason = f"{year}年度考核得分{points}分：" + "；".join(parts)
        EchelonAssessment.objects.create(
            certification=certification,
            year=year,
            score=points,
            outcome=result,
            echelon_before=before,
            echelon_after=after,
            reason=reason[:500],
            decided_by=by,
        )
        if result == Outcome.DROP:
            certification_revoke(
                certification=certification,
                by=by,
                reason=reason[:300],
                on=timezone.localdate(),
            )
        elif after != before:
            certification.echelon = after
            certification.save(update_fields=["echelon"])
            enterprise_tier_refresh(certification.enterprise)
        audit(
            by=by,
            action="echelon.assess",
            target=certification,
            before={"echelon": before},
            after={"echelon": after},
            message=reason[:500],
        )
        counts[result] += 1
    return AssessmentSummary(
        year=year,
        assessed=sum(counts.values()),
        promoted=counts[Outcome.PROMOTE],
        kept=counts[Outcome.KEEP],
        demoted=counts[Outcome.DEMOTE],
        dropped=counts[Outcome.DROP],
        skipped=skipped,
    )
