"""The annual staff figures from a per-person roster (RULES §2.3, §3.4): pure
functions over plain facts, no ORM.

- Annual figure = the sum of the monthly averages / the number of months
  operated; monthly average = (headcount on the month's first day +
  headcount on its last day) / 2.
- 高企 (195号 §三(三)): S&T staff must have worked ≥ 183 days in the year
  (employed, part-time and temporary alike); total staff counts employed
  staff and part-time or temporary staff with ≥ 183 days.
- 科小 (115号 Art. 9): part-time and temporary staff count (in both figures)
  only with ≥ 6 months worked in the year; employed staff always count.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

EMPLOYED = "employed"
PART_TIME = "part_time"
TEMPORARY = "temporary"

HNTE_MIN_DAYS = 183  # 195号 §三(三): "累计实际工作时间在183天以上"
SME_MIN_MONTHS = 6  # 115号 Art. 9: "全年须在企业累计工作6个月以上"


@dataclass(frozen=True)
class PersonFacts:
    kind: str
    is_tech: bool = False
    is_rd: bool = False
    start_on: date | None = None  # blank: before the year
    end_on: date | None = None  # blank: still there at year end
    days_worked: int | None = None  # blank: derived from the dates
    months_worked: int | None = None  # blank: derived from the dates


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _period_in_year(p: PersonFacts, year: int) -> tuple[date, date] | None:
    first, last = _year_bounds(year)
    start = max(p.start_on or first, first)
    end = min(p.end_on or last, last)
    return (start, end) if start <= end else None


def days_worked(p: PersonFacts, year: int) -> int:
    """Days worked in `year`: as given, else the days between the dates."""
    if p.days_worked is not None:
        return p.days_worked
    period = _period_in_year(p, year)
    return (period[1] - period[0]).days + 1 if period else 0


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_worked(p: PersonFacts, year: int) -> int:
    """Whole months worked in `year`: as given, else counted from the dates
    (15 Jan to 14 Jul is 6 months) [I]."""
    if p.months_worked is not None:
        return p.months_worked
    period = _period_in_year(p, year)
    if period is None:
        return 0
    start, end = period
    months = 0
    while add_months(start, months + 1) - timedelta(days=1) <= end:
        months += 1
    return months


def counts_for_high_tech_total(p: PersonFacts, year: int) -> bool:
    return p.kind == EMPLOYED or days_worked(p, year) >= HNTE_MIN_DAYS


def counts_for_high_tech_tech(p: PersonFacts, year: int) -> bool:
    return p.is_tech and days_worked(p, year) >= HNTE_MIN_DAYS


def counts_for_sme_total(p: PersonFacts, year: int) -> bool:
    return p.kind == EMPLOYED or months_worked(p, year) >= SME_MIN_MONTHS


def counts_for_sme_tech(p: PersonFacts, year: int) -> bool:
    return p.is_tech and counts_for_sme_total(p, year)


def on_payroll(p: PersonFacts, day: date) -> bool:
    return (p.start_on is None or p.start_on <= day) and (
        p.end_on is None or p.end_on >= day
    )


def annual_average(
    people: Iterable[PersonFacts], year: int, *, first_month: int = 1
) -> Fraction:
    """The annual average headcount of `people`: the monthly averages
    (first day + last day) / 2 summed over the months operated (from
    `first_month`, for an enterprise founded during the year) and divided by
    their number."""
    people = list(people)
    months = range(first_month, 13)
    total = Fraction(0)
    for month in months:
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        at_start = sum(on_payroll(p, first) for p in people)
        at_end = sum(on_payroll(p, last) for p in people)
        total += Fraction(at_start + at_end, 2)
    return total / len(months)


@dataclass(frozen=True)
class RosterFigures:
    """The annual figures a roster gives, as exact fractions."""

    year: int
    people: int
    hnte_staff_total: Fraction
    hnte_tech_staff: Fraction
    sme_staff_total: Fraction
    sme_tech_staff: Fraction
    rd_staff: Fraction

    @staticmethod
    def _share(part: Fraction, whole: Fraction) -> Fraction | None:
        return part / whole if whole > 0 else None

    @property
    def hnte_tech_share(self) -> Fraction | None:
        return self._share(self.hnte_tech_staff, self.hnte_staff_total)

    @property
    def sme_tech_share(self) -> Fraction | None:
        return self._share(self.sme_tech_staff, self.sme_staff_total)

    @property
    def rd_share(self) -> Fraction | None:
        """R&D staff over the 高企 total staff."""
        return self._share(self.rd_staff, self.hnte_staff_total)


def roster_figures(
    people: Iterable[PersonFacts], year: int, *, first_month: int = 1
) -> RosterFigures:
    people = list(people)

    def average(rule: Callable[[PersonFacts, int], bool]) -> Fraction:
        return annual_average(
            [p for p in people if rule(p, year)], year, first_month=first_month
        )

    return RosterFigures(
        year=year,
        people=len(people),
        hnte_staff_total=average(counts_for_high_tech_total),
        hnte_tech_staff=average(counts_for_high_tech_tech),
        sme_staff_total=average(counts_for_sme_total),
        sme_tech_staff=average(counts_for_sme_tech),
        rd_staff=average(lambda p, y: p.is_rd and counts_for_high_tech_total(p, y)),
    )
