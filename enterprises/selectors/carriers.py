"""Reads of carriers and R&D institutions: the scoped carrier list with a
year's figures, the scoped register of R&D institutions, the figures a work summary prints (carrier_figures) and the
coverage of 规上 enterprises by R&D institutions (a computed indicator)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from bureau.permissions import AnyUser
from enterprises.models import Carrier, CarrierYear, Enterprise, RDInstitution
from enterprises.permissions import carriers_visible_to, rd_institutions_visible_to


@dataclass
class CarrierFilters:
    q: str = ""  # name, operator or host
    type: str = ""  # a CarrierType code
    level: str = ""
    org_unit: str = ""  # a street or park code
    grade: str = ""  # the year's assessment grade


def carrier_list(
    *, user: AnyUser, year: int, filters: CarrierFilters | None = None
) -> QuerySet[Carrier]:
    """The carriers `user` may see, each annotated with its figures of
    `year` (year_incubating, year_graduated, year_new_residents, year_grade;
    None when not reported); one query whatever the number of carriers."""
    filters = filters or CarrierFilters()
    qs = carriers_visible_to(user)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(operator__icontains=term)
            | Q(host__name__icontains=term)
        )
    if filters.type:
        qs = qs.filter(type__code=filters.type)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.org_unit:
        qs = qs.filter(org_unit__code=filters.org_unit)
    figures = CarrierYear.objects.filter(carrier=OuterRef("pk"), year=year)
    if filters.grade:
        qs = qs.filter(Exists(figures.filter(grade=filters.grade)))
    return (
        qs.annotate(
            year_incubating=Subquery(figures.values("incubating")[:1]),
            year_graduated=Subquery(figures.values("graduated")[:1]),
            year_new_residents=Subquery(figures.values("new_residents")[:1]),
            year_grade=Subquery(figures.values("grade")[:1]),
        )
        .prefetch_related(None)
        .order_by("name", "id")
    )


@dataclass
class RDInstitutionFilters:
    q: str = ""  # name, host's name or credit code
    type: str = ""  # an InstitutionType code
    level: str = ""
    org_unit: str = ""  # the host's street or park code
    year: int | None = None  # the year recognised


def rd_institution_list(
    *, user: AnyUser, filters: RDInstitutionFilters | None = None
) -> QuerySet[RDInstitution]:
    """The district's R&D institutions register as `user` may see it (a
    liaison: those hosted in their street), newest recognition first."""
    filters = filters or RDInstitutionFilters()
    qs = rd_institutions_visible_to(user)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(enterprise__name__icontains=term)
            | Q(enterprise__credit_code__iexact=term)
        )
    if filters.type:
        qs = qs.filter(type__code=filters.type)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.org_unit:
        qs = qs.filter(enterprise__org_unit__code=filters.org_unit)
    if filters.year:
        qs = qs.filter(recognised_on__year=filters.year)
    return qs.order_by("-recognised_on", "id")


def carrier_figures(year: int) -> dict[str, Any]:
    """What a work summary prints about carriers in `year`: carriers standing
    at its end by type and level, those recognised in the year, the year's
    在孵/毕业/新增入驻 totals and the assessment grades given. District-wide."""
    end = date(year, 12, 31)
    standing = Carrier.objects.filter(
        Q(recognised_on__isnull=True) | Q(recognised_on__lte=end)
    )
    by_type: dict[str, dict[str, int]] = defaultdict(dict)
    for name, level, n in (
        standing.values_list("type__name", "level")
        .annotate(n=Count("id"))
        .values_list("type__name", "level", "n")
    ):
        by_type[name][level] = n
    figures = CarrierYear.objects.filter(year=year, carrier__in=standing)
    totals = figures.aggregate(
        reported=Count("id"),
        incubating=Coalesce(Sum("incubating"), 0),
        graduated=Coalesce(Sum("graduated"), 0),
        new_residents=Coalesce(Sum("new_residents"), 0),
    )
    grades = dict(
        figures.exclude(grade="")
        .values_list("grade")
        .annotate(n=Count("id"))
        .values_list("grade", "n")
    )
    return {
        "year": year,
        "carriers": sum(sum(levels.values()) for levels in by_type.values()),
        "carriers_by_type": dict(by_type),
        "carriers_recognised": Carrier.objects.filter(recognised_on__year=year).count(),
        "reported": totals["reported"],
        "incubating": totals["incubating"],
        "graduated": totals["graduated"],
        "new_residents": totals["new_residents"],
        "grades": grades,
        "grades_labelled": [
            (str(label), grades[key])
            for key, label in CarrierYear.Grade.choices
            if grades.get(key)
        ],
    }


def rd_institution_coverage_by_street(
    *, year: int, total_key: int
) -> dict[int, Decimal]:
    """The share (in %) of 规上 enterprises that host at least one R&D
    institution recognised by the end of `year`, per street and, under
    `total_key`, for the whole district. Only enterprises proper count (a
    university is never 规上); a street without 规上 enterprises is left out."""
    end = date(year, 12, 31)
    has_institution = RDInstitution.objects.filter(
        enterprise=OuterRef("pk"), recognised_on__lte=end
    )
    counts: dict[int | None, tuple[int, int]] = {
        unit_id: (covered, total)
        for unit_id, covered, total in Enterprise.objects.enterprises()
        .filter(is_above_scale=True)
        .annotate(has_institution=Exists(has_institution))
        .values("org_unit_id")
        .annotate(
            covered=Count("id", filter=Q(has_institution=True)), total=Count("id")
        )
        .values_list("org_unit_id", "covered", "total")
        .order_by()
    }
    values: dict[int, Decimal] = {}
    for unit_id, (covered, total) in counts.items():
        if unit_id is not None and total:
            values[unit_id] = Decimal(covered * 100) / Decimal(total)
    covered = sum(c for c, _t in counts.values())
    total = sum(t for _c, t in counts.values())
    if total:
        values[total_key] = Decimal(covered * 100) / Decimal(total)
    return values
