"""What the IP, transfer and staff registers decide in the pre-check: pure
code that replaces the annual return's counts in the engine's figures when
the enterprise keeps the register (RULES §2.3, §2.5, §3.2, §3.4).

- IP: counted from the register when it has any item: 高企 with the
  once-only rule for Class Ⅱ items; 科小 and 雏鹰 count every valid item.
- Transfers: from the register when it has any conversion, each result once
  over the years the engine judges.
- Staff: from the roster of the year before the application when there is
  one: 高企 and 雏鹰 with the 183-day rule, 科小 with the 6-month rule.
Without a register, the annual return's figures stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from enterprises import ip_rules
from enterprises.eligibility import (
    ChuyingFigures,
    HighTechFigures,
    TechSmeFigures,
    hnte_years,
)
from enterprises.ip_rules import IPFacts, TransferFacts
from enterprises.staff_rules import RosterFigures

FiguresT = TypeVar("FiguresT", HighTechFigures, TechSmeFigures, ChuyingFigures)


@dataclass(frozen=True)
class RegisterFacts:
    """An enterprise's registers as the pre-check reads them; None (or no
    roster for the year) means the register is not kept."""

    ip_items: list[IPFacts] | None = None
    transfers: list[TransferFacts] | None = None
    rosters: dict[int, RosterFigures] = field(default_factory=dict)


def apply_registers(
    figures: FiguresT, registers: RegisterFacts | None, *, on: date
) -> FiguresT:
    """`figures` with what the registers decide for an application on `on`."""
    if registers is None:
        return figures
    high_tech = isinstance(figures, HighTechFigures)
    changes: dict[str, Any] = {}
    if registers.ip_items is not None:
        count = (
            ip_rules.count_for_high_tech(registers.ip_items, on=on)
            if high_tech
            else ip_rules.count_for_tech_sme(registers.ip_items, on=on)
        )
        changes.update(ip_class1=count.class1, ip_class2=count.class2)
    if isinstance(figures, HighTechFigures) and registers.transfers is not None:
        # The accounting years the rule judges (three, or fewer since founding).
        judged = hnte_years(figures.application_date, figures.established_on)
        changes["tech_transfers_3y"] = ip_rules.transfers_in_years(
            registers.transfers,
            first_year=min(judged, default=on.year - 1),
            last_year=max(judged, default=on.year - 1),
        )
    roster = registers.rosters.get(on.year - 1)
    if roster is not None:
        if isinstance(figures, TechSmeFigures):
            changes.update(
                staff_total=roster.sme_staff_total, tech_staff=roster.sme_tech_staff
            )
        else:
            changes.update(
                staff_total=roster.hnte_staff_total, tech_staff=roster.hnte_tech_staff
            )
    return replace(figures, **changes) if changes else figures
