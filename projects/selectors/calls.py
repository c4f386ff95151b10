"""Reads about calls: may an enterprise apply, and the ranking of a call."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.permissions import AnyUser
from enterprises.selectors import eligibility_for, tiers_held
from projects.models import Application, Call
from projects.permissions import applications_visible_to, calls_visible_to

if TYPE_CHECKING:
    from enterprises.assessment import TierAssessment
    from enterprises.models import Enterprise


def call_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[Call]:
    """The calls `user` may see, by `status` (draft, open, closed) and `year`."""
    filters = filters or {}
    qs = calls_visible_to(user).prefetch_related("eligible_tiers", "criteria")
    now = timezone.now()
    wanted = filters.get("status")
    if wanted == Call.Status.DRAFT:
        qs = qs.filter(published_at__isnull=True)
    elif wanted == Call.Status.OPEN:
        qs = qs.filter(published_at__isnull=False, closes_at__gt=now)
    elif wanted == Call.Status.CLOSED:
        qs = qs.filter(published_at__isnull=False, closes_at__lte=now)
    if filters.get("year") is not None:
        qs = qs.filter(year=filters["year"])
    return qs


@dataclass
class CallEligibility:
    """May the enterprise apply: `reasons` bar it: the missed conditions (✗)
    and those pending on figures it has not filed; `pending` are the
    conditions to be verified by a person (？: the expert score, credit and
    incident checks …), which do not; `assessment` is the pre-check itself."""

    eligible: bool
    reasons: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    assessment: TierAssessment | None = None


def call_eligibility(*, call: Call, enterprise: Enterprise | None) -> CallEligibility:
    """Whether `enterprise` may apply, and if not which condition it misses
    (an enterprise user's account without an enterprise may not apply)."""
    if enterprise is None:
        return CallEligibility(
            eligible=False,
            reasons=[_("This account is not linked to an enterprise.")],
        )
    reasons = []
    tiers = list(call.eligible_tiers.all())
    if tiers:
        held = tiers_held(enterprise=enterprise)
        if not held & {t.pk for t in tiers}:
            reasons.append(
                _("Must be an enterprise of one of these tiers: %(tiers)s")
                % {"tiers": "、".join(t.name for t in tiers)}
            )
    assessment = None
    pending: list[str] = []
    if call.precheck_tier is not None:
        # The same verdicts as the enterprise page and the API. Figures the
        # enterprise has not filed bar it (it can file them); a person's
        # judgement or check does not (the bureau makes it during review).
        assessment = eligibility_for(enterprise, call.precheck_tier)
        if assessment.result is None:
            reasons.append(assessment.note)
        else:
            reasons.extend(c["message"] for c in assessment.failed)
            reasons.extend(c["message"] for c in assessment.pending_data)
            pending.extend(c["message"] for c in assessment.pending_checks)
    return CallEligibility(
        eligible=not reasons, reasons=reasons, pending=pending, assessment=assessment
    )


@dataclass
class RankedApplication:
    rank: int | None
    application_id: int
    title: str
    enterprise: str
    state: str
    reviews: int
    average: Decimal | None


def call_ranking(*, call: Call) -> list[RankedApplication]:
    """Applications of a call by the average of their experts' weighted
    scores; ties share a rank and the next is skipped; unreviewed ones last.
    One query, whatever the size of the call.

    Scores are sealed until the panel closes (DESIGN: "sealed scores until
    the panel closes"): while it is open no average is computed, no rank
    given and the rows keep the order of submission, so neither a number nor
    the order can tell how the experts scored."""
    sealed = call.panel_closed_at is None
    rows = (
        Application.objects.filter(call=call)
        .exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
        .annotate(
            reviews=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False)
            ),
        )
    )
    if sealed:
        return [
            RankedApplication(
                None,
                r["id"],
                r["title"],
                r["enterprise__name"],
                r["state"],
                r["reviews"],
                None,
            )
            for r in rows.values(
                "id", "title", "enterprise__name", "state", "reviews"
            ).order_by("id")
        ]
    rows = rows.annotate(
        average=Avg(
            "assignments__weighted_score",
            filter=Q(assignments__submitted_at__isnull=False),
        ),
    )
    values = list(
        rows.values(
            "id", "title", "enterprise__name", "state", "reviews", "average"
        ).order_by("-average", "id")
    )
    ranked: list[RankedApplication] = []
    previous, rank = None, 0
    for position, row in enumerate(r for r in values if r["average"] is not None):
        average = Decimal(row["average"]).quantize(Decimal("0.01"))
        if average != previous:
            rank, previous = position + 1, average
        ranked.append(
            RankedApplication(
                rank,
                row["id"],
                row["title"],
                row["enterprise__name"],
                row["state"],
                row["reviews"],
                average,
            )
        )
    ranked += [
        RankedApplication(
            None, r["id"], r["title"], r["enterprise__name"], r["state"], 0, None
        )
        for r in values
        if r["average"] is None
    ]
    return ranked


def applications_by_state(*, user: AnyUser) -> list[dict[str, Any]]:
    """How many of the applications `user` may see are in each state, in
    the workflow's order (states with none are left out): one query."""
    counts = dict(
        applications_visible_to(user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return [
        {"state": code, "label": label, "n": counts[code]}
        for code, label in Application.State.choices
        if counts.get(code)
    ]
