"""Reads of the enterprises app, scoped to the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.models import User
from bureau.permissions import AnyUser
from enterprises.models import (
    AnnualReturn,
    Certification,
    Enterprise,
    FollowUp,
    QuarterlyReport,
    Tier,
    Visit,
)
from enterprises.permissions import enterprises_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from enterprises.assessment import TierAssessment
    from enterprises.eligibility import Policy


class CurrentTier(TypedDict):
    """The annotations with_current_tier adds to each enterprise."""

    current_tier: str | None
    current_tier_name: str | None
    current_tier_rank: int | None
    current_tier_expires_on: date | None
    current_echelon: int | None


def _current_certifications(today: date) -> QuerySet[Certification]:
    return Certification.objects.current(today).filter(enterprise=OuterRef("pk"))


def with_current_tier(
    qs: QuerySet[Enterprise], *, today: date | None = None
) -> QuerySet[WithAnnotations[Enterprise, CurrentTier]]:
    """Annotate the highest tier in force: current_tier (code), current_tier_name,
    current_tier_rank and current_tier_expires_on; one query whatever the size."""
    today = today or timezone.localdate()
    best = _current_certifications(today).order_by("-tier__rank", "-issued_on")
    return qs.annotate(
        current_tier=Subquery(best.values("tier__code")[:1]),
        current_tier_name=Subquery(best.values("tier__name")[:1]),
        current_tier_rank=Subquery(best.values("tier__rank")[:1]),
        current_tier_expires_on=Subquery(best.values("expires_on")[:1]),
        current_echelon=Subquery(best.values("echelon")[:1]),
    )


@dataclass
class EnterpriseFilters:
    tier: str = ""  # a tier code, or "none"
    org_unit: str = ""  # a street or park code
    high_tech_field: str = ""
    is_above_scale: bool | None = None
    expiring_within: int | None = None  # days
    q: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def enterprise_list(
    *,
    user: AnyUser,
    filters: EnterpriseFilters | None = None,
    today: date | None = None,
) -> QuerySet[Enterprise]:
    """The enterprises `user` may see, filtered, with their current tier."""
    filters = filters or EnterpriseFilters()
    today = today or timezone.localdate()
    qs = with_current_tier(
        enterprises_visible_to(user).select_related("org_unit"), today=today
    )
    # Tier filters as EXISTS over the indexed certifications, not over the
    # annotation, so the database need not rank every enterprise's awards.
    current = _current_certifications(today)
    if filters.tier == "none":
        qs = qs.filter(~Exists(current))
    elif filters.tier:
        rank = Tier.objects.filter(code=filters.tier).values("rank")[:1]
        qs = qs.filter(Exists(current.filter(tier__code=filters.tier))).filter(
            ~Exists(current.filter(tier__rank__gt=Subquery(rank)))
        )
    if filters.org_unit:
        qs = qs.filter(org_unit__code=filters.org_unit)
    if filters.high_tech_field:
        qs = qs.filter(high_tech_field=filters.high_tech_field)
    if filters.is_above_scale is not None:
        qs = qs.filter(is_above_scale=filters.is_above_scale)
    if filters.expiring_within is not None:
        # The certificate shown as the current tier (a 高企 also holding a
        # yearly 科小 number is not "expiring" on the 科小 date).
        until = today + timedelta(days=filters.expiring_within)
        soon = Certification.objects.current(today).filter(expires_on__lte=until)
        qs = qs.filter(pk__in=soon.values("enterprise_id")).filter(
            current_tier_expires_on__isnull=False, current_tier_expires_on__lte=until
        )
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code__icontains=term.upper()))
    return qs.order_by("name", "id")


def enterprise_get(
    *, user: AnyUser, pk: int
) -> WithAnnotations[Enterprise, CurrentTier]:
    """One enterprise `user` may see, with its current tier; 404 otherwise."""
    from django.http import Http404

    enterprise = (
        with_current_tier(enterprises_visible_to(user).select_related("org_unit"))
        .filter(pk=pk)
        .first()
    )
    if enterprise is None:
        raise Http404
    return enterprise


@dataclass
class TimelineEntry:
    on: date
    kind: str
    title: str
    detail: str = ""


def enterprise_timeline(*, enterprise: Enterprise) -> list[TimelineEntry]:
    """Tiers, returns, quarterly reports and visits, newest first."""
    entries: list[TimelineEntry] = []
    for c in enterprise.certifications.select_related("tier"):
        title = c.tier.name + (f"（{c.get_echelon_display()}）" if c.echelon else "")
        entries.append(
            TimelineEntry(
                c.issued_on, "certification", title, c.number or c.source_document
            )
        )
        if c.revoked_on:
            entries.append(
                TimelineEntry(
                    c.revoked_on,
                    "revocation",
                    _("%(tier)s revoked") % {"tier": c.tier.name},
                    c.revocation_reason,
                )
            )
    annual = AnnualReturn.objects.filter(enterprise=enterprise).only(
        "year", "status", "submitted_at", "created_at"
    )
    quarterly = QuarterlyReport.objects.filter(enterprise=enterprise).only(
        "year", "quarter", "status", "submitted_at", "created_at"
    )
    filed: list[tuple[str, str, AnnualReturn | QuarterlyReport]] = [
        *(
            ("return", _("Annual return %(year)s") % {"year": r.year}, r)
            for r in annual
        ),
        *(
            (
                "quarterly",
                _("Quarterly report %(period)s") % {"period": q.period_display},
                q,
            )
            for q in quarterly
        ),
    ]
    for kind, title, filing in filed:
        when = timezone.localdate(filing.submitted_at or filing.created_at)
        entries.append(TimelineEntry(when, kind, title, filing.get_status_display()))
    for v in Visit.objects.filter(enterprise=enterprise):
        entries.append(
            TimelineEntry(v.visited_on, "visit", _("Visit"), v.issues_raised[:80])
        )
    entries.sort(key=lambda e: e.on, reverse=True)
    return entries


def next_tier(current_rank: int | None) -> Tier | None:
    qs = Tier.objects.filter(is_active=True).order_by("rank")
    if current_rank is not None:
        qs = qs.filter(rank__gt=current_rank)
    return qs.first()


def follow_ups_overdue(*, user: User, today: date | None = None) -> QuerySet[FollowUp]:
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            owner=user, status=FollowUp.Status.OPEN, due_on__lt=today
        )
        .select_related("visit__enterprise")
        .order_by("due_on")
    )


# --- Eligibility on stored data --------------------------------------------


@dataclass
class EligibilityInputs:
    """What the pre-check of one enterprise reads from stored data, loaded the
    same way for one enterprise (pages, call pre-check) or all (nightly)."""

    returns: list[AnnualReturn] = field(default_factory=list)
    held_ranks: list[int] = field(default_factory=list)
    has_valid_hnte: bool = False
    institution_levels: list[str] = field(default_factory=list)
    revoked_tier_ids: set[int] = field(default_factory=set)


def eligibility_inputs_all(*, on: date) -> dict[int, EligibilityInputs]:
    """EligibilityInputs of every enterprise with any, in four queries."""
    from collections import defaultdict

    from enterprises.assessment import USABLE_STATUSES
    from enterprises.models import RDInstitution

    inputs: dict[int, EligibilityInputs] = defaultdict(EligibilityInputs)
    for enterprise_id, rank, code in Certification.objects.current(on).values_list(
        "enterprise_id", "tier__rank", "tier__code"
    ):
        inputs[enterprise_id].held_ranks.append(rank)
        if code == Tier.HNTE:
            inputs[enterprise_id].has_valid_hnte = True
    for enterprise_id, tier_id in Certification.objects.filter(
        status=Certification.Status.REVOKED, revoked_on__year=on.year
    ).values_list("enterprise_id", "tier_id"):
        inputs[enterprise_id].revoked_tier_ids.add(tier_id)
    for r in AnnualReturn.objects.filter(
        year__gte=on.year - 3, year__lt=on.year, status__in=USABLE_STATUSES
    ).iterator(chunk_size=5000):
        inputs[r.enterprise_id].returns.append(r)
    for enterprise_id, level in RDInstitution.objects.values_list(
        "enterprise_id", "level"
    ):
        inputs[enterprise_id].institution_levels.append(level)
    return dict(inputs)


def eligibility_inputs(*, enterprise: Enterprise, on: date) -> EligibilityInputs:
    """EligibilityInputs of one enterprise, read as eligibility_inputs_all does."""
    from enterprises.assessment import USABLE_STATUSES
    from enterprises.models import RDInstitution

    inputs = EligibilityInputs()
    for rank, code in (
        Certification.objects.current(on)
        .filter(enterprise=enterprise)
        .values_list("tier__rank", "tier__code")
    ):
        inputs.held_ranks.append(rank)
        inputs.has_valid_hnte = inputs.has_valid_hnte or code == Tier.HNTE
    inputs.revoked_tier_ids = set(
        Certification.objects.filter(
            enterprise=enterprise,
            status=Certification.Status.REVOKED,
            revoked_on__year=on.year,
        ).values_list("tier_id", flat=True)
    )
    inputs.returns = list(
        AnnualReturn.objects.filter(
            enterprise=enterprise,
            year__gte=on.year - 3,
            year__lt=on.year,
            status__in=USABLE_STATUSES,
        )
    )
    inputs.institution_levels = list(
        RDInstitution.objects.filter(enterprise=enterprise).values_list(
            "level", flat=True
        )
    )
    return inputs


def eligibility_with_inputs(
    enterprise: Enterprise,
    tier: Tier,
    inputs: EligibilityInputs,
    *,
    on: date,
    policy: Policy | None = None,
) -> TierAssessment:
    """The pre-check of `enterprise` for `tier` on the given inputs."""
    from enterprises.assessment import assess_tier
    from enterprises.eligibility import policy_from_settings

    return assess_tier(
        tier,
        enterprise,
        inputs.returns,
        today=on,
        policy=policy or policy_from_settings(),
        has_valid_hnte=inputs.has_valid_hnte,
        institution_levels=inputs.institution_levels,
        revoked_this_year=tier.pk in inputs.revoked_tier_ids,
    )


def eligibility_for(
    enterprise: Enterprise, tier: Tier, *, on: date | None = None
) -> TierAssessment:
    """The one loader of the tier pre-check on stored data: the enterprise
    page, the call pre-check and the nightly snapshot all judge through it."""
    on = on or timezone.localdate()
    inputs = eligibility_inputs(enterprise=enterprise, on=on)
    return eligibility_with_inputs(enterprise, tier, inputs, on=on)


def enterprise_next_tier_assessment(
    *, enterprise: Enterprise, today: date | None = None
) -> TierAssessment | None:
    """The enterprise's next tier up and every condition met or missed."""
    today = today or timezone.localdate()
    inputs = eligibility_inputs(enterprise=enterprise, on=today)
    tier = next_tier(max(inputs.held_ranks, default=None))
    if tier is None:
        return None
    return eligibility_with_inputs(enterprise, tier, inputs, on=today)


def closest_to_qualifying(*, user: AnyUser, tier_code: str) -> QuerySet:
    """Snapshots of enterprises `user` may see, nearest to `tier_code` first."""
    from enterprises.models import EligibilitySnapshot

    return (
        EligibilitySnapshot.objects.filter(
            tier__code=tier_code, enterprise__in=enterprises_visible_to(user)
        )
        .select_related("enterprise__org_unit", "tier")
        .order_by("-eligible", "failed_count", "gap_score", "enterprise__name")
    )


# --- The ladder funnel -------------------------------------------------------


def ladder_funnel(*, user: AnyUser, first_year: int, last_year: int) -> dict[str, Any]:
    """Per tier and year: enterprises awarded and holding the tier at year end;
    and for each cohort (tier T, year N) how many reached each higher tier
    within 1, 2 and 3 years (awarded no earlier than T, by year N + k)."""
    from collections import defaultdict

    tiers = list(Tier.objects.filter(is_active=True).order_by("rank"))
    rows = list(
        Certification.objects.filter(
            enterprise__in=enterprises_visible_to(user)
        ).values_list(
            "enterprise_id", "tier_id", "year", "issued_on", "expires_on", "revoked_on"
        )
    )
    years = list(range(first_year, last_year + 1))
    counts: dict[str, dict[int, dict[str, int]]] = {
        t.code: {y: {"awarded": 0, "held": 0} for y in years} for t in tiers
    }
    code_of = {t.pk: t.code for t in tiers}
    rank_of = {t.pk: t.rank for t in tiers}
    held: dict[tuple[str, int], set[int]] = defaultdict(set)
    awards: dict[int, list[tuple[int, int, date]]] = defaultdict(list)
    for enterprise_id, tier_id, year, issued, expires, revoked in rows:
        if tier_id not in code_of:
            continue
        code = code_of[tier_id]
        awards[enterprise_id].append((tier_id, year, issued))
        if year in counts[code]:
            counts[code][year]["awarded"] += 1
        for y in years:
            end = date(y, 12, 31)
            ended = (expires is not None and expires < end) or (
                revoked is not None and revoked <= end
            )
            if issued <= end and not ended:
                held[(code, y)].add(enterprise_id)
    for (code, y), ids in held.items():
        counts[code][y]["held"] = len(ids)

    conversion = []
    for tier in tiers:
        higher = [t for t in tiers if t.rank > tier.rank]
        for year in years:
            cohort = {
                (e, issued)
                for e, items in awards.items()
                for tier_id, y, issued in items
                if tier_id == tier.pk and y == year
            }
            if not cohort:
                continue
            reached: dict[str, dict[str, int]] = {}
            for target in higher:
                within = {}
                for k in (1, 2, 3):
                    within[str(k)] = sum(
                        1
                        for e, issued in cohort
                        if any(
                            tid == target.pk and y2 <= year + k and iss2 >= issued
                            for tid, y2, iss2 in awards[e]
                        )
                    )
                reached[target.code] = within
            conversion.append(
                {
                    "tier": tier.code,
                    "year": year,
                    "cohort": len(cohort),
                    "reached": reached,
                }
            )
    return {
        "years": years,
        "tiers": [
            {"code": t.code, "name": t.name, "level": t.level, "rank": rank_of[t.pk]}
            for t in tiers
        ],
        "counts": {
            code: {str(y): v for y, v in by_year.items()}
            for code, by_year in counts.items()
        },
        "conversion": conversion,
    }


# --- Home page work queues ---------------------------------------------------


def home_panels(*, user: User, today: date | None = None) -> dict[str, Any]:
    """What each role's home page lists from this app (a few small queries)."""
    from bureau.models import Role
    from bureau.permissions import has_role
    from enterprises.permissions import VISITORS

    today = today or timezone.localdate()
    panels: dict[str, Any] = {}
    if has_role(user, *VISITORS):
        visible = enterprises_visible_to(user)
        panels["to_review"] = {
            "annual": AnnualReturn.objects.filter(
                enterprise__in=visible, status="submitted"
            ).count(),
            "quarterly": QuarterlyReport.objects.filter(
                enterprise__in=visible, status="submitted"
            ).count(),
        }
        panels["overdue_follow_ups"] = list(
            follow_ups_overdue(user=user, today=today)[:10]
        )
        panels["enterprise_count"] = visible.count()
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        from enterprises.monitoring import latest_due_quarter

        year, quarter = latest_due_quarter(today)
        returned: list[AnnualReturn | QuarterlyReport] = [
            *AnnualReturn.objects.filter(
                enterprise_id=user.enterprise_id, status="returned"
            ),
            *QuarterlyReport.objects.filter(
                enterprise_id=user.enterprise_id, status="returned"
            ),
        ]
        panels["returned"] = returned
        panels["quarter_due"] = (
            None
            if QuarterlyReport.objects.filter(
                enterprise_id=user.enterprise_id, year=year, quarter=quarter
            )
            .exclude(status="draft")
            .exists()
            else QuarterlyReport.period_label(year, quarter)
        )
        panels["annual_due"] = (
            None
            if AnnualReturn.objects.filter(
                enterprise_id=user.enterprise_id, year=today.year - 1
            )
            .exclude(status="draft")
            .exists()
            else today.year - 1
        )
    return panels
