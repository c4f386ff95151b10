"""The figures gathered for the work summary (a Word draft of the bureau's
annual or half-year summary, built by indicators.exports.summary): reads only.

Every figure names the period it covers; a figure the data cannot give stays
None (or zero for counts) and the builder writes "（暂无数据）", never a guess.
The summary reads across the apps, each through its selectors.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bureau.models import OrgUnit
from bureau.selectors.task_summary import task_year_figures
from enterprises.selectors import (
    TierFigures,
    carrier_figures,
    cooperation_figures,
    event_figures,
    ladder_figures,
    platform_figures,
    service_figures,
    tier_choices,
    tier_growth_figures,
)
from indicators.calc import growth, progress, rank
from indicators.models import DataValue, Indicator, Target
from indicators.selectors.contracts import achievement_figures, contract_figures
from indicators.selectors.dashboard import Book, dashboard
from indicators.selectors.groups import PeerSet, city_districts, comparison_groups
from indicators.selectors.rdstats import rd_ledger_years, rd_statistics_figures
from projects.selectors import (
    project_figures,
    project_progress_figures,
    reward_rule_figures,
    upward_figures,
    voucher_figures,
)
from projects.selectors.reserve import reserve_figures
from talent.selectors import commissioner_figures, talent_figures

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


@dataclass(frozen=True)
class GroupRank:
    """The home district's place in a named comparison group (主城区)."""

    group: str
    rank: int | None
    yoy_rank: int | None
    ranked: int


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
    group_ranks: list[GroupRank] = field(default_factory=list)

    @property
    def is_ratio(self) -> bool:
        return self.indicator.kind == Indicator.Kind.RATIO

    @property
    def in_points(self) -> bool:
        """Its change is in points: a ratio, or a rate imported as a %."""
        return self.is_ratio or self.indicator.unit == "%"

    @property
    def as_of(self) -> str:
        return f"截至{self.year}年{self.month}月" if self.month else ""


def district_figures(
    *, codes: list[str], year: int, as_of: int
) -> dict[str, DistrictFigure]:
    """The home district's values of `codes` covering months 1..as_of, with
    growth on the same months of last year, the target, and the ranks among
    the city's districts and within each named comparison group, by value
    and by growth (RULES §5.2)."""
    indicators = list(Indicator.objects.filter(code__in=codes, is_active=True))
    wanted = {i.pk for i in indicators} | {
        x for i in indicators for x in (i.numerator_id, i.denominator_id) if x
    }
    everything = list(Indicator.objects.filter(pk__in=wanted))
    units = list(OrgUnit.objects.filter(is_active=True))
    home = next((u for u in units if u.is_home), None)
    if home is None:
        return {}
    peers = city_districts(units, home)
    groups = comparison_groups(home=home)
    grouped = {u.pk for g in groups for u in units if u.pk in g.unit_ids}
    districts = [
        u
        for u in units
        if u.level == OrgUnit.Level.DISTRICT and (u in peers or u.pk in grouped)
    ]
    rows = DataValue.objects.filter(
        indicator__in=everything,
        org_unit__in=districts,
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
        # A rate (a ratio, or a raw figure in %) changes in points.
        ratio_kind = indicator.kind == Indicator.Kind.RATIO or indicator.unit == "%"
        values: dict[int, Decimal | None] = {}
        growths: dict[int, Decimal | None] = {}
        home_month = 0
        for unit in districts:
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
        city = {u.pk for u in peers}
        value_ranks = rank(
            ((k, v) for k, v in values.items() if k in city), descending=descending
        )
        growth_ranks = rank(
            ((k, v) for k, v in growths.items() if k in city), descending=descending
        )
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
            peers_ranked=sum(
                1 for k, v in values.items() if k in city and v is not None
            ),
            year=year,
            group_ranks=[
                _group_rank(g, values, growths, home.pk, descending) for g in groups
            ],
        )
    return result


def _group_rank(
    group: PeerSet,
    values: dict[int, Decimal | None],
    growths: dict[int, Decimal | None],
    home_id: int,
    descending: bool,
) -> GroupRank:
    members = [k for k in values if k in group.unit_ids]
    by_value = rank(((k, values[k]) for k in members), descending=descending)
    by_growth = rank(((k, growths[k]) for k in members), descending=descending)
    return GroupRank(
        group=group.name or "",
        rank=by_value.get(home_id),
        yoy_rank=by_growth.get(home_id),
        ranked=sum(1 for k in members if values[k] is not None),
    )


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


# --- The registers and the figures issue 15 adds ------------------------------

# Imported indicators the summary prints beside the core ones: high-tech
# output and share of GDP, 科技进步贡献率, fiscal S&T spending, patents.
MORE_INDICATORS = [
    "hitech_output",
    "hitech_gdp_share",
    "tech_progress_rate",
    "fiscal_st_spending",
    "patent_applications",
    "patent_grants",
    "patents_per_10k",
]


def more_indicator_facts(period: SummaryPeriod) -> dict[str, DistrictFigure]:
    return district_figures(
        codes=MORE_INDICATORS, year=period.year, as_of=period.last_month
    )


def upward_facts(period: SummaryPeriod) -> dict[str, Any]:
    """Projects recommended upward from the year's calls and their outcome,
    funds from above, hit rate, running / mid-term / accepted."""
    return upward_figures(period.year)


def event_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The year's events by type, 科普 totals and 科普 bases."""
    return event_figures(period.year)


def cooperation_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The year's cooperation agreements, follow-ups, co-built platforms and
    alliances (enterprises.selectors.cooperation_figures)."""
    return cooperation_figures(period.year)


def carrier_facts(period: SummaryPeriod) -> dict[str, Any]:
    """Carriers standing at the year's end and their yearly figures."""
    return carrier_figures(period.year)


def contract_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The year's technology contracts by direction and the top streets."""
    return contract_figures(period.year)


def achievement_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The achievements in transfer or pilot by stage, the year's moves
    and their outputs."""
    return achievement_figures(period.year)


def reserve_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The reserve of projects to apply for upward and the year's promotions."""
    return reserve_figures(period.year)


def task_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The tasks received in the year by owner, as they stood on the cutoff
    day: done on time or late, overdue, still open."""
    return task_year_figures(year=period.year, as_of=period.cutoff)


def rd_statistics_facts(period: SummaryPeriod) -> dict[str, Any] | None:
    """The latest R&D statistics ledger up to the year: a year's survey is
    reported early the next year, so a summary written in December speaks
    of last year's ledger. None when there is no ledger."""
    years = [y for y in rd_ledger_years() if y <= period.year]
    return rd_statistics_figures(years[0]) if years else None


def last_quarter(period: SummaryPeriod) -> int | None:
    """The last quarter of the period that has ended by the cutoff day."""
    quarter = period.last_month // 3
    while quarter > 0:
        month = quarter * 3
        end = date(period.year, month, calendar.monthrange(period.year, month)[1])
        if end < period.today and end <= period.cutoff:
            return quarter
        quarter -= 1
    return None


def echelon_facts(period: SummaryPeriod) -> list[dict[str, Any]]:
    """For each tier kept in echelons (旭日): its enterprises' revenue and
    profit growth on the quarterly monitoring, same quarter last year."""
    quarter = last_quarter(period)
    if quarter is None:
        return []
    return [
        {
            "name": tier.name,
            **tier_growth_figures(
                tier_code=tier.code, year=period.year, quarter=quarter
            ),
        }
        for tier in tier_choices().filter(has_echelons=True).order_by("-rank")
    ]


def reward_facts(period: SummaryPeriod) -> dict[str, Any]:
    """Policy rewards by rule for last year's data (paid out this year)."""
    return reward_rule_figures(year=period.year - 1)


def voucher_facts(period: SummaryPeriod) -> dict[str, Any]:
    return voucher_figures(year=period.year)


def commissioner_facts(period: SummaryPeriod) -> list[tuple[str, str, int]]:
    return commissioner_figures(start=period.start, end=period.cutoff)


def progress_facts(period: SummaryPeriod) -> dict[str, int]:
    """The district's own projects running, mid-term checked and accepted."""
    return project_progress_figures(start=period.start, end=period.cutoff)


@dataclass
class PlanTarget:
    """A headline indicator's target for the plan, beside this period's value."""

    indicator: Indicator
    target: Decimal
    now: DistrictFigure | None
    # This year's value of a flow covers only part of the year (imported to
    # November, or computed and counted to today).
    partial: bool = False

    @property
    def change(self) -> Decimal | None:
        """Growth of the target on this year's value (points for a rate);
        None when that value is partial: a year's target is not compared
        with eleven months."""
        now = self.now
        if now is None or now.value is None or self.partial:
            return None
        return growth(self.target, now.value, is_ratio=now.in_points)


def _partial(
    indicator: Indicator, now: DistrictFigure | None, period: SummaryPeriod
) -> bool:
    """Whether this period's value of `indicator` covers only part of a year."""
    flow = indicator.kind == Indicator.Kind.RAW and (
        indicator.aggregation == Indicator.Aggregation.SUM or indicator.ytd
    )
    if not flow or now is None:
        return False
    live = indicator.source != Indicator.Source.IMPORT and period.end >= period.today
    return now.month < 12 or live


def plan_facts(period: SummaryPeriod) -> dict[str, Any]:
    """The plan's targets: next year's for an annual summary, the year's own
    for a half year; per headline indicator with a stored target for the
    home district (the highest version), with this period's value."""
    year = period.year + 1 if period.half is None else period.year
    targets: dict[int, Decimal] = {}
    for indicator_id, value in (
        Target.objects.filter(
            org_unit__is_home=True,
            year=year,
            indicator__is_headline=True,
            indicator__is_active=True,
        )
        .order_by("version")
        .values_list("indicator_id", "value")
    ):
        targets[indicator_id] = value
    indicators = list(
        Indicator.objects.filter(pk__in=targets).order_by("sort_order", "code")
    )
    now = district_figures(
        codes=[i.code for i in indicators], year=period.year, as_of=period.last_month
    )
    return {
        "year": year,
        "targets": [
            PlanTarget(
                indicator=i,
                target=targets[i.pk],
                now=now.get(i.code),
                partial=_partial(i, now.get(i.code), period),
            )
            for i in indicators
        ],
    }


@dataclass
class RegisterFacts:
    """The figures of the registers and the data the summary used to leave
    out (issue 15 item 9)."""

    indicators: dict[str, DistrictFigure]
    upward: dict[str, Any]
    events: dict[str, Any]
    cooperation: dict[str, Any]
    carriers: dict[str, Any]
    contracts: dict[str, Any]
    achievements: dict[str, Any]
    reserve: dict[str, Any]
    tasks: dict[str, Any]
    rd_statistics: dict[str, Any] | None
    echelons: list[dict[str, Any]]
    rewards: dict[str, Any]
    vouchers: dict[str, Any]
    commissioners: list[tuple[str, str, int]]
    progress: dict[str, int]
    plan: dict[str, Any]


def register_facts(period: SummaryPeriod) -> RegisterFacts:
    return RegisterFacts(
        indicators=more_indicator_facts(period),
        upward=upward_facts(period),
        events=event_facts(period),
        cooperation=cooperation_facts(period),
        carriers=carrier_facts(period),
        contracts=contract_facts(period),
        achievements=achievement_facts(period),
        reserve=reserve_facts(period),
        tasks=task_facts(period),
        rd_statistics=rd_statistics_facts(period),
        echelons=echelon_facts(period),
        rewards=reward_facts(period),
        vouchers=voucher_facts(period),
        commissioners=commissioner_facts(period),
        progress=progress_facts(period),
        plan=plan_facts(period),
    )


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
    registers: RegisterFacts


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
        registers=register_facts(period),
    )
