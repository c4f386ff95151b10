"""Reads of annual returns and quarterly reports: the review list (scoped,
filtered, sorted), the periods it offers, a filing's figures beside those of
the year before, and the layout both the form and the detail group them by.

The layout follows the official 高企/科小 forms (RULES §2.3–§2.4):
基本情况、人员、研发费用、收入、知识产权. Its computed rows (sales revenue, R&D
totals, ratios) are computed here for the detail page and, from the same
spec handed to the template as data- attributes, live in the form
(static/js/filing-form.js).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from bureau.lib.money import DASH, number, wan
from bureau.permissions import AnyUser
from enterprises.models import (
    AnnualReturn,
    FilingStatus,
    QuarterlyReport,
)
from enterprises.permissions import filings_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FilingT = TypeVar("FilingT", AnnualReturn, QuarterlyReport)
AnyFiling = AnnualReturn | QuarterlyReport

# A filing's state as the review pages say it ("已验收" is a project's word).
FILING_STATE_LABELS: dict[str, StrOrPromise] = {
    FilingStatus.DRAFT: pgettext_lazy("filing state", "Draft"),
    FilingStatus.SUBMITTED: pgettext_lazy("filing state", "Awaiting review"),
    FilingStatus.ACCEPTED: pgettext_lazy("filing state", "Approved"),
    FilingStatus.RETURNED: pgettext_lazy("filing state", "Returned"),
}


def state_label(code: str) -> StrOrPromise:
    return FILING_STATE_LABELS.get(code, code)


def filing_period(filing: AnyFiling) -> str:
    """ "2025年度" or "2025年第三季度"."""
    if isinstance(filing, QuarterlyReport):
        return filing.period_display
    return year_label(filing.year)


def year_label(year: int) -> str:
    return _("Year %(year)s") % {"year": year}


def filing_title(filing: AnyFiling) -> str:
    """What a message calls the filing: "杭州云河科技有限公司2025年第三季度报表"."""
    if isinstance(filing, QuarterlyReport):
        return _("%(enterprise)s's report for %(period)s") % {
            "enterprise": filing.enterprise.name,
            "period": filing.period_display,
        }
    return _("%(enterprise)s's annual return for %(year)s") % {
        "enterprise": filing.enterprise.name,
        "year": filing.year,
    }


# --- The layout: groups, units, computed rows ----------------------------------

MONEY, PERSONS, ITEMS, PERCENT = "money", "persons", "items", "percent"


@dataclass(frozen=True)
class Computed:
    """A figure computed from the typed ones: sum(plus) − sum(minus), or,
    with `over_plus`, that divided by sum(over_plus) − sum(over_minus)."""

    key: str
    label: StrOrPromise
    unit: str
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()
    over_plus: tuple[str, ...] = ()
    over_minus: tuple[str, ...] = ()

    @property
    def is_ratio(self) -> bool:
        return bool(self.over_plus)

    def value(self, figures: Mapping[str, Any]) -> Decimal | None:
        def total(plus: Sequence[str], minus: Sequence[str]) -> Decimal:
            return sum((Decimal(figures.get(n) or 0) for n in plus), Decimal(0)) - sum(
                (Decimal(figures.get(n) or 0) for n in minus), Decimal(0)
            )

        top = total(self.plus, self.minus)
        if not self.is_ratio:
            return top
        bottom = total(self.over_plus, self.over_minus)
        return top / bottom if bottom > 0 else None


@dataclass(frozen=True)
class Group:
    key: str
    title: StrOrPromise
    fields: tuple[str, ...]
    computed: tuple[Computed, ...] = ()


_RD_INTERNAL = AnnualReturn.RD_INTERNAL_FIELDS
_RD_ALL = (*_RD_INTERNAL, "rd_entrusted_domestic", "rd_entrusted_overseas")
_SALES = ("main_business_revenue", "other_business_revenue")

ANNUAL_GROUPS: tuple[Group, ...] = (
    Group(
        "basic",
        gettext_lazy("Basic information"),
        ("year", "total_assets", "net_assets", "profit", "total_cost_expense"),
    ),
    Group(
        "staff",
        gettext_lazy("Staff"),
        ("staff_total", "tech_staff"),
        (
            Computed(
                "tech_staff_ratio",
                gettext_lazy("S&T staff share of total staff"),
                PERCENT,
                ("tech_staff",),
                over_plus=("staff_total",),
            ),
        ),
    ),
    Group(
        "rd",
        gettext_lazy("R&D expense"),
        (*_RD_ALL, "rd_super_deduction"),
        (
            Computed(
                "rd_internal",
                gettext_lazy("Internal R&D expense, total"),
                MONEY,
                _RD_INTERNAL,
            ),
            Computed(
                "rd_incurred",
                gettext_lazy("R&D expense, total"),
                MONEY,
                _RD_ALL,
            ),
            Computed(
                "rd_domestic",
                gettext_lazy("Domestic R&D expense"),
                MONEY,
                (*_RD_INTERNAL, "rd_entrusted_domestic"),
            ),
            Computed(
                "rd_sales_ratio",
                gettext_lazy("R&D expense share of sales revenue"),
                PERCENT,
                _RD_ALL,
                over_plus=_SALES,
            ),
        ),
    ),
    Group(
        "income",
        gettext_lazy("Income"),
        (*_SALES, "total_income", "non_taxable_income", "hightech_income"),
        (
            Computed("sales_revenue", gettext_lazy("Sales revenue"), MONEY, _SALES),
            Computed(
                "gross_income",
                gettext_lazy("Total income less non-taxable income"),
                MONEY,
                ("total_income",),
                ("non_taxable_income",),
            ),
            Computed(
                "hightech_ratio",
                gettext_lazy("High-tech income share of total income"),
                PERCENT,
                ("hightech_income",),
                over_plus=("total_income",),
                over_minus=("non_taxable_income",),
            ),
        ),
    ),
    Group(
        "ip",
        gettext_lazy("Intellectual property"),
        (
            "ip_invention",
            "ip_other_class1",
            "ip_utility",
            "ip_design",
            "ip_software",
            "tech_transfers",
        ),
        (
            Computed(
                "ip_class1",
                gettext_lazy("Class Ⅰ IP, total"),
                ITEMS,
                ("ip_invention", "ip_other_class1"),
            ),
            Computed(
                "ip_class2",
                gettext_lazy("Class Ⅱ IP, total"),
                ITEMS,
                ("ip_utility", "ip_design", "ip_software"),
            ),
        ),
    ),
)

QUARTERLY_GROUPS: tuple[Group, ...] = (
    Group("basic", gettext_lazy("Reporting period"), ("year", "quarter")),
    Group(
        "business",
        gettext_lazy("Operations, year to date"),
        ("revenue_ytd", "profit_ytd", "tax_ytd", "rd_ytd", "exports_ytd"),
        (
            Computed(
                "rd_revenue_ratio",
                gettext_lazy("R&D expense share of revenue"),
                PERCENT,
                ("rd_ytd",),
                over_plus=("revenue_ytd",),
            ),
            Computed(
                "export_ratio",
                gettext_lazy("Exports share of revenue"),
                PERCENT,
                ("exports_ytd",),
                over_plus=("revenue_ytd",),
            ),
        ),
    ),
    Group("staff", gettext_lazy("Staff"), ("staff",)),
)

# Units of the typed figures that are not money.
FIELD_UNITS: dict[str, str] = {
    "staff_total": PERSONS,
    "tech_staff": PERSONS,
    "staff": PERSONS,
    "ip_invention": ITEMS,
    "ip_other_class1": ITEMS,
    "ip_utility": ITEMS,
    "ip_design": ITEMS,
    "ip_software": ITEMS,
    "tech_transfers": ITEMS,
}
UNIT_LABELS: dict[str, StrOrPromise] = {
    MONEY: gettext_lazy("10k yuan"),
    PERSONS: gettext_lazy("persons"),
    ITEMS: gettext_lazy("items"),
    PERCENT: "%",
}


def groups_of(model: type[AnyFiling]) -> tuple[Group, ...]:
    return ANNUAL_GROUPS if model is AnnualReturn else QUARTERLY_GROUPS


def unit_of(model: type[AnyFiling], name: str) -> str:
    if name in ("year", "quarter"):
        return ""
    return FIELD_UNITS.get(name, MONEY)


# --- Figures beside last year's -------------------------------------------------


def _shown(unit: str, value: Decimal | int | None) -> str:
    if value is None:
        return DASH
    if unit == MONEY:
        return wan(value)
    if unit == PERCENT:
        return number(Decimal(value) * 100, 1) + "%"
    if unit == ITEMS:
        return number(value, 0)
    return number(value, 2, trim=True)


def _change(unit: str, now: Any, before: Any) -> tuple[str, str, str]:
    """(absolute change, relative change, "up"/"down"/"") as shown."""
    if now is None or before is None:
        return DASH, DASH, ""
    delta = Decimal(now) - Decimal(before)
    # What is shown: a change that rounds to nothing is no change.
    shown_delta = {
        MONEY: (delta / 10_000).quantize(Decimal("0.01")),
        PERCENT: (delta * 100).quantize(Decimal("0.1")),
        ITEMS: delta.quantize(Decimal(1)),
    }.get(unit, delta.quantize(Decimal("0.01")))
    trend = "up" if shown_delta > 0 else "down" if shown_delta < 0 else ""
    sign = "+" if shown_delta > 0 else ""
    if unit == PERCENT:
        points = number(abs(shown_delta) if not trend else shown_delta, 1)
        return (
            _("%(sign)s%(points)s pp") % {"sign": sign, "points": points},
            DASH,
            trend,
        )
    if not trend:
        delta = Decimal(0)
    absolute = sign + _shown(unit, delta)
    if Decimal(before) == 0:
        return absolute, DASH, trend
    relative = sign + number(delta / abs(Decimal(before)) * 100, 1) + "%"
    return absolute, relative, trend


@dataclass
class FigureRow:
    label: StrOrPromise
    unit: StrOrPromise
    value: str
    previous: str
    change: str
    change_pct: str
    trend: str
    computed: bool = False


@dataclass
class FigureGroup:
    title: StrOrPromise
    rows: list[FigureRow] = field(default_factory=list)


def previous_filing(filing: AnyFiling) -> AnyFiling | None:
    """Last year's return, or the same quarter last year, of the enterprise."""
    if isinstance(filing, QuarterlyReport):
        return QuarterlyReport.objects.filter(
            enterprise_id=filing.enterprise_id,
            year=filing.year - 1,
            quarter=filing.quarter,
        ).first()
    return AnnualReturn.objects.filter(
        enterprise_id=filing.enterprise_id, year=filing.year - 1
    ).first()


def filing_figures(filing: AnyFiling, previous: AnyFiling | None) -> list[FigureGroup]:
    """The filing's figures by group, formatted with their units, beside
    `previous`'s and the change; computed rows after the typed ones."""
    model = type(filing)
    out: list[FigureGroup] = []
    for group in groups_of(model):
        rows: list[FigureRow] = []
        for name in group.fields:
            if name in ("year", "quarter"):
                continue
            unit = unit_of(model, name)
            now = getattr(filing, name)
            before = getattr(previous, name) if previous is not None else None
            change = _change(unit, now, before)
            rows.append(
                FigureRow(
                    str(getattr(model._meta.get_field(name), "verbose_name", name)),
                    UNIT_LABELS[unit],
                    _shown(unit, now),
                    _shown(unit, before) if previous is not None else DASH,
                    *change,
                )
            )
        now_values = {n: getattr(filing, n) for n in _all_fields(model)}
        before_values = (
            {n: getattr(previous, n) for n in _all_fields(model)}
            if previous is not None
            else None
        )
        for c in group.computed:
            now = c.value(now_values)
            before = c.value(before_values) if before_values is not None else None
            rows.append(
                FigureRow(
                    c.label,
                    UNIT_LABELS[c.unit],
                    _shown(c.unit, now),
                    _shown(c.unit, before),
                    *_change(c.unit, now, before),
                    computed=True,
                )
            )
        if rows:
            out.append(FigureGroup(group.title, rows))
    return out


def _all_fields(model: type[AnyFiling]) -> list[str]:
    return [
        name
        for group in groups_of(model)
        for name in group.fields
        if name not in ("year", "quarter")
    ]


# --- The review list -------------------------------------------------------------


@dataclass
class FilingFilters:
    q: str = ""  # enterprise name or credit code
    street: int | None = None  # org unit id
    period: str = ""  # "2025" or "2025Q3"
    state: str = ""  # a FilingStatus code
    tier: str = ""  # a tier code, or "none"
    sort: str = ""  # a key of SORTS


# Sort keys the list accepts ("-key" for descending) and what they order by;
# ties go by enterprise name.
SORTS: dict[str, tuple[str, ...]] = {
    "enterprise": ("enterprise__name",),
    "street": ("enterprise__org_unit__name",),
    "period": ("year", "quarter"),
    "state": ("status",),
    "submitted": ("submitted_at",),
    "revenue": ("revenue",),
}
DEFAULT_SORT = "-period"


def _ordering(sort: str, model: type[AnyFiling]) -> list[Any]:
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = DEFAULT_SORT.lstrip("-"), DEFAULT_SORT
    descending = sort.startswith("-")
    fields = [
        name for name in SORTS[key] if name != "quarter" or model is QuarterlyReport
    ]
    order: list[Any] = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in fields
    ]
    return [*order, F("enterprise__name").asc(), F("pk").asc()]


def parse_period(period: str) -> tuple[int, int | None] | None:
    """ "2025" → (2025, None); "2025Q3" → (2025, 3); None if neither."""
    year, _sep, quarter = period.upper().partition("Q")
    if not year.isdigit() or len(year) != 4:
        return None
    if not quarter:
        return int(year), None
    if quarter in ("1", "2", "3", "4"):
        return int(year), int(quarter)
    return None


def period_choices(*, user: AnyUser, model: type[FilingT]) -> list[tuple[str, str]]:
    """The periods of the filings `user` sees, newest first (one query)."""
    qs: QuerySet[Any] = filings_visible_to(user, model).order_by()
    if model is QuarterlyReport:
        pairs = qs.values_list("year", "quarter").distinct()
        return [
            (f"{y}Q{q}", QuarterlyReport.period_label(y, q))
            for y, q in sorted(set(pairs), reverse=True)
        ]
    years = sorted(set(qs.values_list("year", flat=True).distinct()), reverse=True)
    return [(str(y), year_label(y)) for y in years]


def filing_list(
    *,
    user: AnyUser,
    model: type[FilingT],
    filters: FilingFilters | None = None,
    today: date | None = None,
) -> QuerySet[FilingT]:
    """The filings `user` may see, filtered and sorted, each with its
    enterprise, its street and current tier (`enterprise.held_tier`) and
    `revenue` (sales revenue, or revenue to date): one query for a page."""
    filters = filters or FilingFilters()
    del today  # the kept current tier is today's (accepted for the callers)
    # The current tier is the one kept on the enterprise (enterprises.
    # services.current_tier, moved past expiries nightly): joined for the
    # page, not a subquery per row, and no join at all in the count.
    qs: QuerySet[Any] = filings_visible_to(user, model).select_related(
        "enterprise__org_unit", "enterprise__held_tier"
    )
    if model is QuarterlyReport:
        qs = qs.annotate(revenue=F("revenue_ytd"))
    else:
        qs = qs.annotate(
            revenue=F("main_business_revenue") + F("other_business_revenue")
        )
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(enterprise__name__icontains=term)
            | Q(enterprise__credit_code__icontains=term.upper())
        )
    if filters.street:
        qs = qs.filter(enterprise__org_unit_id=filters.street)
    period = parse_period(filters.period)
    if period is not None:
        qs = qs.filter(year=period[0])
        if period[1] is not None and model is QuarterlyReport:
            qs = qs.filter(quarter=period[1])
    if filters.state in FilingStatus.values:
        qs = qs.filter(status=filters.state)
    if filters.tier == "none":
        qs = qs.filter(enterprise__held_tier__isnull=True)
    elif filters.tier:
        qs = qs.filter(enterprise__held_tier__code=filters.tier)
    return qs.order_by(*_ordering(filters.sort, model))


def filings_to_review(*, user: AnyUser, model: type[FilingT]) -> QuerySet[FilingT]:
    """What waits for review: the list `?state=submitted` shows (the home
    page's queue counts this, so the count and the list agree)."""
    return filing_list(
        user=user, model=model, filters=FilingFilters(state=FilingStatus.SUBMITTED)
    )
