"""Reads of the enterprises app about the register: the list and one
enterprise (scoped to the caller), its timeline and follow-ups (the home
page's queues are in queues.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.models import User
from bureau.permissions import AnyUser
from enterprises.models import (
    AnnualReturn,
    Certification,
    Enterprise,
    FilingStatus,
    FollowUp,
    QuarterlyReport,
    Tier,
    Visit,
)
from enterprises.permissions import enterprises_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CurrentTier(TypedDict):
    """The annotations with_current_tier adds to each enterprise."""

    current_tier: str | None
    current_tier_name: str | None
    current_tier_rank: int | None
    current_tier_expires_on: date | None
    current_echelon: int | None


def with_current_tier(
    qs: QuerySet[Enterprise], *, today: date | None = None
) -> QuerySet[WithAnnotations[Enterprise, CurrentTier]]:
    """Annotate the highest tier in force: current_tier (code), current_tier_name,
    current_tier_rank, current_tier_expires_on and current_echelon.

    Read from the columns kept on the enterprise (enterprises.services.
    current_tier), so a row costs one join to the small tier table and no
    subquery: a deep page or a count costs what a shallow one does. `today`
    is accepted for the callers that pass it; the columns hold what is in
    force today (the nightly job moves them past expiries)."""
    del today
    return qs.annotate(
        current_tier=F("held_tier__code"),
        current_tier_name=F("held_tier__name"),
        current_tier_rank=F("held_tier__rank"),
        current_tier_expires_on=F("held_tier_expires_on"),
        current_echelon=F("held_echelon"),
    )


@dataclass
class EnterpriseFilters:
    tier: str = ""  # a tier code, or "none"
    kind: str = ""  # an Enterprise.Kind: only organisations of that type
    org_unit: str = ""  # a street or park code
    high_tech_field: str = ""
    is_above_scale: bool | None = None
    expiring_within: int | None = None  # days
    q: str = ""
    # A quarter (year, quarter): those with no report handed in for it (none,
    # or a draft) — a street liaison's "not filed yet" queue.
    not_filed: tuple[int, int] | None = None
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
    qs = with_current_tier(enterprises_visible_to(user).select_related("org_unit"))
    if filters.tier == "none":
        qs = qs.filter(held_tier__isnull=True)
    elif filters.tier:
        qs = qs.filter(held_tier__code=filters.tier)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.org_unit:
        qs = qs.filter(org_unit__code=filters.org_unit)
    if filters.high_tech_field:
        qs = qs.filter(high_tech_field=filters.high_tech_field)
    if filters.is_above_scale is not None:
        qs = qs.filter(is_above_scale=filters.is_above_scale)
    if filters.expiring_within is not None:
        # The certificate shown as the current tier (a 高企 also holding a
        # yearly 科小 number is not "expiring" on the 科小 date): a range
        # over the indexed column.
        until = today + timedelta(days=filters.expiring_within)
        qs = qs.filter(held_tier_expires_on__range=(today, until))
    if filters.not_filed is not None:
        year, quarter = filters.not_filed
        handed_in = QuarterlyReport.objects.filter(
            enterprise=OuterRef("pk"), year=year, quarter=quarter
        ).exclude(status=FilingStatus.DRAFT)
        # Quarterly reports are the enterprises' (a university files none).
        qs = qs.filter(~Exists(handed_in), kind=Enterprise.Kind.ENTERPRISE)
    if filters.q:
        # On PostgreSQL both conditions use the trigram GIN indexes on
        # UPPER(name) and UPPER(credit_code) (migration 0012); elsewhere a
        # plain scan.
        term = filters.q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code__icontains=term))
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


def enterprise_timeline(
    *,
    enterprise: Enterprise,
    certifications: list[Certification] | None = None,
    returns: list[AnnualReturn] | None = None,
) -> list[TimelineEntry]:
    """Tiers, returns, quarterly reports and visits, newest first. The
    enterprise's certifications (with their tiers) and annual returns, when
    the caller has read them already, are not read again."""
    entries: list[TimelineEntry] = []
    if certifications is None:
        certifications = list(enterprise.certifications.select_related("tier"))
    for c in certifications:
        title = (
            c.tier.name
            + (f"（{c.get_echelon_display()}）" if c.echelon else "")
            + f" · {c.award_kind_display}"
        )
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
                    _("%(tier)s: %(term)s")
                    % {"tier": c.tier.name, "term": c.tier.cancelled_label},
                    c.revocation_reason,
                )
            )
    annual = returns
    if annual is None:
        annual = list(
            AnnualReturn.objects.filter(enterprise=enterprise).only(
                "year", "status", "submitted_at", "created_at"
            )
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
