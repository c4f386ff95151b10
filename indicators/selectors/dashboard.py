"""Reads of the indicators app: values as of a month, progress against
targets and schedule, growth, ranks among streets and peer districts, the
red/black list, and the leadership dashboard. A constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bureau.models import OrgUnit
from indicators.calc import Period, Spec, aggregate, growth, progress, rank, ratio
from indicators.models import DataValue, Indicator, Target
from indicators.permissions import is_street_scoped
from indicators.selectors.dashboard_cache import cached_dashboard_part
from indicators.selectors.dashboard_sql import GroupKey, aggregated_values
from indicators.selectors.groups import default_peer_set, ranked_peers

if TYPE_CHECKING:
    from bureau.permissions import AnyUser

Key = tuple[int, int, int]  # indicator id, org unit id, year


@dataclass
class Figure:
    """One indicator for one org unit in the dashboard year."""

    code: str
    name: str
    value: Decimal | None = None
    target: Decimal | None = None
    progress: Decimal | None = None
    schedule: Decimal | None = None
    yoy: Decimal | None = None
    as_of_month: int = 0
    rank: int | None = None
    status: str | None = None  # green | amber | red (behind schedule)


class ListedStreet(TypedDict):
    """A street on the red or black list for one indicator."""

    indicator: str
    code: str
    unit: str
    progress: Decimal
    schedule: Decimal
    gap: Decimal


@dataclass
class IndicatorBoard:
    indicator: Indicator
    district: Figure
    streets: list[Figure] = field(default_factory=list)
    peers: list[Figure] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)
    yoy_is_points: bool = False


@dataclass
class Dashboard:
    year: int
    home: OrgUnit | None
    boards: list[IndicatorBoard]
    data_as_of: Any
    honour_list: list[ListedStreet]
    black_list: list[ListedStreet]
    # The comparison group the peers are (None: all the city's districts).
    group: str | None = None


def _thresholds() -> tuple[Decimal, Decimal]:
    conf = settings.INDICATOR_LISTS
    return Decimal(conf["amber_tolerance"]), Decimal(conf["honour_margin"])


class Book:
    """Values and targets loaded once; figures computed from them. This
    base reads the value rows themselves (calc.aggregate over each
    indicator's periods); AggregatedBook reads rows summed in SQL."""

    def __init__(
        self,
        indicators: list[Indicator],
        values: list[tuple],
        targets: dict[Key, Decimal],
    ):
        self.by_id = {i.pk: i for i in indicators}
        self.values: dict[Key, dict[Period, Decimal]] = defaultdict(dict)
        for indicator_id, unit_id, year, kind, number, value in values:
            self.values[(indicator_id, unit_id, year)][(kind, number)] = value
        self.targets = targets
        # A value is asked for again and again (a ratio's parts, last year's
        # value as of the same month, the trend): computed once each.
        self._memo: dict[tuple[int, int, int, int], tuple[Decimal | None, int]] = {}
        # Read once per book, not once per figure.
        self._specs: dict[int, Spec] = {}
        self._shares: dict[tuple[int, int], Decimal] = {}
        self._facts: dict[tuple[int, int], tuple[bool, bool, bool, bool]] = {}
        self.today = timezone.localdate()
        self.tolerance = _thresholds()[0]

    def spec(self, indicator: Indicator) -> Spec:
        found = self._specs.get(indicator.id)
        if found is None:
            found = Spec(aggregation=indicator.aggregation, ytd=indicator.ytd)
            self._specs[indicator.id] = found
        return found

    def schedule_share(self, indicator: Indicator, month: int) -> Decimal:
        key = (indicator.id, month)
        if key not in self._shares:
            self._shares[key] = indicator.schedule_share(month)
        return self._shares[key]

    def facts(self, indicator: Indicator, year: int) -> tuple[bool, bool, bool, bool]:
        """What figure() asks of an indicator, once per (indicator, year):
        a ratio?, lower is better?, a flow (due by its schedule)?, counted
        up to today (a computed indicator in the current year)?"""
        key = (indicator.id, year)
        found = self._facts.get(key)
        if found is None:
            is_ratio = indicator.kind == Indicator.Kind.RATIO
            found = (
                is_ratio,
                indicator.direction == Indicator.Direction.LOWER,
                indicator.kind == Indicator.Kind.RAW and self.spec(indicator).is_flow,
                indicator.source != Indicator.Source.IMPORT and year == self.today.year,
            )
            self._facts[key] = found
        return found

    def value(
        self, indicator: Indicator, unit_id: int, year: int, as_of: int = 12
    ) -> tuple[Decimal | None, int]:
        key = (indicator.id, unit_id, year, as_of)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._value(indicator, unit_id, year, as_of)
        return found

    def _value(
        self, indicator: Indicator, unit_id: int, year: int, as_of: int
    ) -> tuple[Decimal | None, int]:
        if indicator.kind == Indicator.Kind.RATIO:
            if indicator.numerator_id is None or indicator.denominator_id is None:
                return None, 0  # Indicator.clean() refuses such a ratio
            num = self.by_id[indicator.numerator_id]
            den = self.by_id[indicator.denominator_id]
            top, top_month = self.value(num, unit_id, year, as_of)
            bottom, bottom_month = self.value(den, unit_id, year, as_of)
            return ratio(top, bottom, indicator.factor), min(top_month, bottom_month)
        return self._raw(indicator, unit_id, year, as_of)

    def _raw(
        self, indicator: Indicator, unit_id: int, year: int, as_of: int
    ) -> tuple[Decimal | None, int]:
        return aggregate(
            self.spec(indicator),
            self.values.get((indicator.id, unit_id, year), {}),
            as_of,
        )

    def figure(self, indicator: Indicator, unit: OrgUnit, year: int) -> Figure:
        return self.figures(indicator, [unit], year)[0]

    def figures(
        self, indicator: Indicator, units: list[OrgUnit], year: int
    ) -> list[Figure]:
        """One indicator's figures for `units`: what is asked of the
        indicator once, then each unit's (thousands per dashboard)."""
        is_ratio, lower, flow, live = self.facts(indicator, year)
        value_of = self.value
        targets = self.targets
        indicator_id = indicator.id
        tolerance = -self.tolerance
        this_month = self.today.month
        whole = Decimal(1)
        made = []
        for unit in units:
            unit_id = unit.id
            value, month = value_of(indicator, unit_id, year)
            previous = (
                value_of(indicator, unit_id, year - 1, month or 12)[0]
                if value is not None
                else None
            )
            target = targets.get((indicator_id, unit_id, year))
            done = progress(value, target, lower_is_better=lower)
            if live and month == 12:
                # A computed indicator's current year is counted up to today,
                # so it is due only up to this month (not in full in November).
                month = this_month
            schedule = (
                self.schedule_share(indicator, month)
                if flow
                else (whole if value is not None else None)
            )
            status = None
            if done is not None and schedule is not None:
                gap = done - schedule
                status = "green" if gap >= 0 else "amber" if gap >= tolerance else "red"
            made.append(
                Figure(
                    unit.code,
                    unit.name,
                    value,
                    target,
                    done,
                    schedule,
                    growth(value, previous, is_ratio=is_ratio),
                    month,
                    None,  # the rank, given among all the units
                    status,
                )
            )
        return made


class AggregatedBook(Book):
    """A Book over the values dashboard_sql.aggregated_values returns: the
    same figures as calc.aggregate over the rows, one dict lookup each."""

    def __init__(
        self,
        indicators: list[Indicator],
        figures: dict[GroupKey, tuple[Decimal | None, int]],
        targets: dict[Key, Decimal],
    ):
        super().__init__(indicators, [], targets)
        self.ratio_ids = {i.id for i in indicators if i.kind == Indicator.Kind.RATIO}
        self.resolved = figures

    def value(
        self, indicator: Indicator, unit_id: int, year: int, as_of: int = 12
    ) -> tuple[Decimal | None, int]:
        if indicator.id in self.ratio_ids:
            return super().value(indicator, unit_id, year, as_of)
        return self._raw(indicator, unit_id, year, as_of)

    def _raw(
        self, indicator: Indicator, unit_id: int, year: int, as_of: int
    ) -> tuple[Decimal | None, int]:
        return self.resolved.get(
            (indicator.id, unit_id, year, as_of if as_of < 12 else 12), NOTHING
        )


NOTHING: tuple[None, int] = (None, 0)


def _board_indicators(
    codes: list[str] | None,
) -> tuple[list[Indicator], list[Indicator]]:
    """The board's indicators (the active headline ones, or `codes`), and
    those with the parts of its ratios: one query."""
    shown = Q(
        is_active=True, **({"code__in": codes} if codes else {"is_headline": True})
    )
    board = Indicator.objects.filter(shown)
    everything = list(
        Indicator.objects.filter(
            shown
            | Q(pk__in=board.values("numerator_id"))
            | Q(pk__in=board.values("denominator_id"))
        )
    )
    indicators = [
        i
        for i in everything
        if i.is_active and (i.code in codes if codes else i.is_headline)
    ]
    return indicators, everything


def _latest_targets(
    indicator_ids: set[int], unit_ids: set[int], years: set[int]
) -> dict[Key, Decimal]:
    targets: dict[Key, Decimal] = {}
    for indicator_id, unit_id, year, value in (
        Target.objects.filter(
            indicator_id__in=indicator_ids, org_unit_id__in=unit_ids, year__in=years
        )
        .order_by("version")
        .values_list("indicator_id", "org_unit_id", "year", "value")
    ):
        targets[(indicator_id, unit_id, year)] = value  # the highest version wins
    return targets


def dashboard(
    *,
    year: int,
    user: AnyUser | None = None,
    codes: list[str] | None = None,
    cached: bool = True,
) -> Dashboard:
    """Headline indicators (or `codes`) for the home district, its streets and
    parks, and the peer districts, with five years of district trend. The
    headline board is kept in the cache per (year, scope) until indicator
    data change (indicators.selectors.dashboard_cache); `cached=False` for
    callers that cache what they make of it instead (the API)."""
    if codes is None and cached:
        return cached_dashboard_part(
            "board",
            year=year,
            user=user,
            build=lambda: _dashboard(year=year, user=user, codes=None),
        )
    return _dashboard(year=year, user=user, codes=codes)


def _dashboard(
    *, year: int, user: AnyUser | None = None, codes: list[str] | None = None
) -> Dashboard:
    indicators, everything = _board_indicators(codes)
    # Only the units the board shows: the home district, its streets and
    # parks, and the districts beside it (not the whole city).
    units = list(
        OrgUnit.objects.filter(is_active=True)
        .filter(
            Q(is_home=True)
            | Q(parent__is_home=True)
            | Q(
                level=OrgUnit.Level.DISTRICT,
                parent__in=OrgUnit.objects.filter(is_home=True).values("parent_id"),
            )
            # A home without a city: its peers are the districts without one
            # (narrowed below as before).
            | Q(level=OrgUnit.Level.DISTRICT, parent__isnull=True)
        )
        .select_related("parent")
    )
    home = next((u for u in units if u.is_home), None)
    if home is None:
        return Dashboard(year, None, [], None, [], [])
    streets = [u for u in units if u.parent_id == home.pk and u.is_street_or_park]
    if user is not None and is_street_scoped(user):
        streets = [u for u in streets if u.pk == user.org_unit_id]
    peer_set = default_peer_set(home=home)
    peers = ranked_peers(units, home, peer_set)
    near = {u.pk for u in streets} | {u.pk for u in peers}
    trend_years = set(range(year - 4, year + 1))
    shown = near | {home.pk}
    # The groups: this and last year for the units beside the district, the
    # trend years for the district (in two disjoint parts, see
    # aggregated_values).
    recent = [year - 1, year]
    groups, data_as_of = aggregated_values(
        [i.pk for i in everything],
        [
            (near, recent),
            (
                [home.pk],
                sorted(trend_years - set(recent) if home.pk in near else trend_years),
            ),
        ],
        year=year,
        ratios=[
            (i.pk, i.numerator_id, i.denominator_id)
            for i in everything
            if i.kind == Indicator.Kind.RATIO and i.numerator_id and i.denominator_id
        ],
        latest_for={
            i.pk
            for i in everything
            if i.kind == Indicator.Kind.RAW and (i.aggregation == "last" or i.ytd)
        },
    )
    targets = _latest_targets({i.pk for i in indicators}, shown, trend_years)
    book = AggregatedBook(everything, groups, targets)
    boards = []
    for indicator in sorted(indicators, key=lambda i: (i.sort_order, i.code)):
        district = book.figure(indicator, home, year)
        descending = indicator.direction != Indicator.Direction.LOWER
        street_figures = (
            book.figures(indicator, streets, year)
            if not indicator.district_only
            else []
        )
        for f, r in zip(
            street_figures, _ranks(street_figures, descending), strict=True
        ):
            f.rank = r
        peer_figures = book.figures(indicator, peers, year)
        # A district alone with a value is not ranked: "全市1个区县第1位"
        # says nothing (the computed indicators exist only for our district).
        if sum(1 for f in peer_figures if f.value is not None) > 1:
            for f, r in zip(
                peer_figures, _ranks(peer_figures, descending), strict=True
            ):
                f.rank = r
        district.rank = next(
            (f.rank for f in peer_figures if f.code == home.code), None
        )
        trend = []
        for y in sorted(trend_years):
            value, _month = book.value(indicator, home.pk, y)
            trend.append(
                {
                    "year": y,
                    "value": value,
                    "target": targets.get((indicator.pk, home.pk, y)),
                }
            )
        boards.append(
            IndicatorBoard(
                indicator=indicator,
                district=district,
                streets=street_figures,
                peers=peer_figures,
                trend=trend,
                yoy_is_points=indicator.kind == Indicator.Kind.RATIO,
            )
        )
    honour, black = red_black_lists(boards)
    return Dashboard(
        year,
        home,
        boards,
        data_as_of,
        honour,
        black,
        group=peer_set.name if peer_set else None,
    )


def _ranks(figures: list[Figure], descending: bool) -> list[int | None]:
    ranks = rank([(i, f.value) for i, f in enumerate(figures)], descending=descending)
    return [ranks[i] for i in range(len(figures))]


def red_black_lists(
    boards: list[IndicatorBoard],
) -> tuple[list[ListedStreet], list[ListedStreet]]:
    """红榜: streets ahead of schedule by the honour margin; 黑榜: streets
    behind schedule by more than the tolerance (configurable)."""
    tolerance, margin = _thresholds()
    honour: list[ListedStreet] = []
    black: list[ListedStreet] = []
    for board in boards:
        for f in board.streets:
            if f.progress is None or f.schedule is None:
                continue
            gap = f.progress - f.schedule
            item: ListedStreet = {
                "indicator": board.indicator.name,
                "code": board.indicator.code,
                "unit": f.name,
                "progress": f.progress,
                "schedule": f.schedule,
                "gap": gap,
            }
            if gap >= margin:
                honour.append(item)
            elif gap < -tolerance:
                black.append(item)
    honour.sort(key=lambda i: -i["gap"])
    black.sort(key=lambda i: i["gap"])
    return honour, black


def is_live(indicator: Indicator, year: int, *, today: date | None = None) -> bool:
    """Computed indicators of the current year count what is recorded today."""
    today = today or timezone.localdate()
    return indicator.source != Indicator.Source.IMPORT and year == today.year


def district_years() -> set[int]:
    """The years with any district value."""
    return set(
        DataValue.objects.filter(org_unit__is_home=True)
        .values_list("year", flat=True)
        .distinct()
    )
