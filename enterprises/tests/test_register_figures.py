"""What the registers decide in the engine's figures, and their loaders."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from enterprises.eligibility import ChuyingFigures, HighTechFigures, TechSmeFigures
from enterprises.ip_rules import IPFacts, TransferFacts
from enterprises.register_figures import RegisterFacts, apply_registers
from enterprises.staff_rules import RosterFigures

ON = date(2026, 6, 1)


def hnte(years: int = 3) -> HighTechFigures:
    return HighTechFigures(
        application_date=ON,
        established_on=date(2015, 1, 1),
        ip_class1=0,
        ip_class2=7,
        core_tech_in_supported_fields=True,
        staff_total=Fraction(100),
        tech_staff=Fraction(20),
        sales_revenue=[Fraction(1)] * years,
        rd_internal=[Fraction(0)] * years,
        rd_entrusted_domestic=[Fraction(0)] * years,
        rd_entrusted_overseas=[Fraction(0)] * years,
        total_income=Fraction(1),
        non_taxable_income=Fraction(0),
        hightech_income=Fraction(1),
        innovation_score=100,
        net_assets=[Fraction(1)] * years,
        tech_transfers_3y=9,
    )


def sme() -> TechSmeFigures:
    return TechSmeFigures(
        evaluation_year=2026,
        staff_total=Fraction(50),
        tech_staff=Fraction(5),
        sales_revenue=Fraction(1),
        total_assets=Fraction(1),
        rd_expense=Fraction(0),
        ip_class1=0,
        ip_class2=7,
    )


USED = IPFacts("2", "granted", date(2023, 1, 1), hnte_used_year=2024)
FRESH = IPFacts("2", "granted", date(2023, 1, 1))
MARK = IPFacts("", "granted", date(2023, 1, 1))
ROSTER = RosterFigures(
    year=2025,
    people=60,
    hnte_staff_total=Fraction(40),
    hnte_tech_staff=Fraction(8),
    sme_staff_total=Fraction(45),
    sme_tech_staff=Fraction(12),
    rd_staff=Fraction(6),
)


def test_without_registers_the_returns_figures_stand() -> None:
    assert apply_registers(hnte(), None, on=ON) == hnte()
    assert apply_registers(hnte(), RegisterFacts(), on=ON) == hnte()


def test_hnte_counts_ip_once_and_sme_counts_all() -> None:
    registers = RegisterFacts(ip_items=[USED, FRESH, MARK])
    figures = apply_registers(hnte(), registers, on=ON)
    assert (figures.ip_class1, figures.ip_class2) == (0, 1)
    figures_sme = apply_registers(sme(), registers, on=ON)
    assert (figures_sme.ip_class1, figures_sme.ip_class2) == (0, 2)


def test_an_empty_register_counts_zero() -> None:
    figures = apply_registers(hnte(), RegisterFacts(ip_items=[]), on=ON)
    assert (figures.ip_class1, figures.ip_class2) == (0, 0)


def test_transfers_once_per_result_over_the_judged_years() -> None:
    transfers = [
        TransferFacts("a", 2023),
        TransferFacts("a", 2025),
        TransferFacts("b", 2022),
        TransferFacts("c", 2026),
    ]
    registers = RegisterFacts(transfers=transfers)
    assert apply_registers(hnte(), registers, on=ON).tech_transfers_3y == 1
    # An enterprise judged on two years only: 2024–2025.
    two = apply_registers(hnte(years=2), RegisterFacts(transfers=transfers), on=ON)
    assert two.tech_transfers_3y == 1
    with_2024 = RegisterFacts(transfers=[*transfers, TransferFacts("d", 2024)])
    assert apply_registers(hnte(years=2), with_2024, on=ON).tech_transfers_3y == 2


def test_the_roster_of_the_year_before_decides_staff_by_tier() -> None:
    registers = RegisterFacts(rosters={2025: ROSTER})
    high_tech = apply_registers(hnte(), registers, on=ON)
    assert (high_tech.staff_total, high_tech.tech_staff) == (40, 8)
    tech_sme = apply_registers(sme(), registers, on=ON)
    assert (tech_sme.staff_total, tech_sme.tech_staff) == (45, 12)
    chuying = ChuyingFigures(
        established_on=date(2018, 1, 1),
        sales_revenue=Fraction(1),
        staff_total=Fraction(10),
        tech_staff=Fraction(1),
        rd_expense=Fraction(1),
        ip_class1=0,
        ip_class2=0,
    )
    assert apply_registers(chuying, registers, on=ON).staff_total == 40
    older = RegisterFacts(rosters={2024: ROSTER})
    assert apply_registers(hnte(), older, on=ON).staff_total == 100
