"""The enterprises behind a street's figure on the indicator page: their
latest accepted annual return up to the year, or the year's certificates
and loans."""

from __future__ import annotations

from datetime import date

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.utils import timezone

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
    from enterprises.models import AnnualReturn, Enterprise, FilingStatus

    latest = AnnualReturn.objects.filter(
        enterprise=OuterRef("pk"), status=FilingStatus.ACCEPTED, year__lte=year
    ).order_by("-year")
    rd: Combinable = sum(
        (F(name) for name in AnnualReturn.RD_INTERNAL_FIELDS[1:]),
        F(AnnualReturn.RD_INTERNAL_FIELDS[0]),
    )
    rd = rd + F("rd_entrusted_domestic") + F("rd_entrusted_overseas")
    first_field, second_field = RETURN_FIELDS[basis]
    return (
        Enterprise.objects.filter(org_unit__code=street_code)
        .annotate(
            return_year=Subquery(latest.values("year")[:1]),
            first=Subquery(
                latest.annotate(rd_total=rd).values(first_field)[:1]
                if basis == "rd"
                else latest.values(first_field)[:1]
            ),
            second=Subquery(latest.values(second_field)[:1]),
        )
        .order_by(F("first").desc(nulls_last=True), "name", "pk")
    )


def street_certificates(basis: str, street_code: str, year: int) -> QuerySet:
    """高企 certified in `year`, or 科小 in force at its end (or today)."""
    from enterprises.models import Certification

    if basis == "hnte":
        qs = Certification.objects.filter(tier__code="hnte", year=year).exclude(
            status=Certification.Status.REVOKED
        )
    else:
        qs = Certification.objects.in_force(certificates_on(year)).filter(
            tier__code="tech_sme"
        )
    return (
        qs.filter(enterprise__org_unit__code=street_code)
        .select_related("enterprise")
        .order_by("-issued_on", "enterprise__name", "pk")
    )


def street_loans(street_code: str, year: int) -> QuerySet:
    from enterprises.models import Loan

    return (
        Loan.objects.filter(
            enterprise__org_unit__code=street_code, granted_on__year=year
        )
        .select_related("enterprise")
        .order_by("-granted_on", "pk")
    )
