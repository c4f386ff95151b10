"""Reads of the projects app."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum

from bureau.models import Role
from projects.models import Application, Call, Disbursement, ReviewAssignment
from projects.permissions import applications_visible_to


@dataclass
class CallEligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)


def call_eligibility(*, call: Call, enterprise: Any) -> CallEligibility:
    """Whether `enterprise` may apply, and if not which condition it misses."""
    from enterprises.models import Certification

    reasons = []
    tiers = list(call.eligible_tiers.all())
    if tiers:
        held = set(
            Certification.objects.current()
            .filter(enterprise=enterprise)
            .values_list("tier_id", flat=True)
        )
        if not held & {t.pk for t in tiers}:
            reasons.append("须为以下梯队企业之一：" + "、".join(t.name for t in tiers))
    if call.precheck_tier_id:
        from enterprises.selectors import eligibility_for

        result = eligibility_for(enterprise, call.precheck_tier)
        if result.result is None:
            reasons.append(result.note)
        else:
            reasons.extend(c["message"] for c in result.failed)
    return CallEligibility(eligible=not reasons, reasons=reasons)


def application_list(
    *, user: Any, filters: dict[str, Any] | None = None
) -> QuerySet[Application]:
    filters = filters or {}
    qs = applications_visible_to(user).select_related("call__programme", "enterprise")
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("call"):
        qs = qs.filter(call_id=filters["call"])
    if filters.get("enterprise"):
        qs = qs.filter(enterprise_id=filters["enterprise"])
    return qs.order_by("-created_at", "-id")


# States in which each role has the next move (the work queue).
QUEUES = {
    Role.STAFF: [
        Application.State.SUBMITTED,
        Application.State.APPROVED,
        Application.State.CONTRACTED,
        Application.State.MIDTERM_PASSED,
    ],
    Role.SECTION_HEAD: [Application.State.UNDER_REVIEW, Application.State.SUBMITTED],
    Role.ENTERPRISE: [Application.State.DRAFT, Application.State.RETURNED],
}


def work_queue(*, user: Any) -> QuerySet[Application]:
    states = QUEUES.get(user.role, [])
    return (
        application_list(user=user)
        .filter(state__in=states)
        .order_by("state_changed_at", "id")
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
    One query, whatever the size of the call."""
    rows = (
        Application.objects.filter(call=call)
        .exclude(state__in=[Application.State.DRAFT, Application.State.WITHDRAWN])
        .annotate(
            reviews=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False)
            ),
            average=Avg(
                "assignments__weighted_score",
                filter=Q(assignments__submitted_at__isnull=False),
            ),
        )
        .values("id", "title", "enterprise__name", "state", "reviews", "average")
        .order_by("-average", "id")
    )
    ranked: list[RankedApplication] = []
    previous, rank = None, 0
    for position, row in enumerate(r for r in rows if r["average"] is not None):
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
        for r in rows
        if r["average"] is None
    ]
    return ranked


def assignments_for_expert(*, user: Any) -> QuerySet[ReviewAssignment]:
    return (
        ReviewAssignment.objects.filter(
            expert__user=user, application__call__panel_closed_at__isnull=True
        )
        .select_related("application__call", "application__enterprise")
        .order_by("submitted_at", "assigned_at")
    )


def ledger(
    *, year: int | None = None, programme: int | None = None, call: int | None = None
) -> list[dict[str, Any]]:
    """Approved, paid, withheld and still planned money per call."""
    apps = Application.objects.filter(approved_amount__isnull=False)
    money = Disbursement.objects.all()
    if year:
        apps, money = (
            apps.filter(call__year=year),
            money.filter(application__call__year=year),
        )
    if programme:
        apps = apps.filter(call__programme_id=programme)
        money = money.filter(application__call__programme_id=programme)
    if call:
        apps, money = apps.filter(call_id=call), money.filter(application__call_id=call)
    approved = {
        r["call_id"]: r
        for r in apps.values(
            "call_id", "call__title", "call__year", "call__programme__name"
        ).annotate(projects=Count("id"), approved=Sum("approved_amount"))
    }
    flows: dict[int, dict[str, Decimal]] = {}
    # Planned tranches of terminated or failed projects will not be paid.
    ended = [Application.State.TERMINATED, Application.State.FAILED_ACCEPTANCE]
    for r in (
        money.exclude(status="planned", application__state__in=ended)
        .values("application__call_id", "status")
        .annotate(total=Sum("amount"))
    ):
        flows.setdefault(r["application__call_id"], {})[r["status"]] = r["total"]
    rows = []
    for call_id, r in sorted(
        approved.items(), key=lambda kv: (-kv[1]["call__year"], kv[0])
    ):
        f = flows.get(call_id, {})
        approved = r["approved"] or Decimal(0)
        paid = f.get("paid", Decimal(0))
        withheld = f.get("withheld", Decimal(0))
        planned = f.get("planned", Decimal(0))
        rows.append(
            {
                "call_id": call_id,
                "call": r["call__title"],
                "year": r["call__year"],
                "programme": r["call__programme__name"],
                "projects": r["projects"],
                "approved": approved,
                "paid": paid,
                "withheld": withheld,
                "planned": planned,
                # Not yet in a contract, or no longer payable (terminated, failed).
                "unscheduled": approved - paid - withheld - planned,
            }
        )
    return rows
