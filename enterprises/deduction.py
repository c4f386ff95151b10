"""研发费用加计扣除: the R&D super-deduction for one accounting year
(RULES §4; CALCULATORS_API.md). Pure: figures and a policy in, a result out.

The policy — rates by year and list, the negative list, the shares — is data
(settings.SUPER_DEDUCTION, read at call time by `policy_from_settings`). The
arithmetic is exact (Fractions from Decimals); amounts are rounded to the fen
only when shown.

The base, in order (财税〔2015〕119号, 财税〔2018〕64号):
1. in-house R&D as expensed (the categories other than "other related costs");
2. other related costs, capped at in-house × 10% / (1 − 10%) — the cap taken
   over all projects together, so that other costs are at most 10% of the
   eligible total;
3. entrusted domestic R&D at 80% of the amount incurred;
4. entrusted overseas R&D at 80%, capped at 2/3 of the domestic eligible R&D
   (1 + 2 + 3) [V2; our reading: the expensed domestic base].
extra deduction = base × rate; a capitalised intangible is amortised on
cost × (1 + rate).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from enterprises.classifications import SECTION_DIVISIONS

ZERO = Fraction(0)
CENT = Decimal("0.01")

# GB/T 4754-2017: the divisions each section holds (the standard's structure,
# not policy): a code whose division is not in its section ("F65") is a typing
# error.
INDUSTRY_CODE_RE = re.compile(r"^([A-T])(\d{2})(\d{1,2})?$")

TAXATION_ACTUAL = "actual"  # 查账征收
TAXATION_DEEMED = "deemed"  # 核定征收
SPECIAL_LISTS = ("ic", "machine_tool")


class PolicyGap(ValueError):
    """The policy data has no rate for the year asked about."""


@dataclass(frozen=True)
class RateRow:
    first_year: int
    last_year: int | None
    special_list: str  # "" for every eligible enterprise
    rate: Fraction
    source: str

    def covers(self, year: int, special_list: str) -> bool:
        in_years = self.first_year <= year and (
            self.last_year is None or year <= self.last_year
        )
        return in_years and self.special_list in ("", special_list)


@dataclass(frozen=True)
class ExcludedIndustry:
    code: str  # "F" (a whole section) or "C16" (one division)
    name: str | Promise

    def matches(self, section: str, division: str) -> bool:
        return self.code in (section, f"{section}{division}")


@dataclass(frozen=True)
class DeductionPolicy:
    rates: tuple[RateRow, ...]
    excluded_industries: tuple[ExcludedIndustry, ...]
    entrusted_share: Fraction = Fraction(4, 5)
    overseas_cap_of_domestic: Fraction = Fraction(2, 3)
    other_costs_share: Fraction = Fraction(1, 10)

    def rate_for(self, year: int, special_list: str = "") -> RateRow:
        """The best rate row covering `year` for an enterprise on
        `special_list` ("" if none); PolicyGap when no row covers the year."""
        rows = [r for r in self.rates if r.covers(year, special_list)]
        if not rows:
            raise PolicyGap(year)
        return max(rows, key=lambda r: r.rate)

    def excluded(self, industry_code: str) -> ExcludedIndustry | None:
        section, division = parse_industry_code(industry_code)
        return next(
            (x for x in self.excluded_industries if x.matches(section, division)),
            None,
        )


def _fraction(value: Any) -> Fraction:
    if isinstance(value, float):
        raise TypeError("use Decimal or str for money, not float")
    return Fraction(str(value)) if not isinstance(value, Fraction) else value


def policy_from_settings() -> DeductionPolicy:
    from django.conf import settings

    data: dict[str, Any] = settings.SUPER_DEDUCTION
    return DeductionPolicy(
        rates=tuple(
            RateRow(
                first_year=int(row["from"]),
                last_year=None if row.get("to") is None else int(row["to"]),
                special_list=row.get("list", ""),
                rate=_fraction(row["rate"]),
                source=row.get("source", ""),
            )
            for row in data["rates"]
        ),
        excluded_industries=tuple(
            ExcludedIndustry(code=row["code"].upper(), name=row["name"])
            for row in data["excluded_industries"]
        ),
        entrusted_share=_fraction(data.get("entrusted_share", "0.80")),
        overseas_cap_of_domestic=_fraction(data.get("overseas_cap_of_domestic", "2/3")),
        other_costs_share=_fraction(data.get("other_costs_share", "0.10")),
    )


def parse_industry_code(code: str) -> tuple[str, str]:
    """ "I65" → ("I", "65"); ValueError with a Chinese message when the code
    is not a GB/T 4754 section letter with one of its divisions."""
    match = INDUSTRY_CODE_RE.match(code.strip().upper())
    if not match:
        raise ValueError(
            _(
                "Give the GB/T 4754 section letter and two-digit division, "
                "for example I65 or C16."
            )
        )
    section, division = match.group(1), match.group(2)
    if int(division) not in SECTION_DIVISIONS[section]:
        divisions = SECTION_DIVISIONS[section]
        raise ValueError(
            _(
                "Division %(division)s is not in section %(section)s "
                "(its divisions are %(first)02d–%(last)02d)."
            )
            % {
                "division": division,
                "section": section,
                "first": divisions.start,
                "last": divisions.stop - 1,
            }
        )
    return section, division


def check_fiscal_year(year: int, policy: DeductionPolicy | None = None) -> None:
    """ValueError with a Chinese message when the policy data has no rate
    for `year` (the form and the API show it beside the field)."""
    policy = policy or policy_from_settings()
    try:
        policy.rate_for(year)
    except PolicyGap:
        first = min((r.first_year for r in policy.rates), default=year)
        raise ValueError(
            _(
                "No super-deduction rate is on file for %(year)s; the rates "
                "kept start in %(first)s."
            )
            % {"year": year, "first": first}
        ) from None


@dataclass(frozen=True)
class DeductionFigures:
    fiscal_year: int
    industry_code: str
    taxation: str  # "actual" | "deemed"
    rd_expensed: Fraction
    special_list: str = ""
    rd_other_costs: Fraction = ZERO
    rd_entrusted_domestic: Fraction = ZERO
    rd_entrusted_overseas: Fraction = ZERO
    rd_capitalised_cost: Fraction = ZERO


MONEY_FIELDS = (
    "rd_expensed",
    "rd_other_costs",
    "rd_entrusted_domestic",
    "rd_entrusted_overseas",
    "rd_capitalised_cost",
)


def figures_from(values: Mapping[str, Any]) -> DeductionFigures:
    """Validated input (the API's or the page form's, money in 元 as Decimal)
    → DeductionFigures; a missing or blank amount is 0."""
    return DeductionFigures(
        fiscal_year=int(values["fiscal_year"]),
        industry_code=str(values["industry_code"]).strip().upper(),
        taxation=str(values["taxation"]),
        special_list=str(values.get("special_list") or ""),
        **{name: _fraction(values.get(name) or 0) for name in MONEY_FIELDS},
    )


@dataclass
class DeductionResult:
    eligible: bool
    reasons: list[str]
    rate: Fraction
    parts: dict[str, Fraction]
    eligible_base: Fraction
    extra_deduction: Fraction
    amortisation_base: Fraction
    # For people: how each part was reached and the documents it rests on.
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    part_rules: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The CALCULATORS_API.md response: amounts as 2-place strings."""
        return {
            "eligible": self.eligible,
            "reasons": self.reasons,
            "rate": money_str(self.rate),
            "eligible_base": money_str(self.eligible_base),
            "extra_deduction": money_str(self.extra_deduction),
            "amortisation_base": money_str(self.amortisation_base),
            "parts": {key: money_str(value) for key, value in self.parts.items()},
        }


def money_str(value: Fraction) -> str:
    """An exact amount → a string to the fen, half up."""
    number = Decimal(value.numerator) / Decimal(value.denominator)
    return str(number.quantize(CENT, rounding=ROUND_HALF_UP))


def _yuan(value: Fraction) -> str:
    """An amount for a note, as the pages show money: "1,000万元"."""
    from bureau.lib.money import wan_with_unit

    return wan_with_unit(Decimal(money_str(value)), 2)


PART_KEYS = ("in_house", "other_costs", "entrusted_domestic", "entrusted_overseas")


def eligible_parts(
    *,
    in_house: Fraction,
    other_costs: Fraction = ZERO,
    entrusted_domestic: Fraction = ZERO,
    entrusted_overseas: Fraction = ZERO,
    policy: DeductionPolicy,
) -> tuple[dict[str, Fraction], list[str]]:
    """The four parts of the base after the 80% share and the caps, with a
    note for each rule that changed an amount."""
    notes: list[str] = []
    share = policy.other_costs_share
    other_cap = in_house * share / (1 - share)
    other = min(other_costs, other_cap)
    if other_costs > other_cap:
        notes.append(
            _(
                "Other related costs %(amount)s exceed the cap of in-house R&D × "
                "%(share)s ÷ (1 − %(share)s) = %(cap)s; %(cap)s counts."
            )
            % {
                "amount": _yuan(other_costs),
                "share": _percent(share),
                "cap": _yuan(other_cap),
            }
        )
    domestic = entrusted_domestic * policy.entrusted_share
    overseas_share = entrusted_overseas * policy.entrusted_share
    domestic_total = in_house + other + domestic
    overseas_cap = domestic_total * policy.overseas_cap_of_domestic
    overseas = min(overseas_share, overseas_cap)
    if overseas_share > overseas_cap:
        notes.append(
            _(
                "Entrusted overseas R&D at %(share)s is %(amount)s, above "
                "%(cap_share)s of the domestic eligible R&D (%(domestic)s); "
                "%(cap)s counts."
            )
            % {
                "share": _percent(policy.entrusted_share),
                "amount": _yuan(overseas_share),
                "cap_share": _fraction_text(policy.overseas_cap_of_domestic),
                "domestic": _yuan(domestic_total),
                "cap": _yuan(overseas_cap),
            }
        )
    parts = {
        "in_house": in_house,
        "other_costs": other,
        "entrusted_domestic": domestic,
        "entrusted_overseas": overseas,
    }
    return parts, notes


def part_rules(policy: DeductionPolicy) -> dict[str, str]:
    """How each part of the base is counted, in words, from the policy data."""
    share = _percent(policy.entrusted_share)
    return {
        "in_house": _("in full"),
        "other_costs": _("up to in-house R&D × %(share)s ÷ (1 − %(share)s)")
        % {"share": _percent(policy.other_costs_share)},
        "entrusted_domestic": _("%(share)s of the amount paid") % {"share": share},
        "entrusted_overseas": _(
            "%(share)s of the amount paid, up to %(cap)s of the domestic eligible R&D"
        )
        % {"share": share, "cap": _fraction_text(policy.overseas_cap_of_domestic)},
    }


def _percent(value: Fraction) -> str:
    number = Decimal(value.numerator) / Decimal(value.denominator) * 100
    return f"{number.normalize():f}%"


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def super_deduction(
    figures: DeductionFigures, *, policy: DeductionPolicy
) -> DeductionResult:
    """The extra deduction for one year (RULES §4). Raises PolicyGap when the
    policy data has no rate for the year; ValueError for a malformed
    industry code."""
    row = policy.rate_for(figures.fiscal_year, figures.special_list)
    reasons: list[str] = []
    excluded = policy.excluded(figures.industry_code)
    if excluded is not None:
        reasons.append(
            _(
                "Industry %(code)s belongs to %(name)s, on the negative list of "
                "财税〔2015〕119号: not eligible for the super-deduction."
            )
            % {"code": figures.industry_code.strip().upper(), "name": excluded.name}
        )
    if figures.taxation == TAXATION_DEEMED:
        reasons.append(
            _(
                "Income tax is assessed on a deemed basis (核定征收); only "
                "enterprises assessed on actual profit (查账征收) may claim."
            )
        )
    sources = ["财税〔2015〕119号"]
    if reasons:
        return DeductionResult(
            eligible=False,
            reasons=reasons,
            rate=ZERO,
            parts={key: ZERO for key in PART_KEYS},
            eligible_base=ZERO,
            extra_deduction=ZERO,
            amortisation_base=ZERO,
            sources=sources,
        )
    parts, notes = eligible_parts(
        in_house=figures.rd_expensed,
        other_costs=figures.rd_other_costs,
        entrusted_domestic=figures.rd_entrusted_domestic,
        entrusted_overseas=figures.rd_entrusted_overseas,
        policy=policy,
    )
    if figures.rd_entrusted_overseas:
        sources.append("财税〔2018〕64号")
    if row.source:
        sources.append(row.source)
    base = sum(parts.values(), ZERO)
    if figures.special_list and not row.special_list:
        notes.append(
            _(
                "The higher rate for listed enterprises does not cover "
                "%(year)s; the general rate applies."
            )
            % {"year": figures.fiscal_year}
        )
    return DeductionResult(
        eligible=True,
        reasons=[],
        rate=row.rate,
        parts=parts,
        eligible_base=base,
        extra_deduction=base * row.rate,
        amortisation_base=figures.rd_capitalised_cost * (1 + row.rate),
        notes=notes,
        sources=sources,
        part_rules=part_rules(policy),
    )


# --- The 科小 estimate (RULES §3.4, issue 10 item 2) ---------------------------

# The AnnualReturn fields the estimate reads, in the super-deduction's terms:
# the in-house categories, "other" (capped), and the entrusted amounts.
SME_ESTIMATE_IN_HOUSE_FIELDS = (
    "rd_personnel",
    "rd_direct",
    "rd_depreciation",
    "rd_amortisation",
    "rd_design",
    "rd_trials",
)


def estimate_sme_rd_deduction_base(
    *,
    rd_personnel: Decimal,
    rd_direct: Decimal,
    rd_depreciation: Decimal,
    rd_amortisation: Decimal,
    rd_design: Decimal,
    rd_trials: Decimal,
    rd_other: Decimal,
    rd_entrusted_domestic: Decimal,
    rd_entrusted_overseas: Decimal,
    policy: DeductionPolicy | None = None,
) -> Decimal:
    """An ESTIMATE (to be labelled 估算) of the R&D expense under the
    super-deduction scope, from the R&D components stored on an annual return
    (enterprises.AnnualReturn, keyword names as its fields), for the 科小 R&D
    measure when the enterprise gave no super-deduction figure.

    The six in-house categories count in full, `rd_other` up to the 10% cap,
    entrusted domestic R&D at 80%, entrusted overseas at 80% within 2/3 of
    the domestic eligible R&D — the rules of `super_deduction`, never the
    高企 scope (entrusted at 100%, other costs uncapped). The industry,
    taxation and rate do not enter: the 科小 measure is the expense base, not
    the deduction. Returns 元 to the fen (half up).

        estimate_sme_rd_deduction_base(
            **{name: getattr(annual_return, name) for name in SME_ESTIMATE_FIELDS}
        )
    """
    policy = policy or policy_from_settings()
    in_house = sum(
        (
            _fraction(v)
            for v in (
                rd_personnel,
                rd_direct,
                rd_depreciation,
                rd_amortisation,
                rd_design,
                rd_trials,
            )
        ),
        ZERO,
    )
    parts, _notes = eligible_parts(
        in_house=in_house,
        other_costs=_fraction(rd_other),
        entrusted_domestic=_fraction(rd_entrusted_domestic),
        entrusted_overseas=_fraction(rd_entrusted_overseas),
        policy=policy,
    )
    return Decimal(money_str(sum(parts.values(), ZERO)))


SME_ESTIMATE_FIELDS = (
    *SME_ESTIMATE_IN_HOUSE_FIELDS,
    "rd_other",
    "rd_entrusted_domestic",
    "rd_entrusted_overseas",
)
