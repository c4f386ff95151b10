"""The roster rules at the boundaries RULES §2.3 and §3.4 give."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from enterprises import staff_rules
from enterprises.staff_rules import PersonFacts

YEAR = 2025


def person(kind: str = "employed", **kwargs: object) -> PersonFacts:
    return PersonFacts(kind=kind, **kwargs)  # type: ignore[arg-type]


def test_days_worked_come_from_the_dates_inclusive() -> None:
    p = person(start_on=date(2025, 1, 1), end_on=date(2025, 7, 2))
    assert staff_rules.days_worked(p, YEAR) == 183
    p = person(start_on=date(2025, 1, 1), end_on=date(2025, 7, 1))
    assert staff_rules.days_worked(p, YEAR) == 182
    assert staff_rules.days_worked(person(), YEAR) == 365
    assert staff_rules.days_worked(person(days_worked=100), YEAR) == 100


def test_hnte_tech_staff_need_183_days() -> None:
    at = person("part_time", is_tech=True, days_worked=183)
    below = person("part_time", is_tech=True, days_worked=182)
    assert staff_rules.counts_for_high_tech_tech(at, YEAR)
    assert not staff_rules.counts_for_high_tech_tech(below, YEAR)
    # Also employed S&T staff: each must have worked 183 days.
    employed = person(is_tech=True, start_on=date(2025, 7, 2))
    assert staff_rules.days_worked(employed, YEAR) == 183
    assert staff_rules.counts_for_high_tech_tech(employed, YEAR)
    late = person(is_tech=True, start_on=date(2025, 7, 3))
    assert not staff_rules.counts_for_high_tech_tech(late, YEAR)


def test_hnte_total_counts_employed_always_and_others_from_183_days() -> None:
    assert staff_rules.counts_for_high_tech_total(person(days_worked=10), YEAR)
    assert staff_rules.counts_for_high_tech_total(
        person("temporary", days_worked=183), YEAR
    )
    assert not staff_rules.counts_for_high_tech_total(
        person("temporary", days_worked=182), YEAR
    )


def test_months_worked_from_the_dates() -> None:
    six = person(start_on=date(2025, 1, 15), end_on=date(2025, 7, 14))
    assert staff_rules.months_worked(six, YEAR) == 6
    short = person(start_on=date(2025, 1, 15), end_on=date(2025, 7, 13))
    assert staff_rules.months_worked(short, YEAR) == 5
    assert staff_rules.months_worked(person(), YEAR) == 12


def test_sme_part_time_staff_need_6_months() -> None:
    six = person("part_time", is_tech=True, months_worked=6)
    five = person("part_time", is_tech=True, months_worked=5)
    assert staff_rules.counts_for_sme_total(six, YEAR)
    assert staff_rules.counts_for_sme_tech(six, YEAR)
    assert not staff_rules.counts_for_sme_total(five, YEAR)
    assert not staff_rules.counts_for_sme_tech(five, YEAR)
    # Employed staff count for 科小 whatever their months.
    assert staff_rules.counts_for_sme_tech(person(is_tech=True, months_worked=2), YEAR)


def test_the_annual_average_of_monthly_averages() -> None:
    # Ten people all year, one more from 1 July: months 7–12 average 11,
    # except that on 1 July (the first day) the newcomer is already there.
    people = [person() for _ in range(10)] + [person(start_on=date(2025, 7, 1))]
    assert staff_rules.annual_average(people, YEAR) == Fraction(21, 2)
    # Someone leaving on 31 March is there at the end of March, not in April.
    leaver = [person(end_on=date(2025, 3, 31))]
    assert staff_rules.annual_average(leaver, YEAR) == Fraction(3, 12)
    # Someone leaving on 15 March counts half in March.
    mid = [person(end_on=date(2025, 3, 15))]
    assert staff_rules.annual_average(mid, YEAR) == Fraction(5, 2) / 12


def test_an_enterprise_founded_during_the_year_divides_by_its_months() -> None:
    people = [person(start_on=date(2025, 10, 1)) for _ in range(4)]
    assert staff_rules.annual_average(people, YEAR, first_month=10) == 4


def test_roster_figures_for_both_tiers() -> None:
    people = [
        person(is_tech=True, is_rd=True),
        person(is_tech=True),
        person(),
        person("part_time", is_tech=True, days_worked=190, months_worked=6),
        person("temporary", is_tech=True, days_worked=150, months_worked=6),
    ]
    figures = staff_rules.roster_figures(people, YEAR)
    # 高企: the temporary worker (150 days) is out of both figures.
    assert figures.hnte_staff_total == 4
    assert figures.hnte_tech_staff == 3
    assert figures.hnte_tech_share == Fraction(3, 4)
    # 科小: six months is enough for the temporary worker.
    assert figures.sme_staff_total == 5
    assert figures.sme_tech_staff == 4
    assert figures.rd_staff == 1
    assert figures.rd_share == Fraction(1, 4)


def test_an_empty_roster_has_no_shares() -> None:
    figures = staff_rules.roster_figures([], YEAR)
    assert figures.hnte_tech_share is None
    assert figures.hnte_staff_total == 0
