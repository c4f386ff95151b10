"""The enterprises app's work queues on the role home pages: filings to
review, returned or due, overdue follow-ups and expiring certificates.

Each queue is the same queryset, with the same filters, as the list page it
links to (the filing lists, the enterprise list), so the count on the home
page is the number of rows on that list. bureau/home/ composes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from django.db.models import QuerySet
from django.utils import timezone

from bureau.models import Role, User
from bureau.permissions import AnyUser, has_role
from enterprises.models import (
    AnnualReturn,
    Enterprise,
    FilingStatus,
    FollowUp,
    QuarterlyReport,
)
from enterprises.monitoring import latest_due_quarter
from enterprises.selectors.registry import (
    CurrentTier,
    EnterpriseFilters,
    enterprise_list,
    follow_ups_overdue,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The two kinds of filing, as the filing lists' URLs name them.
FILING_KINDS = ("annual", "quarterly")


def filings_in_state(
    *, user: AnyUser, kind: str, status: str, org_unit_id: int | None = None
) -> QuerySet[AnnualReturn] | QuerySet[QuarterlyReport]:
    """The filings of `kind` (annual, quarterly) that `user` sees in `status`
    (and, for a street liaison's link, of the enterprises of `org_unit_id`):
    the very queryset the filing list builds for
    `?state=<status>&street=<org_unit_id>`, so a count cannot disagree."""
    from enterprises.selectors.filings import FilingFilters, filing_list

    filters = FilingFilters(state=status, street=org_unit_id)
    if kind == "annual":
        return filing_list(user=user, model=AnnualReturn, filters=filters)
    return filing_list(user=user, model=QuarterlyReport, filters=filters)


@dataclass(frozen=True)
class DueFiling:
    """A report an enterprise has yet to hand in: not started, or a draft."""

    kind: str  # annual | quarterly
    year: int
    quarter: int | None
    label: str
    draft_id: int | None  # the draft to finish, when one is started


def filings_due(*, user: User, today: date | None = None) -> list[DueFiling]:
    """The enterprise's reports whose period is due and that it has not
    handed in: the latest due quarter's report, last year's annual return.
    (Returned ones are `filings_in_state(status=returned)`.) Two queries."""
    if not (has_role(user, Role.ENTERPRISE) and user.enterprise_id):
        return []
    today = today or timezone.localdate()
    year, quarter = latest_due_quarter(today)
    due: list[DueFiling] = []
    quarterly = (
        QuarterlyReport.objects.filter(
            enterprise_id=user.enterprise_id, year=year, quarter=quarter
        )
        .values_list("pk", "status")
        .first()
    )
    if quarterly is None or quarterly[1] == FilingStatus.DRAFT:
        due.append(
            DueFiling(
                "quarterly",
                year,
                quarter,
                QuarterlyReport.period_label(year, quarter),
                quarterly[0] if quarterly else None,
            )
        )
    annual = (
        AnnualReturn.objects.filter(
            enterprise_id=user.enterprise_id, year=today.year - 1
        )
        .values_list("pk", "status")
        .first()
    )
    if annual is None or annual[1] == FilingStatus.DRAFT:
        due.append(
            DueFiling(
                "annual",
                today.year - 1,
                None,
                str(today.year - 1),
                annual[0] if annual else None,
            )
        )
    return due


def recent_due_quarters(
    *, today: date | None = None, count: int = 4
) -> list[tuple[str, str]]:
    """The last `count` quarters whose reports are due, newest first, as
    (code, label): ("2026Q3", "2026年第三季度")."""
    year, quarter = latest_due_quarter(today or timezone.localdate())
    quarters = []
    for _step in range(count):
        quarters.append(
            (f"{year}Q{quarter}", QuarterlyReport.period_label(year, quarter))
        )
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return quarters


def not_filed_enterprises(
    *, user: AnyUser, today: date | None = None
) -> tuple[str, str, QuerySet[Enterprise]]:
    """The latest due quarter (its code and label) and the enterprises
    `user` sees that have not handed in its report: the enterprise list with
    `?not_filed=<code>`."""
    year, quarter = latest_due_quarter(today or timezone.localdate())
    qs = enterprise_list(
        user=user, filters=EnterpriseFilters(not_filed=(year, quarter)), today=today
    )
    return f"{year}Q{quarter}", QuarterlyReport.period_label(year, quarter), qs


def overdue_follow_ups(*, user: User, today: date | None = None) -> QuerySet[FollowUp]:
    """`user`'s own open follow-ups past their due date, newest due first."""
    return follow_ups_overdue(user=user, today=today).order_by("-due_on", "-id")


def expiry_warning_days(today: date | None = None) -> int:
    """The warning window of certificates, in days from `today`: up to the
    last expiry in its warning period, which starts a set number of days
    before the renewal's application window (enterprises.renewals)."""
    from enterprises.renewals import warning_until

    today = today or timezone.localdate()
    return (warning_until(today) - today).days


def expiring_enterprises(
    *, user: AnyUser, today: date | None = None
) -> QuerySet[WithAnnotations[Enterprise, CurrentTier]]:
    """The enterprises whose current certificate expires within the warning
    window: the enterprise list with `?expiring_within=<days>` (which orders
    them by name; the home page shows the soonest first), with their tier."""
    qs = enterprise_list(
        user=user,
        filters=EnterpriseFilters(expiring_within=expiry_warning_days(today)),
        today=today,
    )
    return cast("QuerySet[WithAnnotations[Enterprise, CurrentTier]]", qs)
