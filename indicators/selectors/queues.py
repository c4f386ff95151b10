"""The indicators app's work queues on the role home pages: the leader's
headline indicators against the time-elapsed schedule (序时进度) and the
lagging streets (黑榜), and the figures a street liaison has yet to submit.

The leader's queues are the dashboard's own selector (dashboard()) for the
year the dashboard opens on, so the home page and /dashboard/ agree.
bureau/home/ composes them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone

from bureau.permissions import AnyUser
from indicators.models import DataValue, Indicator
from indicators.permissions import can_view_dashboard, is_street_scoped
from indicators.selectors.dashboard import (
    Dashboard,
    IndicatorBoard,
    dashboard,
    district_years,
)
from indicators.selectors.dashboard_cache import cached_dashboard_part


def dashboard_year(*, today: date | None = None) -> int:
    """The year /dashboard/ opens on without ?year=: the latest with district
    data, else this year."""
    years = district_years()
    return max(years) if years else (today or timezone.localdate()).year


def headline_board(*, user: AnyUser) -> Dashboard | None:
    """The dashboard as `user` sees it in the year it opens on (None for a
    role that may not see it): its boards are the headline indicators, its
    black list the lagging streets."""
    if not can_view_dashboard(user):
        return None
    year = dashboard_year()
    return cached_dashboard_part(
        "headline",
        year=year,
        user=user,
        build=lambda: _slim(dashboard(year=year, user=user)),
    )


def _slim(board: Dashboard) -> Dashboard:
    """What the home page reads of the dashboard: each headline's district
    figure and the black list. Kept in the cache on its own, so that a home
    page does not unpickle every street, peer and trend of the board."""
    return replace(
        board,
        boards=[IndicatorBoard(b.indicator, b.district) for b in board.boards],
        honour_list=[],
    )


@dataclass(frozen=True)
class FigureDue:
    """A street figure the liaison has yet to import for `month` of `year`."""

    indicator: Indicator
    year: int
    month: int


def due_month(today: date) -> tuple[int, int]:
    """The month whose figures are due: the last one ended."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def street_figures_due(*, user: AnyUser, today: date | None = None) -> list[FigureDue]:
    """The imported indicators kept by street with no value for the liaison's
    street for the last month ended (nor for that whole year). Two queries."""
    if not is_street_scoped(user) or user.org_unit_id is None:
        return []
    year, month = due_month(today or timezone.localdate())
    indicators = list(
        Indicator.objects.filter(
            is_active=True,
            source=Indicator.Source.IMPORT,
            kind=Indicator.Kind.RAW,
            district_only=False,
        ).order_by("sort_order", "code")
    )
    entered = set(
        DataValue.objects.filter(
            org_unit_id=user.org_unit_id,
            indicator__in=indicators,
            year=year,
            period_type__in=[DataValue.PeriodType.MONTH, DataValue.PeriodType.YEAR],
            period__in=[month, 0],
        ).values_list("indicator_id", flat=True)
    )
    return [
        FigureDue(indicator, year, month)
        for indicator in indicators
        if indicator.pk not in entered
    ]
