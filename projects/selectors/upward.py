"""Reads of the projects won from higher levels: the lists of the 向上争取项目
pages and API, the applications a call may still recommend, the reserve,
and the figures of 向上争资 and 立项命中率 (by street for the computed
indicators, by level for the work summary).

A project counts in the year of its call (`Call.year`), the same year the
work summary and the indicators use for the district's own programmes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from bureau.permissions import AnyUser
from projects.models import (
    Application,
    Call,
    Programme,
    Recommendation,
    ReserveProject,
    UpwardProject,
)
from projects.permissions import reserve_visible_to, upward_projects_visible_to

U = UpwardProject.State
# Approved by the higher level, whatever happened after (running, accepted
# or failed at acceptance): the numerator of 立项命中率.
APPROVED_STATES = (U.APPROVED, U.ACCEPTED, U.FAILED)
# The application states from which the bureau may recommend upward: filed
# and not yet decided or withdrawn.
RECOMMENDABLE_STATES = (Application.State.SUBMITTED, Application.State.UNDER_REVIEW)
HIGHER_LEVELS = (
    Programme.Level.NATIONAL,
    Programme.Level.PROVINCIAL,
    Programme.Level.MUNICIPAL,
)


def hit_rate(approved: int, recommended: int) -> Decimal | None:
    """立项命中率 as a fraction (approved upward ÷ recommended upward), to
    four places; None when nothing was recommended."""
    if not recommended:
        return None
    return (Decimal(approved) / Decimal(recommended)).quantize(Decimal("0.0001"))


def upward_project_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[UpwardProject]:
    """The higher-level projects `user` may see, filtered by `filters`: q
    (title, enterprise, document numbers), state, level, year, org_unit,
    recommendation (id)."""
    filters = filters or {}
    qs = upward_projects_visible_to(user).select_related(
        "application__enterprise__org_unit",
        "application__call__programme",
        "recommendation",
    )
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(application__title__icontains=q)
            | Q(application__enterprise__name__icontains=q)
            | Q(higher_document_number__icontains=q)
            | Q(recommendation__document_number__icontains=q)
        )
    if state := filters.get("state"):
        qs = qs.filter(state=state)
    if level := filters.get("level"):
        qs = qs.filter(application__call__programme__level=level)
    if year := filters.get("year"):
        qs = qs.filter(application__call__year=year)
    if unit := filters.get("org_unit"):
        qs = qs.filter(application__enterprise__org_unit=unit)
    if batch := filters.get("recommendation"):
        qs = qs.filter(recommendation=batch)
    return qs


def recommendable_applications(*, call: Call) -> QuerySet[Application]:
    """The call's filed applications not yet recommended upward."""
    return (
        Application.objects.filter(call=call, state__in=RECOMMENDABLE_STATES)
        .filter(upward__isnull=True)
        .select_related("enterprise__org_unit")
        .order_by("enterprise__name", "id")
    )


def higher_level_calls() -> QuerySet[Call]:
    """Published calls of programmes above the district, newest first."""
    return (
        Call.objects.filter(
            programme__level__in=HIGHER_LEVELS, published_at__isnull=False
        )
        .select_related("programme")
        .order_by("-year", "-opens_at")
    )


def recommendation_list() -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.select_related("call__programme")
        .annotate(
            n_projects=Count("projects"),
            n_approved=Count("projects", filter=Q(projects__state__in=APPROVED_STATES)),
        )
        .order_by("-recommended_on", "-id")
    )


def reserve_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[ReserveProject]:
    """The reserve `user` may see: q (title, enterprise), status, level,
    year (expected)."""
    filters = filters or {}
    qs = reserve_visible_to(user).select_related(
        "enterprise__org_unit", "target_programme", "application"
    )
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if level := filters.get("level"):
        qs = qs.filter(target_level=level)
    if year := filters.get("year"):
        qs = qs.filter(expected_year=year)
    return qs


def open_calls_for_reserve(*, reserve: ReserveProject) -> QuerySet[Call]:
    """The calls accepting applications that `reserve` may be promoted into:
    of its target programme, or of any programme of its target level."""
    from django.utils import timezone

    now = timezone.now()
    qs = Call.objects.filter(
        published_at__isnull=False, opens_at__lte=now, closes_at__gt=now
    ).select_related("programme")
    if reserve.target_programme_id:
        return qs.filter(programme_id=reserve.target_programme_id)
    return qs.filter(programme__level=reserve.target_level)


# --- Figures: the computed indicators (by street) ------------------------------


def _by_street(qs: QuerySet[UpwardProject], value: Any) -> dict[int | None, Any]:
    return dict(
        qs.values_list("application__enterprise__org_unit")
        .annotate(v=value)
        .values_list("application__enterprise__org_unit", "v")
    )


def upward_funds_by_street(*, year: int) -> dict[int | None, Decimal]:
    """向上争资: funds from above (元) of the projects approved upward among
    `year`'s calls, by the enterprise's street."""
    qs = UpwardProject.objects.filter(
        application__call__year=year, state__in=APPROVED_STATES
    )
    return {
        unit: total or Decimal(0)
        for unit, total in _by_street(qs, Sum("funds_from_above")).items()
    }


def upward_recommended_by_street(*, year: int) -> dict[int | None, int]:
    """Applications of `year`'s calls recommended upward, by street (the
    denominator of 立项命中率)."""
    qs = UpwardProject.objects.filter(application__call__year=year)
    return _by_street(qs, Count("id"))


def upward_approved_by_street(*, year: int) -> dict[int | None, int]:
    """Of those, the ones the higher level approved (the numerator)."""
    qs = UpwardProject.objects.filter(
        application__call__year=year, state__in=APPROVED_STATES
    )
    return _by_street(qs, Count("id"))


def funds_from_above_total(*, year: int) -> Decimal:
    """Funds from above (元) recorded for `year`'s approved projects, all
    streets (the PROJECT_FUNDS indicator)."""
    return sum(upward_funds_by_street(year=year).values(), Decimal(0))


# --- Figures: the work summary ------------------------------------------------


def upward_figures(year: int) -> dict[str, Any]:
    """What the work summary prints about projects won from higher levels
    for `year` (the year of the calls): per level (national, provincial,
    municipal) the applications recommended and approved and the funds from
    above; in all the funds from above and local match (元), the hit rate (a
    fraction, None with nothing recommended), the pending decisions; and the
    running projects of any year: in progress, mid-term checked this year,
    accepted this year."""
    levels = {key: str(Programme.Level(key).label) for key in HIGHER_LEVELS}
    per_level: dict[str, dict[str, Any]] = {
        key: {
            "label": label,
            "recommended": 0,
            "approved": 0,
            "funds_from_above": Decimal(0),
        }
        for key, label in levels.items()
    }
    rows = (
        UpwardProject.objects.filter(application__call__year=year)
        .values_list("application__call__programme__level")
        .annotate(
            recommended=Count("id"),
            approved=Count("id", filter=Q(state__in=APPROVED_STATES)),
            pending=Count("id", filter=Q(state=U.RECOMMENDED)),
            funds=Sum("funds_from_above", filter=Q(state__in=APPROVED_STATES)),
            match=Sum("local_match", filter=Q(state__in=APPROVED_STATES)),
        )
        .values_list(
            "application__call__programme__level",
            "recommended",
            "approved",
            "pending",
            "funds",
            "match",
        )
    )
    pending = 0
    local_match = Decimal(0)
    for level, recommended, approved, waiting, funds, match in rows:
        if level not in per_level:
            continue
        per_level[level]["recommended"] += recommended
        per_level[level]["approved"] += approved
        per_level[level]["funds_from_above"] += funds or Decimal(0)
        pending += waiting
        local_match += match or Decimal(0)
    recommended = sum(row["recommended"] for row in per_level.values())
    approved = sum(row["approved"] for row in per_level.values())
    running = UpwardProject.objects.aggregate(
        running=Count("id", filter=Q(state=U.APPROVED)),
        midterm=Count("id", filter=Q(midterm_on__year=year)),
        accepted=Count("id", filter=Q(state=U.ACCEPTED, acceptance_on__year=year)),
        new_output_value=Sum(
            "new_output_value", filter=Q(state=U.ACCEPTED, acceptance_on__year=year)
        ),
        new_jobs=Sum("new_jobs", filter=Q(state=U.ACCEPTED, acceptance_on__year=year)),
    )
    return {
        "year": year,
        "levels": per_level,
        "recommended": recommended,
        "approved": approved,
        "pending": pending,
        "hit_rate": hit_rate(approved, recommended),
        "funds_from_above": sum(
            (row["funds_from_above"] for row in per_level.values()), Decimal(0)
        ),
        "local_match": local_match,
        "running": running["running"],
        "midterm_checked": running["midterm"],
        "accepted": running["accepted"],
        "new_output_value": running["new_output_value"] or Decimal(0),
        "new_jobs": running["new_jobs"] or 0,
    }
