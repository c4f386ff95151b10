"""Enterprise figures other apps report or build on: the choices their forms
offer, the counts the computed indicators and the work summary need, the
street drill-down behind an indicator and the inputs of the reward rules.

Other apps read enterprise data only through these functions (and the rest
of `enterprises.selectors`), never through the models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import Combinable

from enterprises.models import (
    AnnualReturn,
    Carrier,
    CarrierType,
    Certification,
    Enterprise,
    FilingStatus,
    FollowUp,
    InstitutionType,
    Loan,
    QuarterlyReport,
    RDInstitution,
    Tier,
    Visit,
)

T = TypeVar("T", int, Decimal)

# --- Choices of other apps' forms and serializers ----------------------------


def tier_choices(*, include_inactive: bool = False) -> QuerySet[Tier]:
    """The tiers a form may offer: the active ones, or every tier."""
    return (
        Tier.objects.all() if include_inactive else Tier.objects.filter(is_active=True)
    )


def enterprise_choices() -> QuerySet[Enterprise]:
    """Every enterprise, by name (a form's or serializer's choice of employer)."""
    return Enterprise.objects.order_by("name")


# --- Certifications ------------------------------------------------------------


def certifications_awarded(*, tier_code: str, year: int) -> QuerySet[Certification]:
    """The awards of `tier_code` in `year`, revoked ones left out."""
    return Certification.objects.filter(tier__code=tier_code, year=year).exclude(
        status=Certification.Status.REVOKED
    )


def certifications_in_force(*, tier_code: str, on: date) -> QuerySet[Certification]:
    """The awards of `tier_code` in force on `on`, judged by their dates."""
    return Certification.objects.in_force(on).filter(tier__code=tier_code)


def tiers_held(*, enterprise: Enterprise) -> set[int]:
    """The ids of the tiers `enterprise` holds in force today."""
    return set(
        Certification.objects.current()
        .filter(enterprise=enterprise)
        .values_list("tier_id", flat=True)
    )


def _by_street(rows: QuerySet[Any], figure: Aggregate, zero: T) -> dict[int | None, T]:
    """{org unit id: `figure` of the `rows` of its enterprises}; the partial
    figures of one street (grouped apart by a model's ordering) add up."""
    totals: dict[int | None, T] = defaultdict(lambda: zero)
    for row in rows.values("enterprise__org_unit").annotate(figure=figure):
        totals[row["enterprise__org_unit"]] += row["figure"]
    return dict(totals)


def awards_by_street(
    *, tier_code: str, year: int, first_time: bool | None = None
) -> dict[int | None, int]:
    """{org unit id: awards of `tier_code` in `year`} (revoked left out);
    only first awards, or only renewals, when `first_time` says so."""
    awards = certifications_awarded(tier_code=tier_code, year=year)
    if first_time is not None:
        awards = awards.filter(first_time=first_time)
    return _by_street(awards, Count("id"), 0)


def entries_by_street(*, tier_code: str, year: int) -> dict[int | None, int]:
    """{org unit id: enterprises entered in `tier_code` for `year`} — a yearly
    registration (科小) counted as the year's flow: every award of the year
    but those revoked by its end, whatever their status today."""
    entries = (
        Certification.objects.filter(tier__code=tier_code, year=year)
        .exclude(
            status=Certification.Status.REVOKED,
            revoked_on__lte=date(year, 12, 31),
        )
        .exclude(status=Certification.Status.REVOKED, revoked_on__isnull=True)
    )
    return _by_street(entries, Count("enterprise", distinct=True), 0)


def holders_by_street(*, tier_code: str, on: date) -> dict[int | None, int]:
    """{org unit id: enterprises holding `tier_code` in force on `on`}."""
    return _by_street(
        certifications_in_force(tier_code=tier_code, on=on),
        Count("enterprise", distinct=True),
        0,
    )


def street_certifications(
    *, street_code: str, tier_code: str, year: int | None = None, on: date | None = None
) -> QuerySet[Certification]:
    """A street's awards of `tier_code`: those of `year` (revoked left out)
    or, given `on`, those in force that day; newest first, with the enterprise."""
    if on is not None:
        qs = certifications_in_force(tier_code=tier_code, on=on)
    elif year is not None:
        qs = certifications_awarded(tier_code=tier_code, year=year)
    else:
        raise ValueError("give year or on")
    return (
        qs.filter(enterprise__org_unit__code=street_code)
        .select_related("enterprise")
        .order_by("-issued_on", "enterprise__name", "pk")
    )


def first_awards(*, tier_code: str, year: int) -> list[Certification]:
    """Each enterprise's first award of `tier_code` in `year` (revoked left
    out), with its tier, by enterprise."""
    found: dict[int, Certification] = {}
    for c in (
        certifications_awarded(tier_code=tier_code, year=year)
        .select_related("tier")
        .order_by("enterprise_id", "issued_on", "id")
    ):
        found.setdefault(c.enterprise_id, c)
    return list(found.values())


@dataclass(frozen=True)
class TierFigures:
    """One tier's awards and holders in a reporting period."""

    code: str
    name: str
    new: int  # certified in the period, renewals included
    new_last_year: int  # in last year's matching window
    held: int  # holding a valid award on the cutoff day
    echelons: list[tuple[str, int]] = field(default_factory=list)  # (label, n)
    first: int = 0  # of `new`, the enterprises' first award of the tier
    first_last_year: int = 0
    yearly: bool = False  # a yearly registration (科小), not a multi-year award


def ladder_figures(
    *, year: int, issued_by: date | None, held_on: date
) -> list[TierFigures]:
    """Per active tier, highest first: the awards of `year` and of the year
    before (only those issued by `issued_by`'s day of each year when given),
    the echelons of this year's, and the enterprises holding one on `held_on`
    (judged by the dates: an award expired since then still counts)."""
    tiers = list(Tier.objects.filter(is_active=True).order_by("-rank"))
    awards = Certification.objects.filter(year__in=[year - 1, year]).exclude(
        status=Certification.Status.REVOKED
    )
    if issued_by is not None:
        awards = awards.filter(
            Q(year=year, issued_on__lte=issued_by)
            | Q(year=year - 1, issued_on__lte=issued_by.replace(year=year - 1))
        )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    firsts: dict[tuple[int, int], int] = defaultdict(int)
    echelons: dict[tuple[int, int], int] = defaultdict(int)
    for tier_id, award_year, echelon, first_time, n in awards.values_list(
        "tier_id", "year", "echelon", "first_time"
    ).annotate(n=Count("id")):
        counts[(tier_id, award_year)] += n
        if first_time:
            firsts[(tier_id, award_year)] += n
        if echelon and award_year == year:
            echelons[(tier_id, echelon)] += n
    held = dict(
        Certification.objects.in_force(held_on)
        .values_list("tier_id")
        .annotate(n=Count("enterprise", distinct=True))
        .values_list("tier_id", "n")
    )
    return [
        TierFigures(
            code=tier.code,
            name=tier.name,
            new=counts[(tier.pk, year)],
            new_last_year=counts[(tier.pk, year - 1)],
            first=firsts[(tier.pk, year)],
            first_last_year=firsts[(tier.pk, year - 1)],
            yearly=tier.validity == Tier.Validity.EVALUATION_YEAR,
            held=held.get(tier.pk, 0),
            echelons=[
                (str(label), echelons[(tier.pk, value)])
                for value, label in Certification.Echelon.choices
                if tier.has_echelons and echelons[(tier.pk, value)]
            ],
        )
        for tier in tiers
    ]


# --- Annual returns ------------------------------------------------------------


def _rd_incurred() -> Combinable:
    """R&D incurred as a database expression (AnnualReturn.rd_incurred)."""
    rd: Combinable = sum(
        (F(name) for name in AnnualReturn.RD_INTERNAL_FIELDS[1:]),
        F(AnnualReturn.RD_INTERNAL_FIELDS[0]),
    )
    return rd + F("rd_entrusted_domestic") + F("rd_entrusted_overseas")


def street_enterprises_with_return(
    *, street_code: str, year: int, first: str, second: str
) -> QuerySet[Enterprise]:
    """A street's enterprises annotated with `return_year`, `first` and
    `second` (two fields of their latest accepted annual return up to `year`;
    `first` may be "rd_total", the R&D incurred), largest `first` first and
    those without a return last."""
    latest = AnnualReturn.objects.filter(
        enterprise=OuterRef("pk"), status=FilingStatus.ACCEPTED, year__lte=year
    ).order_by("-year")
    return (
        Enterprise.objects.filter(org_unit__code=street_code)
        .annotate(
            return_year=Subquery(latest.values("year")[:1]),
            first=Subquery(
                latest.annotate(rd_total=_rd_incurred()).values(first)[:1]
                if first == "rd_total"
                else latest.values(first)[:1]
            ),
            second=Subquery(latest.values(second)[:1]),
        )
        .order_by(F("first").desc(nulls_last=True), "name", "pk")
    )


def rd_incurred_by_enterprise(*, year: int) -> dict[int, Decimal]:
    """{enterprise id: R&D incurred} on the submitted or accepted returns of
    `year` (the figures that count for the year)."""
    returns = AnnualReturn.objects.filter(
        year=year, status__in=(FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)
    ).only(
        "enterprise_id",
        *AnnualReturn.RD_INTERNAL_FIELDS,
        "rd_entrusted_domestic",
        "rd_entrusted_overseas",
    )
    return {r.enterprise_id: r.rd_incurred for r in returns}


# --- R&D institutions and carriers ----------------------------------------------


def rd_institutions_recognised(*, level: str, year: int) -> dict[int, list[str]]:
    """{enterprise id: names of its R&D institutions of `level` recognised in
    `year`, in the order recognised}."""
    names: dict[int, list[str]] = {}
    for enterprise_id, name in (
        RDInstitution.objects.filter(level=level, recognised_on__year=year)
        .order_by("enterprise_id", "recognised_on", "id")
        .values_list("enterprise_id", "name")
    ):
        names.setdefault(enterprise_id, []).append(name)
    return names


def platform_figures(
    *, start: date, end: date, before: tuple[date, date]
) -> dict[str, Any]:
    """R&D institutions recognised from `start` to `end` (and in the window
    `before`) by level and kind; the innovation carriers recognised by `end`."""

    def recognised(first: date, last: date) -> list[tuple[str, str, int]]:
        return list(
            RDInstitution.objects.filter(
                recognised_on__gte=first, recognised_on__lte=last
            )
            .values_list("level", "type__code")
            .annotate(n=Count("id"))
            .values_list("level", "type__code", "n")
        )

    standing = Carrier.objects.filter(
        Q(recognised_on__isnull=True) | Q(recognised_on__lte=end)
    )
    return {
        "institutions": recognised(start, end),
        "institutions_before": recognised(*before),
        "institution_kinds": dict(InstitutionType.objects.values_list("code", "name")),
        "carriers": list(
            standing.values_list("level", "type__code")
            .annotate(n=Count("id"))
            .values_list("level", "type__code", "n")
        ),
        "carrier_kinds": dict(CarrierType.objects.values_list("code", "name")),
        "new_carriers": Carrier.objects.filter(
            recognised_on__gte=start, recognised_on__lte=end
        ).count(),
        "residents": Carrier.residents.through.objects.filter(carrier__in=standing)
        .values("enterprise")
        .distinct()
        .count(),
    }


# --- Visits and loans ------------------------------------------------------------


def service_figures(*, start: date, end: date) -> dict[str, Any]:
    """Enterprise visits from `start` to `end` and their follow-ups, and the
    tech loans granted in those days."""
    return {
        "visits": Visit.objects.filter(
            visited_on__gte=start, visited_on__lte=end
        ).aggregate(n=Count("id"), enterprises=Count("enterprise", distinct=True)),
        "follow_ups": FollowUp.objects.filter(
            visit__visited_on__gte=start, visit__visited_on__lte=end
        ).aggregate(
            n=Count("id"),
            done=Count("id", filter=Q(status=FollowUp.Status.DONE)),
            open=Count("id", filter=Q(status=FollowUp.Status.OPEN)),
        ),
        "loans": Loan.objects.filter(
            granted_on__gte=start, granted_on__lte=end
        ).aggregate(
            n=Count("id"),
            total=Sum("amount"),
            enterprises=Count("enterprise", distinct=True),
        ),
    }


def loans_by_street(*, year: int) -> dict[int | None, Decimal]:
    """{org unit id: tech loans granted in `year`, in 元}."""
    return _by_street(
        Loan.objects.filter(granted_on__year=year), Sum("amount"), Decimal(0)
    )


def street_loans(*, street_code: str, year: int) -> QuerySet[Loan]:
    """A street's tech loans granted in `year`, newest first, with the enterprise."""
    return (
        Loan.objects.filter(
            enterprise__org_unit__code=street_code, granted_on__year=year
        )
        .select_related("enterprise")
        .order_by("-granted_on", "pk")
    )


# --- The inputs of the reward rules (projects.services.rewards) ----------------

# The figures of a year a reward rule may be based on, and where each comes
# from: an annual return field or property, or the fourth-quarter report
# (year-to-date, so the whole year). Only submitted or accepted filings count.
ANNUAL_FIGURES = (
    "rd_incurred",
    "rd_super_deduction",
    "main_business_revenue",
    "tax_paid",
)
COUNTED_FILINGS = (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED)

# Annual figures other apps hold about enterprises (the technology contracts
# an enterprise bought or sold, in indicators), registered by those apps at
# start-up so that enterprises and projects need not import them:
# {code: reader(year) -> {enterprise id: figure of the year}}.
AnnualFigureReader = Callable[[int], dict[int, Decimal]]
_REGISTERED_FIGURES: dict[str, AnnualFigureReader] = {}


def register_annual_figure(code: str, reader: AnnualFigureReader) -> None:
    """Make `code` a figure reward rules may read: `reader(year)` answers
    {enterprise id: the figure of that year in 元}, leaving out enterprises
    without one. Registering a code again replaces its reader; a code of
    ANNUAL_FIGURES cannot be taken."""
    if code in ANNUAL_FIGURES:
        raise ValueError(f"{code!r} is an annual return figure")
    _REGISTERED_FIGURES[code] = reader


def annual_figure_codes() -> tuple[str, ...]:
    """Every figure annual_figure_by_enterprise answers: ANNUAL_FIGURES and
    those registered by other apps."""
    return (*ANNUAL_FIGURES, *_REGISTERED_FIGURES)


def annual_figure_by_enterprise(*, figure: str, year: int) -> dict[int, Decimal]:
    """{enterprise id: `figure` of `year`} (one of ANNUAL_FIGURES, or a
    figure another app registered); an enterprise without the filing, or
    with the figure left blank, is absent."""
    if figure in _REGISTERED_FIGURES:
        return _REGISTERED_FIGURES[figure](year)
    if figure == "rd_incurred":
        return rd_incurred_by_enterprise(year=year)
    if figure == "tax_paid":
        return dict(
            QuarterlyReport.objects.filter(
                year=year, quarter=4, status__in=COUNTED_FILINGS
            ).values_list("enterprise_id", "tax_ytd")
        )
    if figure in ("rd_super_deduction", "main_business_revenue"):
        return dict(
            AnnualReturn.objects.filter(year=year, status__in=COUNTED_FILINGS)
            .exclude(**{f"{figure}__isnull": True})
            .values_list("enterprise_id", figure)
        )
    raise ValueError(f"unknown figure {figure!r}")


def tier_holders(*, tier_code: str, on: date) -> set[int]:
    """The ids of the enterprises holding `tier_code` in force on `on`."""
    return set(
        certifications_in_force(tier_code=tier_code, on=on).values_list(
            "enterprise_id", flat=True
        )
    )


AWARD_ROUNDS = ("first", "renewal", "all")


def _first_time_q(first: bool) -> Q:
    """An award that is (or is not) the enterprise's first of its tier: the
    stored `Certification.first_time` (set by the certification service and
    backfilled, issue 10 item 3); on a schema without it yet, the same fact
    from the history: no earlier award of that tier to that enterprise."""
    if any(f.name == "first_time" for f in Certification._meta.get_fields()):
        return Q(first_time=first)
    earlier = Certification.objects.filter(
        enterprise=OuterRef("enterprise"), tier=OuterRef("tier")
    ).filter(
        Q(issued_on__lt=OuterRef("issued_on"))
        | Q(issued_on=OuterRef("issued_on"), pk__lt=OuterRef("pk"))
    )
    return ~Q(Exists(earlier)) if first else Q(Exists(earlier))


def tier_awards(*, tier_code: str, year: int, award_round: str) -> list[Certification]:
    """Each enterprise's first award of `tier_code` in `year` (revoked left
    out) that is a first award of the tier ("first"), a renewal — 重新认定,
    annual re-registration — ("renewal") or either ("all"); with its tier, by
    enterprise. Each row carries `is_first_award`."""
    if award_round not in AWARD_ROUNDS:
        raise ValueError(f"unknown award round {award_round!r}")
    qs = (
        certifications_awarded(tier_code=tier_code, year=year)
        .annotate(is_first_award=ExpressionWrapper(_first_time_q(True), BooleanField()))
        .select_related("tier")
        .order_by("enterprise_id", "issued_on", "id")
    )
    if award_round != "all":
        qs = qs.filter(is_first_award=award_round == "first")
    found: dict[int, Certification] = {}
    for c in qs:
        found.setdefault(c.enterprise_id, c)
    return list(found.values())


# --- Tier enterprises' growth (the work summary) ---------------------------------


def tier_growth_figures(*, tier_code: str, year: int, quarter: int) -> dict[str, Any]:
    """How the enterprises holding `tier_code` at the end of `quarter` of
    `year` grew: revenue and profit year to date on their quarterly reports
    (submitted or accepted) against the same quarter of the year before,
    over the enterprises that filed both (a like-for-like sample). Growth is
    a fraction, None when the base is not positive; amounts in 元."""
    on = QuarterlyReport.quarter_end(year, quarter)
    holders = certifications_in_force(tier_code=tier_code, on=on).values(
        "enterprise_id"
    )
    rows: dict[int, dict[int, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for enterprise_id, report_year, revenue, profit in QuarterlyReport.objects.filter(
        enterprise_id__in=holders,
        year__in=[year - 1, year],
        quarter=quarter,
        status__in=COUNTED_FILINGS,
    ).values_list("enterprise_id", "year", "revenue_ytd", "profit_ytd"):
        rows[enterprise_id][report_year] = (revenue, profit)
    paired = [r for r in rows.values() if len(r) == 2]
    revenue = sum((r[year][0] for r in paired), Decimal(0))
    revenue_before = sum((r[year - 1][0] for r in paired), Decimal(0))
    profit = sum((r[year][1] for r in paired), Decimal(0))
    profit_before = sum((r[year - 1][1] for r in paired), Decimal(0))

    def change(now: Decimal, before: Decimal) -> Decimal | None:
        return (now - before) / before if before > 0 else None

    return {
        "year": year,
        "quarter": quarter,
        "holders": holders.values("enterprise_id").distinct().count(),
        "compared": len(paired),
        "revenue": revenue,
        "revenue_growth": change(revenue, revenue_before),
        "profit": profit,
        "profit_growth": change(profit, profit_before),
    }
