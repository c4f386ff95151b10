"""Reads of the R&D statistics ledger: the units as each user may see them,
the progress by street, the computed indicators' counts and the figures a
work summary prints."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from bureau.models import OrgUnit
from bureau.permissions import AnyUser
from indicators.ledgers import REPORTING
from indicators.models import RDReportingUnit
from indicators.permissions import rd_units_visible_to, visible_units

# The units each computed measure counts (the database form of the rules in
# indicators.ledgers).
_REPORTING = Q(status__in=REPORTING)
_NEW = _REPORTING & (Q(last_year_amount__isnull=True) | Q(last_year_amount=0))
_ACTIVE = _REPORTING & Q(amount__gt=0)
MEASURES = {
    "reporting": _REPORTING,
    "new_reporting": _NEW,
    "above_active": Q(is_above_scale=True) & _ACTIVE,
    "above_units": Q(is_above_scale=True),
}


@dataclass(frozen=True)
class RDFilters:
    year: int
    q: str = ""
    street: str = ""  # an org unit code
    status: str = ""
    above_scale: bool | None = None


def rd_unit_list(*, user: AnyUser, filters: RDFilters) -> QuerySet[RDReportingUnit]:
    """The ledger rows of the year that `user` may see, filtered."""
    qs = rd_units_visible_to(user).filter(year=filters.year)
    if filters.street:
        qs = qs.filter(org_unit__code=filters.street)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.above_scale is not None:
        qs = qs.filter(is_above_scale=filters.above_scale)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(unit_name__icontains=term) | Q(credit_code__icontains=term.upper())
        )
    return qs.select_related("org_unit").order_by("org_unit__code", "unit_name", "id")


def rd_ledger_years() -> list[int]:
    """The years that have a ledger, newest first."""
    return sorted(
        set(
            RDReportingUnit.objects.order_by().values_list("year", flat=True).distinct()
        ),
        reverse=True,
    )


def rd_default_year() -> int:
    """The ledger a page or the API opens on without a year: the current
    year's when it has rows, else the newest ledger, else last year (R&D is
    reported for the year just ended)."""
    years = rd_ledger_years()
    current = timezone.localdate().year
    if current in years:
        return current
    return years[0] if years else current - 1


@dataclass(frozen=True)
class StreetProgress:
    code: str
    name: str
    expected: int
    reported: int
    verified: int
    no_activity: int
    pending: int
    amount: Decimal

    @property
    def share(self) -> Decimal | None:
        """The fraction of the expected units that have reported or said
        they have no R&D (what is left to chase is `pending`)."""
        if not self.expected:
            return None
        return Decimal(self.expected - self.pending) / self.expected


def rd_progress(*, user: AnyUser, year: int) -> list[StreetProgress]:
    """Per street that `user` may see: units expected, reported, verified,
    without R&D, still pending, and the amount reported (元). One query."""
    rows = (
        rd_units_visible_to(user)
        .filter(year=year)
        .values("org_unit__code", "org_unit__name")
        .annotate(
            expected=Count("id"),
            reported=Count("id", filter=Q(status=RDReportingUnit.Status.REPORTED)),
            verified=Count("id", filter=Q(status=RDReportingUnit.Status.VERIFIED)),
            no_activity=Count(
                "id", filter=Q(status=RDReportingUnit.Status.NO_ACTIVITY)
            ),
            pending=Count("id", filter=Q(status=RDReportingUnit.Status.PENDING)),
            total=Sum("amount", filter=_REPORTING),
        )
        .order_by("org_unit__code")
    )
    return [
        StreetProgress(
            code=row["org_unit__code"],
            name=row["org_unit__name"],
            expected=row["expected"],
            reported=row["reported"],
            verified=row["verified"],
            no_activity=row["no_activity"],
            pending=row["pending"],
            amount=row["total"] or Decimal(0),
        )
        for row in rows
    ]


def rd_units_by_street(*, year: int, measure: str) -> dict[int | None, int]:
    """How many of `year`'s ledger units count in `measure` (a key of
    MEASURES), per street."""
    return {
        row["org_unit"]: row["n"]
        for row in RDReportingUnit.objects.filter(MEASURES[measure], year=year)
        .values("org_unit")
        .annotate(n=Count("id"))
    }


def rd_statistics_figures(year: int) -> dict[str, Any]:
    """What a work summary prints about `year`'s R&D statistics: units
    expected, reporting, newly reporting and without R&D, the amount reported
    (元), and the 规上 coverage (a fraction, None without 规上 units):
    {"year", "expected", "reporting", "new_reporting", "no_activity",
    "pending", "amount", "above_units", "above_active", "above_coverage"}."""
    counts = RDReportingUnit.objects.filter(year=year).aggregate(
        expected=Count("id"),
        no_activity=Count("id", filter=Q(status=RDReportingUnit.Status.NO_ACTIVITY)),
        pending=Count("id", filter=Q(status=RDReportingUnit.Status.PENDING)),
        total=Sum("amount", filter=_REPORTING),
        **{key: Count("id", filter=condition) for key, condition in MEASURES.items()},
    )
    above = counts["above_units"]
    return {
        "year": year,
        "expected": counts["expected"],
        "reporting": counts["reporting"],
        "new_reporting": counts["new_reporting"],
        "no_activity": counts["no_activity"],
        "pending": counts["pending"],
        "amount": (counts["total"] or Decimal(0)).quantize(Decimal("0.01")),
        "above_units": above,
        "above_active": counts["above_active"],
        "above_coverage": Decimal(counts["above_active"]) / above if above else None,
    }


def street_choices(*, user: AnyUser) -> QuerySet[OrgUnit]:
    """The streets and parks a ledger filter offers `user` (a liaison only
    their own)."""
    return (
        visible_units(user)
        .filter(level__in=[OrgUnit.Level.STREET, OrgUnit.Level.PARK], is_active=True)
        .order_by("code")
    )
