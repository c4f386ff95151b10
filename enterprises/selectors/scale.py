"""规上 proposals (RULES §5.1): enterprises not marked above designated size
whose latest return's main business revenue reaches the threshold (setting
ABOVE_SCALE), for staff to confirm."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import GreaterThanOrEqual

from bureau.permissions import AnyUser
from enterprises.models import AnnualReturn, Enterprise, FilingStatus
from enterprises.permissions import enterprises_visible_to

# Returns the proposal trusts: handed in, whether or not staff reviewed them.
_USABLE = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)


def above_scale_threshold() -> Decimal:
    return Decimal(str(settings.ABOVE_SCALE["min_main_revenue"]))


def _latest(field: str) -> Subquery:
    return Subquery(
        AnnualReturn.objects.filter(enterprise=OuterRef("pk"), status__in=_USABLE)
        .order_by("-year")
        .values(field)[:1]
    )


def above_scale_candidates(queryset: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Of `queryset`, the enterprises to propose, annotated with
    `proposal_year` and `proposal_revenue` (元) of their latest return."""
    sections = list(settings.ABOVE_SCALE.get("industry_sections") or [])
    qs = queryset.filter(is_above_scale=False).annotate(
        proposal_year=_latest("year"),
        proposal_revenue=_latest("main_business_revenue"),
    )
    if sections:
        qs = qs.filter(Q(industry_section__in=sections) | Q(industry_section=""))
    return qs.filter(GreaterThanOrEqual(F("proposal_revenue"), above_scale_threshold()))


def above_scale_proposals(
    *, user: AnyUser, q: str = "", org_unit: str = ""
) -> QuerySet[Enterprise]:
    qs = above_scale_candidates(enterprises_visible_to(user)).select_related("org_unit")
    if q.strip():
        qs = qs.filter(
            Q(name__icontains=q.strip()) | Q(credit_code__icontains=q.strip())
        )
    if org_unit:
        qs = qs.filter(org_unit__code=org_unit)
    return qs.order_by(F("proposal_revenue").desc(), "name")


def above_scale_proposal(enterprise: Enterprise) -> Enterprise | None:
    """`enterprise` annotated with its proposal, or None when there is none."""
    return above_scale_candidates(Enterprise.objects.filter(pk=enterprise.pk)).first()
