"""The enterprises behind a street's figure on the indicator page: their
latest accepted annual return up to the year, or the year's certificates
and loans."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from enterprises.selectors import (
    street_certifications,
    street_enterprises_with_return,
)
from enterprises.selectors import street_loans as enterprise_street_loans

# Which enterprise figures explain an indicator at street level.
ENTERPRISE_BASIS = {
    "rd_spending": "rd",
    "ent_rd": "rd",
    "ent_revenue": "rd",
    "ent_rd_share": "rd",
    "rd_intensity": "rd",
    "hitech_va": "hitech",
    "industry_va": "hitech",
    "hitech_share": "hitech",
    "invention_patents": "patents",
    "hv_patents": "patents",
    "patents_per_10k": "patents",
    "hv_patents_per_10k": "patents",
    "new_hnte": "hnte",
    "tech_sme": "tech_sme",
    "tech_loans": "loans",
}
RETURN_FIELDS = {
    "rd": ("rd_total", "main_business_revenue"),
    "hitech": ("hightech_income", "total_income"),
    "patents": ("ip_invention", "ip_utility"),
}


def certificates_on(year: int) -> date:
    """The day a year's certificates in force are counted: its last, or today."""
    return min(date(year, 12, 31), timezone.localdate())


def street_returns(basis: str, street_code: str, year: int) -> QuerySet:
    """The street's enterprises annotated with `return_year`, `first` and
    `second` (the two figures of `basis`) from their latest accepted annual
    return up to `year`; those without one last."""
    first, second = RETURN_FIELDS[basis]
    return street_enterprises_with_return(
        street_code=street_code, year=year, first=first, second=second
    )


def street_certificates(basis: str, street_code: str, year: int) -> QuerySet:
    """高企 certified in `year`, or 科小 in force at its end (or today)."""
    if basis == "hnte":
        return street_certifications(
            street_code=street_code, tier_code="hnte", year=year
        )
    return street_certifications(
        street_code=street_code, tier_code="tech_sme", on=certificates_on(year)
    )


def street_loans(street_code: str, year: int) -> QuerySet:
    return enterprise_street_loans(street_code=street_code, year=year)
