"""The figures gathered for the work summary (a Word draft of the bureau's
annual or half-year summary, built by indicators.exports.summary): reads only.

Every figure names the period it covers; a figure the data cannot give stays
None (or zero for counts) and the builder writes "（暂无数据）", never a guess.
The summary reads across the apps, each through its selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bureau.models import OrgUnit
from enterprises.selectors import (
    TierFigures,
    ladder_figures,
    platform_figures,
    service_figures,
)
from indicators.calc import growth, progress, rank
from indicators.models import DataValue, Indicator, Target
from indicators.selectors.dashboard import Book, dashboard
from projects.selectors import project_figures
from talent.selectors import talent_figures

# --- The period a summary covers ---------------------------------------------


@dataclass(frozen=True)
class SummaryPeriod:
    year: int
    half: int | None
    today: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def last_month(self) -> int:
        return 6 if self.half == 1 else 12

    @property
    def name(self) -> str:
        return f"{self.year}年上半年" if self.half == 1 else f"{self.year}年"

    @property
    def cutoff(self) -> date:
        """The last day whose events count: the period end, or today."""
        return min(self.end, self.today)

    @property
    def span(self) -> str:
        """The period of event counts, as the sentence names it."""
        if self.end < self.today:
            return f"{self.year}年1—6月" if self.half == 1 else f"{self.year}年全年"
        return f"{self.year}年1月1日至{self._day(self.today)}"

    def same_span_last_year(self) -> tuple[date, date]:
        """Last year's window matching this one (to the same day when the
        period is still running)."""
        end = self.cutoff
        try:
            return date(self.year - 1, 1, 1), end.replace(year=self.year - 1)
        except ValueError:  # 29 February
            return date(self.year - 1, 1, 1), date(self.year - 1, 2, 28)

    @staticmethod
    def _day(day: date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    @property
    def as_at(self) -> str:
        return f"截至{self._day(self.cutoff)}"


# --- Figures ------------------------------------------------------------------

SECTION_ONE = [
    "rd_spending",
    "rd_intensity",
    "ent_rd",
    "ent_rd_share",
    "hitech_va",
    "hitech_share",
    "tech_contracts",
    "hv_patents_per_10k",
]


@dataclass
class DistrictFigure:
    indicator: Indicator
    value: Decimal | None
    month: int
    yoy: Decimal | None
    target: Decimal | None
    progress: Decimal | None
    schedule: Decimal | None
    rank: int | None
    yoy_rank: int | None
    peers_ranked: int
    year: int

    @property
    def is_ratio(self) -> bool:
        return self.indicator.kind == Indicator.Kind.RATIO

    @property
    def as_of(self) -> str:
        return f"截至{self.year}年{self.month}月" if self.month else ""


def district_figures(
    *, codes: list[str], year: int, as_of: int
) -> dict[str, DistrictFigure]:
    """The home district's values of `codes` covering months 1..as_of, with
    growth on the same months of last year, the target, and the ranks among
    the peer districts by value and by growth (RULES §5.2)."""
    indicators = list(Indicator.objects.filter(code__in=codes, is_active=True))
    wanted = {i.pk for i in indicators} | {
        x for i in indicators for x in (i.numerator_id, i.denominator_id) if x
    }
    everything = list(Indicator.objects.filter(pk__in=wanted))
    units = list(OrgUnit.objects.filter(is_active=True))
    home = next((u for u in units if u.is_home), None)
    if home is None:
        return {}
    peers = [
        u
        for u in units
        if u.level == OrgUnit.Level.DISTRICT and u.parent_id == home.parent_id
    ]
    rows = DataValue.objects.filter(
        indicator__in=everything,
        org_unit__in=peers,
        year__in=[year - 1, year],
    ).values_list(
        "indicator_id", "org_unit_id", "year", "period_type", "period", "value"
    )
    targets: dict[int, Decimal] = {}
    for indicator_id, target_value in (
        Target.objects.filter(indicator__in=indicators, org_unit=home, year=year)
        .order_by("version")
        .values_list("indicator_id", "value")
    ):
        targets[indicator_id] = target_value  # the highest version wins
    book = Book(everything, list(rows), {})
    result = {}
    for indicator in indicators:
        ratio_kind = indicator.kind == Indicator.Kind.RATIO
        values: dict[int, Decimal | None] = {}
        growths: dict[int, Decimal | None] = {}
        home_month = 0
        for unit in peers:
            value, month = book.value(indicator, unit.pk, year, as_of)
            before = (
                book.value(indicator, unit.pk, year - 1, month)[0]
                if value is not None
                else None
            )
            values[unit.pk] = value
            growths[unit.pk] = growth(value, before, is_ratio=ratio_kind)
            if unit.pk == home.pk:
                home_month = month
        descending = indicator.direction != Indicator.Direction.LOWER
        value_ranks = rank(values.items(), descending=descending)
        growth_ranks = rank(growths.items(), descending=descending)
        value = values.get(home.pk)
        target = targets.get(indicator.pk)
        flow = indicator.kind == Indicator.Kind.RAW and (
            indicator.aggregation == Indicator.Aggregation.SUM or indicator.ytd
        )
        result[indicator.code] = DistrictFigure(
            indicator=indicator,
            value=value,
            month=home_month,
            yoy=growths.get(home.pk),
            target=target,
            progress=progress(
                value,
                target,
                lower_is_better=indicator.direction == Indicator.Direction.LOWER,
            ),
            schedule=indicator.schedule_share(home_month) if flow else None,
            rank=value_ranks.get(home.pk),
            yoy_rank=growth_ranks.get(home.pk),
            peers_ranked=sum(1 for v in values.values() if v is not None),
            year=year,
        )
    return result


# --- Facts, section by section -------------------------------------------------


def indicator_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The district's core indicators, and for a whole year how many street
    figures reached the red and the black list."""
    facts: dict[str, Any] = {
        "figures": district_figures(
            codes=SECTION_ONE, year=period.year, as_of=period.last_month
        ),
        "streets": 0,
        "honour": 0,
        "black": 0,
    }
    if period.half is None:
        board = dashboard(year=period.year)
        facts["streets"] = len({f.code for b in board.boards for f in b.streets})
        facts["honour"] = len(board.honour_list)
        facts["black"] = len(board.black_list)
    return facts


# Each app gives its own figures for a window of days; the summary only
# picks the window.
TierFacts = TierFigures


def ladder_facts(period: SummaryPeriod) -> list[TierFacts]:
    """Per tier, highest first: new awards this and last year (to the end of
    June for a half year), the echelons of this year's, and the enterprises
    holding one on the cutoff day."""
    return ladder_figures(
        year=period.year,
        issued_by=period.end if period.half == 1 else None,
        held_on=period.cutoff,
    )


def project_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The year's applications by programme level (applied, approved, money
    in 元), the money paid in the period and the year's approved rewards."""
    return project_figures(year=period.year, start=period.start, end=period.cutoff)


def platform_facts(period: SummaryPeriod) -> dict[str, Any]:
    """R&D institutions recognised in the period (and last year's window) by
    level and kind; the innovation carriers recognised by the cutoff day."""
    return platform_figures(
        start=period.start, end=period.cutoff, before=period.same_span_last_year()
    )


def talent_facts(period: SummaryPeriod) -> dict[str, Any]:
    """Talent arrived, programme awards of the year, allowances paid,
    commissioners serving and their services, foreign-expert permits."""
    return talent_figures(year=period.year, start=period.start, end=period.cutoff)


def service_facts(period: SummaryPeriod) -> dict[str, Any]:
    """Enterprise visits and their follow-ups, and tech loans granted."""
    return service_figures(start=period.start, end=period.cutoff)


@dataclass
class SummaryFacts:
    """Everything the work summary says, read at one moment."""

    period: SummaryPeriod
    district: str
    indicators: dict[str, Any]
    ladder: list[TierFacts]
    projects: dict[str, Any]
    platforms: dict[str, Any]
    talent: dict[str, Any]
    services: dict[str, Any]


def work_summary_facts(*, year: int, half: int | None = None) -> SummaryFacts:
    """The figures of the bureau's work summary for `year` (or its first
    half when `half` is 1), from the data as it stands today."""
    if half not in (None, 1):
        raise ValueError("half must be None or 1")
    period = SummaryPeriod(year, half, timezone.localdate())
    home = OrgUnit.objects.filter(is_home=True).first()
    return SummaryFacts(
        period=period,
        district=home.name if home else "XX区",
        indicators=indicator_facts(period),
        ladder=ladder_facts(period),
        projects=project_facts(period),
        platforms=platform_facts(period),
        talent=talent_facts(period),
        services=service_facts(period),
    )
