"""The eligibility engine: pure functions over an enterprise's figures.

Read it beside ../shared/domain/RULES.md. Section numbers in comments (§2.2 …)
point there. Every comparison is exact (fractions of the input decimals); values
are rounded only when they are shown to a person. Choices the rules leave open
([I] and [U] in RULES.md) are fields of `Policy`, filled from
settings.ELIGIBILITY, never constants in the code below.

Nothing here touches the database: `enterprises.selectors` feeds stored
returns in, the API feeds request figures in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

WAN = Fraction(10_000)  # 1万元
YI = 10_000 * WAN  # 1亿元


# --- Policy: the open choices ----------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Readings of rules the texts leave open. Defaults follow RULES.md."""

    # §2.5 growth when year 1 is zero: "last_two" → g = X3/X2 − 1 [I].
    growth_year1_zero: str = "last_two"
    # §2.5 growth with two years of figures: "simple" → g = X2/X1 − 1 [I];
    # with one year the score is 0 [I].
    growth_two_years: str = "simple"
    # §2.5 technology transfers: divide by 3, or by the years operated when
    # fewer ("operated") [I].
    transfer_divisor: str = "operated"
    # §2.4 "other" R&D expenses are capped at this share of categories 1–7
    # (0.25 ⇔ 20% of the total including "other") [I].
    other_rd_cap_of_rest: Fraction = Fraction(1, 4)
    # §2.2 condition 8: days before the application that an incident counts.
    incident_lookback_days: int = 365
    # §3.2: the enterprise may pick either R&D measure; take the better [I].
    sme_rd_measure: str = "best"  # or "sales" or "cost"
    # §3.3: awards and standards count within this many calendar years up to
    # and including the evaluation year [I].
    sme_direct_lookback_years: int = 5


def policy_from_settings() -> Policy:
    from django.conf import settings

    overrides: dict[str, Any] = dict(getattr(settings, "ELIGIBILITY", {}))
    if "other_rd_cap_of_rest" in overrides:
        overrides["other_rd_cap_of_rest"] = Fraction(
            str(overrides["other_rd_cap_of_rest"])
        )
    return Policy(**overrides)


# --- Shared helpers ---------------------------------------------------------


def exact(value: Any) -> Fraction:
    """Decimal, int or numeric string → an exact fraction (never via float)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        raise TypeError("use Decimal or str for money, not float")
    return Fraction(Decimal(str(value)))


def ratio_str(value: Fraction | None, places: int = 6) -> str | None:
    """A fraction as a decimal string with `places` decimals (half-up)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        number = Decimal(value.numerator) / Decimal(value.denominator)
        return str(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def threshold_str(value: Fraction) -> str:
    """A threshold such as 1/20 → "0.05" (thresholds are exact decimals)."""
    with localcontext() as ctx:
        ctx.prec = 60
        number = Decimal(value.numerator) / Decimal(value.denominator)
    return format(number.normalize(), "f")


def pct(value: Fraction, *, rounding: str = ROUND_DOWN) -> str:
    """For messages: 0.049505 → "4.95%". Truncates by default, so a value
    below a threshold never reads as reaching it."""
    with localcontext() as ctx:
        ctx.prec = 60
        number = Decimal(value.numerator * 100) / Decimal(value.denominator)
        return f"{number.quantize(Decimal('0.01'), rounding=rounding)}%"


def pct_plain(value: Fraction) -> str:
    """A threshold for messages, without trailing zeros: 1/20 → "5%"."""
    return f"{threshold_str(value * 100)}%"


def pp_gap(required: Fraction, actual: Fraction) -> str:
    """The shortfall in percentage points, rounded up: "0.20"."""
    gap = (required - actual) * 100
    with localcontext() as ctx:
        ctx.prec = 60
        number = Decimal(gap.numerator) / Decimal(gap.denominator)
        return str(number.quantize(Decimal("0.01"), rounding=ROUND_CEILING))


def wan(amount: Fraction) -> str:
    """Yuan → 万元 for messages: 50000000 → "5000"."""
    with localcontext() as ctx:
        ctx.prec = 60
        number = Decimal(amount.numerator) / Decimal(amount.denominator) / 10_000
    text = format(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Finding:
    """A person's recorded check of something the figures cannot decide
    (an expert judgement, a credit or incident check): whether it is met and
    the evidence, e.g. "据信用中国查询（2026-02-10）"."""

    met: bool
    evidence: str


# What a person checks, by subject: the names used in `missing` when no
# recorded check decides a condition (the subjects of enterprises' facts).
FINDING_NEEDS = {
    "core_tech": "专家判断：主要产品（服务）核心技术是否属于《国家重点支持的高新技术领域》",
    "incidents": "重大安全、质量事故及严重环境违法行为核查（如应急管理、市场监管、生态环境部门意见）",
    "credit": "信用核查：科研严重失信、经营异常名录、严重违法失信名单（如信用中国查询）",
    "industry": "所属行业核查：是否属于国家禁止、限制和淘汰类",
    "rd_accounts": "是否单独建立研发费用账目的核实",
    "future_industry": "主营产品是否属于所列未来产业的判断",
    "core_ip": "自主研发核心知识产权申请、授权及PCT申请情况",
    "talent_award": "核心研发团队D类及以上人才或省科学技术奖二等奖及以上情况",
    "equity_financing": "合格机构投资者实缴股权融资额",
}


@dataclass
class Condition:
    """One condition's verdict. `passed` is None when the figures given
    cannot decide it (pending); `missing` then names what would."""

    code: str
    passed: bool | None
    actual: Any
    required: Any
    message: str
    missing: list[str] = field(default_factory=list)
    # When pending: "data" waits for the enterprise's figures (a return, the
    # founding date …), "check" for a person's judgement or check.
    awaits: str = ""

    @property
    def status(self) -> str:
        if self.passed is None:
            return "pending"
        return "passed" if self.passed else "failed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status,
            "passed": self.passed,
            "actual": self.actual,
            "required": self.required,
            "message": self.message,
            "missing": list(self.missing),
            "awaits": self.awaits if self.passed is None else "",
        }


def all3(values: list[bool | None]) -> bool | None:
    """Three-valued AND: False if any is False, None if any is unknown."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def any3(values: list[bool | None]) -> bool | None:
    """Three-valued OR: True if any is True, None if any is unknown."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def _pending(
    code: str,
    required: Any,
    message: str,
    missing: list[str],
    *,
    awaits: str = "data",
) -> Condition:
    return Condition(code, None, None, required, message, list(missing), awaits)


def _missing_text(missing: list[str]) -> str:
    return "缺少" + "、".join(missing)


def _judged(
    code: str,
    value: bool | None,
    findings: list[tuple[str, Finding | None]],
    *,
    yes: str,
    no: str,
    required: Any = True,
) -> Condition:
    """A condition the figures give as a yes/no (`value`), or, when they do
    not, that recorded checks decide: met only when every subject's check is
    met, not met when any is not, pending (naming the checks) otherwise."""
    if value is not None:
        return Condition(code, value, value, required, yes if value else no)
    against = [(s, f) for s, f in findings if f is not None and not f.met]
    if against:
        evidence = "；".join(f.evidence for _, f in against if f is not None)
        return Condition(code, False, False, required, f"{evidence}：{no}")
    unknown = [s for s, f in findings if f is None]
    if unknown:
        missing = [FINDING_NEEDS[s] for s in unknown]
        return _pending(code, required, _missing_text(missing), missing, awaits="check")
    evidence = "；".join(f.evidence for _, f in findings if f is not None)
    return Condition(code, True, True, required, f"{evidence}：{yes}")


@dataclass(frozen=True)
class Band:
    band: str
    points: tuple[int, int]


def _band(
    value: Fraction, table: list[tuple[Fraction, str, tuple[int, int]]], below: Band
) -> Band:
    for threshold, name, points in table:
        if value >= threshold:
            return Band(name, points)
    return below


# --- §2 High and new technology enterprise (高新技术企业) ------------------------

HNTE_TECH_STAFF_MIN = Fraction(1, 10)  # §2.2 condition 4: ≥ 10%
HNTE_DOMESTIC_RD_MIN = Fraction(3, 5)  # §2.2 condition 5: ≥ 60%
HNTE_HIGHTECH_INCOME_MIN = Fraction(3, 5)  # §2.2 condition 6: ≥ 60%
HNTE_SCORE_ABOVE = 70  # §2.2 condition 7: > 70 ("不含70分")
HNTE_MIN_DAYS = 365  # §2.2 condition 1: ≥ 365 calendar days
ENTRUSTED_RD_SHARE = Fraction(4, 5)  # §2.4: entrusted R&D counts at 80%

# §2.2 R&D ratio bands, chosen by the last year's sales (upper bound inclusive).
HNTE_RD_BANDS: list[tuple[Fraction | None, Fraction, str]] = [
    (5_000 * WAN, Fraction(5, 100), "最近一年销售收入5000万元以下"),
    (2 * YI, Fraction(4, 100), "最近一年销售收入5000万元至2亿元"),
    (None, Fraction(3, 100), "最近一年销售收入2亿元以上"),
]

# §2.5 growth bands, used for both sales and net assets.
GROWTH_BANDS = [
    (Fraction(35, 100), "A", (9, 10)),
    (Fraction(25, 100), "B", (7, 8)),
    (Fraction(15, 100), "C", (5, 6)),
    (Fraction(5, 100), "D", (3, 4)),
]
TRANSFER_BANDS = [
    (Fraction(5), "A", (25, 30)),
    (Fraction(4), "B", (19, 24)),
    (Fraction(3), "C", (13, 18)),
    (Fraction(2), "D", (7, 12)),
    (Fraction(1), "E", (1, 6)),
]


@dataclass
class HighTechFigures:
    """Inputs of ELIGIBILITY_API.md /high-tech/. Lists run oldest first.

    On stored data a figure may be unknown: None (or a year absent from
    `years`) makes the conditions it feeds pending instead of guessed.
    `years` names the accounting year of each list entry (default: the last
    len(list) years before the application year); `absent` names what is
    missing when the last year's figures are None; `findings` are recorded
    checks by subject (see FINDING_NEEDS)."""

    application_date: date
    established_on: date | None
    ip_class1: int | None
    ip_class2: int | None
    core_tech_in_supported_fields: bool | None
    staff_total: Fraction | None
    tech_staff: Fraction | None
    sales_revenue: list[Fraction]
    rd_internal: list[Fraction]
    total_income: Fraction | None
    hightech_income: Fraction | None
    innovation_score: int | None
    rd_entrusted_domestic: list[Fraction] = field(default_factory=list)
    rd_entrusted_overseas: list[Fraction] = field(default_factory=list)
    non_taxable_income: Fraction = Fraction(0)
    major_incident_dates: list[date] | None = field(default_factory=list)
    net_assets: list[Fraction] | None = None
    tech_transfers_3y: int | None = None
    years: list[int] | None = None
    absent: list[str] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)


def hnte_years(application_date: date, established_on: date | None) -> list[int]:
    """The accounting years condition 5 and the §2.5 averages cover (§0.3):
    the three before the application year, or those since founding when the
    enterprise has operated less (the founding year counts as operated)."""
    last = application_date.year - 1
    first = last - 2
    if established_on is not None:
        first = max(first, established_on.year)
    return list(range(first, last + 1))


def years_text(years: list[int]) -> str:
    """[2023, 2024] → "2023、2024年度报表"."""
    return "、".join(str(y) for y in years) + "年度报表"


def hnte_rd_expense(
    categories: dict[str, Fraction], *, policy: Policy = Policy()
) -> Fraction:
    """R&D expense of one year under the HNTE scope (§2.4) from the eight
    categories: entrusted R&D at 80% of the amount incurred, "other" capped."""
    rest = sum(
        (exact(v) for k, v in categories.items() if k not in ("entrusted", "other")),
        Fraction(0),
    )
    rest += ENTRUSTED_RD_SHARE * exact(categories.get("entrusted", 0))
    other = min(exact(categories.get("other", 0)), policy.other_rd_cap_of_rest * rest)
    return rest + other


def growth_rate(
    values: list[Fraction], *, policy: Policy = Policy()
) -> Fraction | None:
    """§2.5 growth rate over the last three years, oldest first; None when
    the rules give a score of 0 without a rate (year 2 zero, one year)."""
    if len(values) >= 3:
        x1, x2, x3 = values[-3:]
        if x2 == 0:
            return None
        if x1 == 0:
            if policy.growth_year1_zero != "last_two":
                return None
            return x3 / x2 - 1
        return (x2 / x1 + x3 / x2) / 2 - 1
    if len(values) == 2:
        x1, x2 = values
        if x1 == 0 or policy.growth_two_years != "simple":
            return None
        return x2 / x1 - 1
    return None


def growth_band(rate: Fraction | None) -> Band:
    if rate is None or rate <= 0:
        return Band("F", (0, 0))
    return _band(rate, GROWTH_BANDS, Band("E", (1, 2)))


def ip_count_band(class1: int, class2: int) -> Band:
    if class1 >= 1:
        return Band("A", (7, 8))
    if class2 >= 5:
        return Band("B", (5, 6))
    if class2 >= 3:
        return Band("C", (3, 4))
    if class2 >= 1:
        return Band("D", (1, 2))
    return Band("E", (0, 0))


def transfer_band(average: Fraction) -> Band:
    return _band(average, TRANSFER_BANDS, Band("F", (0, 0)))


def _rd_totals(
    internal: list[Fraction], domestic: list[Fraction], overseas: list[Fraction]
) -> tuple[Fraction, Fraction]:
    """(total R&D, domestic R&D) over the years given, entrusted at 80%."""
    domestic_total = sum(internal, Fraction(0)) + ENTRUSTED_RD_SHARE * sum(
        domestic, Fraction(0)
    )
    overseas_total = ENTRUSTED_RD_SHARE * sum(overseas, Fraction(0))
    return domestic_total + overseas_total, domestic_total


def _rd_band(last_sales: Fraction) -> tuple[Fraction, str]:
    for ceiling, required, label in HNTE_RD_BANDS:
        if ceiling is None or last_sales <= ceiling:
            return required, label
    raise AssertionError("unreachable")


def _by_year(values: list[Fraction], years: list[int]) -> dict[int, Fraction]:
    return dict(zip(years, values, strict=False))


def _pending_band(missing: list[str]) -> dict[str, Any]:
    return {"status": "pending", "band": None, "points": None, "missing": missing}


def assess_high_tech(
    f: HighTechFigures, *, policy: Policy = Policy()
) -> dict[str, Any]:
    """The nine conditions of §2.2 (condition 5 as two) and the bands of §2.5,
    shaped as ELIGIBILITY_API.md's response."""
    conditions: list[Condition] = []
    last_absent = f.absent or [f"{f.application_date.year - 1}年度报表"]
    given_years = f.years or list(
        range(f.application_date.year - len(f.sales_revenue), f.application_date.year)
    )
    required_years = (
        hnte_years(f.application_date, f.established_on)
        if f.established_on is not None
        else given_years
    )
    missing_years = [y for y in required_years if y not in given_years]
    missing_returns = [years_text(missing_years)] if missing_years else []

    # 1. Registered at least 365 calendar days.
    if f.established_on is None:
        conditions.append(
            _pending(
                "registered_one_year",
                HNTE_MIN_DAYS,
                _missing_text(["成立日期"]),
                ["成立日期"],
            )
        )
    else:
        days = (f.application_date - f.established_on).days
        conditions.append(
            Condition(
                "registered_one_year",
                days >= HNTE_MIN_DAYS,
                days,
                HNTE_MIN_DAYS,
                f"注册成立已满365个日历天数（{days}天）"
                if days >= HNTE_MIN_DAYS
                else f"注册成立{max(days, 0)}天，不满365个日历天数，"
                f"还差{HNTE_MIN_DAYS - days}天",
            )
        )

    # 2. Owns at least one valid IP item.
    if f.ip_class1 is None or f.ip_class2 is None:
        conditions.append(
            _pending("owns_ip", 1, _missing_text(last_absent), last_absent)
        )
    else:
        ip_total = f.ip_class1 + f.ip_class2
        conditions.append(
            Condition(
                "owns_ip",
                ip_total >= 1,
                ip_total,
                1,
                f"拥有Ⅰ类知识产权{f.ip_class1}件、Ⅱ类知识产权{f.ip_class2}件"
                if ip_total
                else "未拥有有效知识产权，不符合认定条件",
            )
        )

    # 3. Core technology within the eight supported fields (experts decide).
    conditions.append(
        _judged(
            "core_tech_field",
            f.core_tech_in_supported_fields,
            [("core_tech", f.findings.get("core_tech"))],
            yes="主要产品（服务）核心技术属于《国家重点支持的高新技术领域》",
            no="主要产品（服务）核心技术不属于《国家重点支持的高新技术领域》",
        )
    )

    # 4. S&T staff ≥ 10% of total staff.
    if f.staff_total is None or f.tech_staff is None:
        conditions.append(
            _pending(
                "tech_staff_ratio",
                threshold_str(HNTE_TECH_STAFF_MIN),
                _missing_text(last_absent),
                last_absent,
            )
        )
    else:
        if f.staff_total > 0:
            staff_ratio: Fraction | None = f.tech_staff / f.staff_total
            assert staff_ratio is not None
            ok = staff_ratio >= HNTE_TECH_STAFF_MIN
            message = (
                f"科技人员占职工总数比例{pct(staff_ratio)}，不低于10%"
                if ok
                else f"科技人员占职工总数比例{pct(staff_ratio)}，低于10%的要求，"
                f"还差{pp_gap(HNTE_TECH_STAFF_MIN, staff_ratio)}个百分点"
            )
        else:
            staff_ratio, ok = None, False
            message = "职工总数为0，无法计算科技人员占比"
        conditions.append(
            Condition(
                "tech_staff_ratio",
                ok,
                ratio_str(staff_ratio),
                threshold_str(HNTE_TECH_STAFF_MIN),
                message,
            )
        )

    # 5a. R&D / sales over the years the rule requires (three, or the years
    # operated), never over whichever returns happen to be on file; the band
    # comes from the last year's sales.
    sales = _by_year(f.sales_revenue, given_years)
    internal = _by_year(f.rd_internal, given_years)
    domestic = _by_year(f.rd_entrusted_domestic, given_years)
    overseas = _by_year(f.rd_entrusted_overseas, given_years)
    n = len(required_years)
    period = "近三年" if n >= 3 else f"近{n}年"
    if missing_returns or not required_years:
        missing = missing_returns or ["已结束的会计年度"]
        why = (
            f"须按{period}（{required_years[0]}—{required_years[-1]}年）合计计算，"
            if required_years
            else "尚无已结束的会计年度，"
        )
        for code, wanted in (
            ("rd_expense_ratio", None),
            ("rd_domestic_share", threshold_str(HNTE_DOMESTIC_RD_MIN)),
        ):
            conditions.append(
                _pending(
                    code,
                    wanted,
                    f"{why}缺少{'、'.join(missing)}，暂不能判断",
                    missing,
                )
            )
        rd_total = Fraction(0)
    else:
        rd_total, rd_domestic = _rd_totals(
            [internal[y] for y in required_years],
            [domestic.get(y, Fraction(0)) for y in required_years],
            [overseas.get(y, Fraction(0)) for y in required_years],
        )
        sales_total = sum((sales[y] for y in required_years), Fraction(0))
        required, band_label = _rd_band(sales[required_years[-1]])
        if sales_total > 0:
            rd_ratio: Fraction | None = rd_total / sales_total
            assert rd_ratio is not None
            ok = rd_ratio >= required
            message = (
                f"{period}研发费用占销售收入比例{pct(rd_ratio)}，"
                f"达到{band_label}企业{pct_plain(required)}的要求"
                if ok
                else f"{period}研发费用占销售收入比例{pct(rd_ratio)}，"
                f"低于{band_label}企业{pct_plain(required)}的要求，"
                f"还差{pp_gap(required, rd_ratio)}个百分点"
            )
        else:
            rd_ratio, ok = None, False
            message = f"{period}销售收入为0，无法计算研发费用占比"
        conditions.append(
            Condition(
                "rd_expense_ratio",
                ok,
                ratio_str(rd_ratio),
                threshold_str(required),
                message,
            )
        )

        # 5b. Domestic R&D ≥ 60% of all R&D.
        if rd_total > 0:
            share: Fraction | None = rd_domestic / rd_total
            assert share is not None
            ok = share >= HNTE_DOMESTIC_RD_MIN
            message = (
                f"境内研发费用占全部研发费用比例{pct(share)}，不低于60%"
                if ok
                else f"境内研发费用占全部研发费用比例{pct(share)}，低于60%的要求，"
                f"还差{pp_gap(HNTE_DOMESTIC_RD_MIN, share)}个百分点"
            )
        else:
            share, ok = None, False
            message = "没有研发费用，无法计算境内研发费用占比"
        conditions.append(
            Condition(
                "rd_domestic_share",
                ok,
                ratio_str(share),
                threshold_str(HNTE_DOMESTIC_RD_MIN),
                message,
            )
        )

    # 6. High-tech income ≥ 60% of 总收入 = 收入总额 − 不征税收入.
    if f.total_income is None or f.hightech_income is None:
        conditions.append(
            _pending(
                "hightech_income_ratio",
                threshold_str(HNTE_HIGHTECH_INCOME_MIN),
                _missing_text(last_absent),
                last_absent,
            )
        )
    else:
        income = f.total_income - f.non_taxable_income
        if income > 0:
            income_ratio: Fraction | None = f.hightech_income / income
            assert income_ratio is not None
            ok = income_ratio >= HNTE_HIGHTECH_INCOME_MIN
            message = (
                f"近一年高新技术产品（服务）收入占总收入比例{pct(income_ratio)}，"
                "不低于60%"
                if ok
                else f"近一年高新技术产品（服务）收入占总收入比例{pct(income_ratio)}，"
                f"低于60%的要求，还差{pp_gap(HNTE_HIGHTECH_INCOME_MIN, income_ratio)}"
                "个百分点"
            )
        else:
            income_ratio, ok = None, False
            message = "总收入（收入总额减不征税收入）不大于0，无法计算高新技术收入占比"
        conditions.append(
            Condition(
                "hightech_income_ratio",
                ok,
                ratio_str(income_ratio),
                threshold_str(HNTE_HIGHTECH_INCOME_MIN),
                message,
            )
        )

    # §2.5 bands, over the same required years.
    bands: dict[str, Any] = {}
    if f.ip_class1 is None or f.ip_class2 is None:
        bands["ip_count"] = _pending_band(last_absent)
    else:
        ip = ip_count_band(f.ip_class1, f.ip_class2)
        bands["ip_count"] = {"band": ip.band, "points": list(ip.points)}
    growth_inputs = [("sales_growth", sales)]
    if f.net_assets is not None:
        growth_inputs.append(("net_asset_growth", _by_year(f.net_assets, given_years)))
    for key, values in growth_inputs:
        if missing_returns or not required_years:
            bands[key] = _pending_band(missing_returns or ["已结束的会计年度"])
            continue
        # With fewer than three years the rules' "actual period" readings apply.
        rate = growth_rate([values[y] for y in required_years], policy=policy)
        band = growth_band(rate)
        bands[key] = {
            "rate": ratio_str(rate),
            "band": band.band,
            "points": list(band.points),
        }
    if f.tech_transfers_3y is not None:
        if missing_returns or not required_years:
            bands["tech_transfers"] = _pending_band(
                missing_returns or ["已结束的会计年度"]
            )
        else:
            divisor = 3
            if policy.transfer_divisor == "operated":
                divisor = max(1, min(3, n))
            average = Fraction(f.tech_transfers_3y, divisor)
            band = transfer_band(average)
            bands["tech_transfers"] = {
                "average": ratio_str(average),
                "band": band.band,
                "points": list(band.points),
            }

    # 7. Innovation score > 70 (experts score it; unknown on stored data).
    if f.innovation_score is None:
        hints = "，".join(
            f"{label}{bands[key]['band']}档"
            for key, label in (
                ("ip_count", "知识产权数量"),
                ("tech_transfers", "成果转化"),
                ("sales_growth", "销售收入增长"),
                ("net_asset_growth", "净资产增长"),
            )
            if key in bands and bands[key].get("band")
        )
        missing = ["专家评定的创新能力评价得分"]
        conditions.append(
            _pending(
                "innovation_score",
                HNTE_SCORE_ABOVE + 1,
                "创新能力评价得分须由专家评定（须高于70分）"
                + (f"；参考：{hints}" if hints else ""),
                missing,
                awaits="check",
            )
        )
    else:
        ok = f.innovation_score > HNTE_SCORE_ABOVE
        conditions.append(
            Condition(
                "innovation_score",
                ok,
                f.innovation_score,
                HNTE_SCORE_ABOVE + 1,
                f"创新能力评价得分{f.innovation_score}分，高于70分"
                if ok
                else f"创新能力评价得分{f.innovation_score}分，须高于70分（不含70分），"
                f"还差{HNTE_SCORE_ABOVE + 1 - f.innovation_score}分",
            )
        )

    # 8. No major incident in the 365 days before the application.
    if f.major_incident_dates is None:
        conditions.append(
            _judged(
                "no_major_incident",
                None,
                [("incidents", f.findings.get("incidents"))],
                yes="申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为",
                no="申请认定前一年内发生重大安全、质量事故或严重环境违法行为",
            )
        )
    else:
        since = f.application_date - timedelta(days=policy.incident_lookback_days)
        recent = sorted(
            d for d in f.major_incident_dates if since <= d <= f.application_date
        )
        conditions.append(
            Condition(
                "no_major_incident",
                not recent,
                len(recent),
                0,
                "申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为"
                if not recent
                else f"申请认定前一年内发生重大安全、质量事故或严重环境违法行为"
                f"（{recent[-1].isoformat()}）",
            )
        )

    order = [
        "registered_one_year",
        "owns_ip",
        "core_tech_field",
        "tech_staff_ratio",
        "rd_expense_ratio",
        "rd_domestic_share",
        "hightech_income_ratio",
        "innovation_score",
        "no_major_incident",
    ]
    conditions.sort(key=lambda c: order.index(c.code))
    return {
        "eligible": all3([c.passed for c in conditions]),
        "conditions": [c.as_dict() for c in conditions],
        "bands": bands,
    }


# --- §3 科技型中小企业 --------------------------------------------------------

SME_MAX_STAFF = 500  # §3.1 condition 2: ≤ 500
SME_MAX_REVENUE = 2 * YI  # ≤ 2亿元
SME_MAX_ASSETS = 2 * YI  # ≤ 2亿元
SME_PASS_SCORE = 60  # §3.1 condition 5: ≥ 60

# §3.2 tables: (lower bound inclusive, points), best first.
SME_STAFF_POINTS = [
    (Fraction(30, 100), 20),
    (Fraction(25, 100), 16),
    (Fraction(20, 100), 12),
    (Fraction(15, 100), 8),
    (Fraction(10, 100), 4),
]
SME_RD_SALES_POINTS = [
    (Fraction(6, 100), 50),
    (Fraction(5, 100), 40),
    (Fraction(4, 100), 30),
    (Fraction(3, 100), 20),
    (Fraction(2, 100), 10),
]
SME_RD_COST_POINTS = [
    (Fraction(30, 100), 50),
    (Fraction(25, 100), 40),
    (Fraction(20, 100), 30),
    (Fraction(15, 100), 20),
    (Fraction(10, 100), 10),
]
SME_AWARD_LEVELS = ("national",)  # §3.3(2): national awards only
SME_AWARD_TOP_RANK = 3
SME_INSTITUTION_LEVELS = ("national", "provincial")  # §3.3(3)
SME_STANDARD_LEVELS = ("international", "national", "industry")  # §3.3(4)
SME_STANDARD_TOP_RANK = 5


def _points(value: Fraction | None, table: list[tuple[Fraction, int]]) -> int:
    if value is None:
        return 0
    for threshold, points in table:
        if value >= threshold:
            return points
    return 0


def sme_ip_points(class1: int, class2: int) -> int:
    if class1 >= 1:
        return 30
    return {0: 0, 1: 6, 2: 12, 3: 18}.get(class2, 24)


@dataclass
class TechSmeFigures:
    """Inputs of ELIGIBILITY_API.md /tech-sme/. On stored data a figure may
    be None (unknown): the conditions it feeds are pending, `absent` naming
    what is missing. `rd_expense` is the super-deduction figure (§3.4);
    `rd_estimated` labels an estimate of it as 估算."""

    evaluation_year: int
    staff_total: Fraction | None
    tech_staff: Fraction | None
    sales_revenue: Fraction | None
    total_assets: Fraction | None
    rd_expense: Fraction | None
    ip_class1: int | None
    ip_class2: int | None
    total_cost_expense: Fraction | None = None
    restricted_industry: bool | None = False
    compliance_issue: bool | None = False
    high_tech_certificate_valid: bool = False
    awards: list[dict[str, Any]] = field(default_factory=list)
    rd_institutions: list[str] = field(default_factory=list)
    standards: list[dict[str, Any]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    rd_absent: list[str] = field(default_factory=list)
    rd_estimated: bool = False
    findings: dict[str, Finding] = field(default_factory=dict)


def _ceiling_condition(
    code: str,
    actual: Fraction | None,
    ceiling: Fraction,
    label: str,
    *,
    money: bool,
    absent: list[str],
) -> Condition:
    """A "不超过" (≤) condition; money is shown in 万元, people as counts."""
    if actual is None:
        return _pending(code, threshold_str(ceiling), _missing_text(absent), absent)
    ok = actual <= ceiling
    if money:
        shown, limit, unit = wan(actual), wan(ceiling), "万元"
    else:
        shown, limit, unit = threshold_str(actual), threshold_str(ceiling), "人"
    return Condition(
        code,
        ok,
        ratio_str(actual, 2),
        threshold_str(ceiling),
        f"{label}{shown}{unit}，{'不超过' if ok else '超过'}{limit}{unit}",
    )


def sme_direct_grounds(f: TechSmeFigures, *, policy: Policy = Policy()) -> list[str]:
    """The §3.3 grounds that hold, in plain Chinese (empty when none)."""
    first_year = f.evaluation_year - policy.sme_direct_lookback_years + 1
    grounds = []
    if f.high_tech_certificate_valid:
        grounds.append("拥有有效期内高新技术企业资格证书")
    if any(
        a.get("level") in SME_AWARD_LEVELS
        and int(a.get("rank", 99)) <= SME_AWARD_TOP_RANK
        and first_year <= int(a.get("year", 0)) <= f.evaluation_year
        for a in f.awards
    ):
        grounds.append("近五年内获得国家级科技奖励，且在获奖单位中排名前三")
    if any(level in SME_INSTITUTION_LEVELS for level in f.rd_institutions):
        grounds.append("拥有经认定的省部级以上研发机构")
    if any(
        s.get("level") in SME_STANDARD_LEVELS
        and int(s.get("rank", 99)) <= SME_STANDARD_TOP_RANK
        and first_year <= int(s.get("year", 0)) <= f.evaluation_year
        for s in f.standards
    ):
        grounds.append("近五年内主导制定国际标准、国家标准或行业标准")
    return grounds


def _sme_score(f: TechSmeFigures, policy: Policy) -> tuple[Condition, dict[str, Any]]:
    """§3.2: the score condition and the scores. Pending when a figure it
    needs is unknown, unless the score fails whatever that figure is."""
    absent = f.absent or [f"{f.evaluation_year - 1}年度报表"]
    if f.staff_total is None or f.tech_staff is None:
        staff_points: int | None = None
        staff_ratio: Fraction | None = None
    else:
        staff_ratio = f.tech_staff / f.staff_total if f.staff_total > 0 else None
        staff_points = _points(staff_ratio, SME_STAFF_POINTS)
    ip_points = (
        None
        if f.ip_class1 is None or f.ip_class2 is None
        else sme_ip_points(f.ip_class1, f.ip_class2)
    )
    rd_points: int | None = None
    measure: str | None = None
    if f.rd_expense is not None and f.sales_revenue is not None:
        by_sales = f.rd_expense / f.sales_revenue if f.sales_revenue > 0 else None
        by_cost = (
            f.rd_expense / f.total_cost_expense
            if f.total_cost_expense is not None and f.total_cost_expense > 0
            else None
        )
        sales_points = _points(by_sales, SME_RD_SALES_POINTS)
        cost_points = (
            _points(by_cost, SME_RD_COST_POINTS) if by_cost is not None else None
        )
        if policy.sme_rd_measure == "cost" and cost_points is not None:
            rd_points, measure = cost_points, "cost"
        elif (
            policy.sme_rd_measure == "best"
            and cost_points is not None
            and cost_points > sales_points
        ):
            rd_points, measure = cost_points, "cost"
        else:
            rd_points, measure = sales_points, "sales"
    scores: dict[str, Any] = {
        "tech_staff": staff_points,
        "rd": rd_points,
        "rd_measure": measure,
        "ip": ip_points,
        "total": None,
    }
    estimate = "（研发费用为估算）" if f.rd_estimated else ""
    total: int | None = None
    if staff_points is not None and ip_points is not None and rd_points is not None:
        total = staff_points + rd_points + ip_points
        scores["total"] = total
    if staff_points == 0:
        shown = pct(staff_ratio) if staff_ratio is not None else "—"
        of_total = f"（总分{total}分）" if total is not None else ""
        return (
            Condition(
                "score",
                False,
                total,
                SME_PASS_SCORE,
                f"科技人员占比{shown}，低于10%，科技人员指标得0分，不符合条件{of_total}",
            ),
            scores,
        )
    if total is not None:
        ok = total >= SME_PASS_SCORE
        message = (
            f"评价得分{total}分，不低于60分，且科技人员指标得分不为0"
            if ok
            else f"评价得分{total}分，低于60分，还差{SME_PASS_SCORE - total}分"
        )
        return Condition("score", ok, total, SME_PASS_SCORE, message + estimate), scores
    # Unknown parts: fail only if even their best score cannot reach 60.
    best = (
        (20 if staff_points is None else staff_points)
        + (50 if rd_points is None else rd_points)
        + (30 if ip_points is None else ip_points)
    )
    if best < SME_PASS_SCORE:
        return (
            Condition(
                "score",
                False,
                None,
                SME_PASS_SCORE,
                f"即使未知指标取满分，评价得分最多{best}分，低于60分",
            ),
            scores,
        )
    missing: list[str] = []
    if staff_points is None or ip_points is None or f.sales_revenue is None:
        missing += absent
    if f.rd_expense is None and f.sales_revenue is not None:
        missing += f.rd_absent or [f"{f.evaluation_year - 1}年度研发费用加计扣除额"]
    known = "，".join(
        f"{label}{points}分"
        for label, points in (
            ("科技人员", staff_points),
            ("研发投入", rd_points),
            ("科技成果", ip_points),
        )
        if points is not None
    )
    return (
        _pending(
            "score",
            SME_PASS_SCORE,
            _missing_text(missing)
            + "，评价得分无法计算"
            + (f"（已知：{known}）" if known else ""),
            missing,
        ),
        scores,
    )


def assess_tech_sme(f: TechSmeFigures, *, policy: Policy = Policy()) -> dict[str, Any]:
    """§3.1 conditions, §3.2 scores and §3.3 direct routes, shaped as
    ELIGIBILITY_API.md's response."""
    absent = f.absent or [f"{f.evaluation_year - 1}年度报表"]
    conditions = [
        _ceiling_condition(
            "size_staff",
            f.staff_total,
            Fraction(SME_MAX_STAFF),
            "职工总数",
            money=False,
            absent=absent,
        ),
        _ceiling_condition(
            "size_revenue",
            f.sales_revenue,
            SME_MAX_REVENUE,
            "年销售收入",
            money=True,
            absent=absent,
        ),
        _ceiling_condition(
            "size_assets",
            f.total_assets,
            SME_MAX_ASSETS,
            "资产总额",
            money=True,
            absent=absent,
        ),
        _judged(
            "industry",
            None if f.restricted_industry is None else not f.restricted_industry,
            [("industry", f.findings.get("industry"))],
            yes="企业所属行业不属于国家禁止、限制和淘汰类",
            no="企业产品（服务）属于国家禁止、限制和淘汰类",
        ),
        _judged(
            "compliance",
            None if f.compliance_issue is None else not f.compliance_issue,
            [
                ("incidents", f.findings.get("incidents")),
                ("credit", f.findings.get("credit")),
            ],
            yes="上一年度至今未发生重大安全、质量事故、严重环境违法、科研严重失信行为，"
            "且未列入经营异常名录和严重违法失信企业名单",
            no="上一年度至今发生重大事故、严重违法失信或科研严重失信行为，不符合条件",
        ),
    ]
    score, scores = _sme_score(f, policy)
    conditions.append(score)

    grounds = sme_direct_grounds(f, policy=policy)
    conditions.append(
        Condition(
            "direct",
            bool(grounds),
            grounds,
            None,
            "符合直接确认条件：" + "；".join(grounds)
            if grounds
            else "不符合直接确认条件（高企证书、国家级科技奖励、省部级以上研发机构、"
            "主导制定标准）",
        )
    )

    base = all3([c.passed for c in conditions[:5]])
    eligible = all3([base, any3([score.passed, bool(grounds)])])
    route = None
    if eligible:
        route = "direct" if grounds else "score"
    return {
        "eligible": eligible,
        "route": route,
        "scores": scores,
        "conditions": [c.as_dict() for c in conditions],
    }


# --- §6.1 Hangzhou 雏鹰计划企业 (a configurable preset) ------------------------


@dataclass(frozen=True)
class ChuyingCriteria:
    """The 2022 round of 杭科高〔2020〕71号; each number can be changed per
    round in settings.ELIGIBILITY_CHUYING."""

    founded_from: date = date(2016, 6, 1)
    founded_to: date = date(2021, 5, 31)
    max_sales: Fraction = 5_000 * WAN  # ≤ 5,000万元
    min_staff: Fraction = Fraction(10)  # ≥ 10
    min_tech_staff_ratio: Fraction = Fraction(15, 100)  # ≥ 15%
    min_rd: Fraction = 50 * WAN  # ≥ 50万元
    small_sales_below: Fraction = 3_000 * WAN  # "小于3,000万" excludes 3,000万
    small_rd_ratio: Fraction = Fraction(5, 100)
    large_rd_ratio: Fraction = Fraction(4, 100)


def chuying_criteria_from_settings() -> ChuyingCriteria:
    from django.conf import settings

    raw: dict[str, Any] = dict(getattr(settings, "ELIGIBILITY_CHUYING", {}))
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("founded_from", "founded_to"):
            values[key] = (
                value if isinstance(value, date) else date.fromisoformat(value)
            )
        else:
            values[key] = exact(value)
    return ChuyingCriteria(**values)


@dataclass
class ChuyingFigures:
    """§6.1 figures of the previous year; None (unknown on stored data) makes
    the conditions they feed pending, `absent` naming what is missing."""

    established_on: date | None
    sales_revenue: Fraction | None  # previous year
    staff_total: Fraction | None
    tech_staff: Fraction | None
    rd_expense: Fraction | None
    ip_class1: int | None
    ip_class2: int | None
    separate_rd_accounts: bool | None = True
    compliance_issue: bool | None = False
    absent: list[str] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)


def assess_chuying(
    f: ChuyingFigures, criteria: ChuyingCriteria = ChuyingCriteria()
) -> dict[str, Any]:
    c = criteria
    absent = f.absent or ["上年度报表"]
    conditions = []
    if f.established_on is None:
        conditions.append(
            _pending(
                "founded_in_window",
                [c.founded_from.isoformat(), c.founded_to.isoformat()],
                _missing_text(["成立日期"]),
                ["成立日期"],
            )
        )
    else:
        in_window = c.founded_from <= f.established_on <= c.founded_to
        conditions.append(
            Condition(
                "founded_in_window",
                in_window,
                f.established_on.isoformat(),
                [c.founded_from.isoformat(), c.founded_to.isoformat()],
                f"成立于{f.established_on.isoformat()}，"
                f"{'在' if in_window else '不在'}{c.founded_from.isoformat()}至"
                f"{c.founded_to.isoformat()}之间",
            )
        )
    if f.sales_revenue is None:
        conditions.append(
            _pending(
                "sales_ceiling",
                ratio_str(c.max_sales, 2),
                _missing_text(absent),
                absent,
            )
        )
    else:
        ok = f.sales_revenue <= c.max_sales
        conditions.append(
            Condition(
                "sales_ceiling",
                ok,
                ratio_str(f.sales_revenue, 2),
                ratio_str(c.max_sales, 2),
                f"上年度销售收入{wan(f.sales_revenue)}万元，"
                f"{'不超过' if ok else '超过'}{wan(c.max_sales)}万元",
            )
        )
    if f.staff_total is None or f.tech_staff is None:
        for code, wanted in (
            ("staff_minimum", ratio_str(c.min_staff, 2)),
            ("tech_staff_ratio", threshold_str(c.min_tech_staff_ratio)),
        ):
            conditions.append(_pending(code, wanted, _missing_text(absent), absent))
    else:
        ok = f.staff_total >= c.min_staff
        conditions.append(
            Condition(
                "staff_minimum",
                ok,
                ratio_str(f.staff_total, 2),
                ratio_str(c.min_staff, 2),
                f"上年度职工总数{ratio_str(f.staff_total, 0)}人，"
                f"{'不少于' if ok else '少于'}{ratio_str(c.min_staff, 0)}人",
            )
        )
        staff_ratio = f.tech_staff / f.staff_total if f.staff_total > 0 else Fraction(0)
        ok = staff_ratio >= c.min_tech_staff_ratio
        conditions.append(
            Condition(
                "tech_staff_ratio",
                ok,
                ratio_str(staff_ratio),
                threshold_str(c.min_tech_staff_ratio),
                f"科技人员占比{pct(staff_ratio)}，"
                + (
                    f"不低于{pct_plain(c.min_tech_staff_ratio)}"
                    if ok
                    else f"低于{pct_plain(c.min_tech_staff_ratio)}，还差"
                    f"{pp_gap(c.min_tech_staff_ratio, staff_ratio)}个百分点"
                ),
            )
        )
    if f.rd_expense is None:
        conditions.append(
            _pending(
                "rd_minimum", ratio_str(c.min_rd, 2), _missing_text(absent), absent
            )
        )
    else:
        amount_ok = f.rd_expense >= c.min_rd
        amount = (
            f"上年度研发投入{wan(f.rd_expense)}万元，"
            + ("不低于" if amount_ok else "低于")
            + f"{wan(c.min_rd)}万元"
        )
        accounts = _judged(
            "rd_minimum",
            f.separate_rd_accounts,
            [("rd_accounts", f.findings.get("rd_accounts"))],
            yes="已单独建立研发费用账目",
            no="未单独建立研发费用账目",
        )
        if not amount_ok or accounts.passed is False:
            ok_parts = [amount] + (
                [accounts.message] if accounts.passed is False else []
            )
            conditions.append(
                Condition(
                    "rd_minimum",
                    False,
                    ratio_str(f.rd_expense, 2),
                    ratio_str(c.min_rd, 2),
                    "；".join(ok_parts),
                )
            )
        else:
            conditions.append(
                Condition(
                    "rd_minimum",
                    accounts.passed,
                    ratio_str(f.rd_expense, 2),
                    ratio_str(c.min_rd, 2),
                    f"{amount}；{accounts.message}",
                    accounts.missing,
                    accounts.awaits,
                )
            )
    if f.rd_expense is None or f.sales_revenue is None:
        conditions.append(_pending("rd_ratio", None, _missing_text(absent), absent))
    else:
        required = (
            c.small_rd_ratio
            if f.sales_revenue < c.small_sales_below
            else c.large_rd_ratio
        )
        rd_ratio = f.rd_expense / f.sales_revenue if f.sales_revenue > 0 else None
        ok = rd_ratio is not None and rd_ratio >= required
        if rd_ratio is None:
            message = "销售收入为0，无法计算研发投入占比"
        elif ok:
            message = (
                f"研发投入占销售收入比例{pct(rd_ratio)}，"
                f"达到{pct_plain(required)}的要求"
            )
        else:
            message = (
                f"研发投入占销售收入比例{pct(rd_ratio)}，低于{pct_plain(required)}"
                f"的要求，还差{pp_gap(required, rd_ratio)}个百分点"
            )
        conditions.append(
            Condition(
                "rd_ratio", ok, ratio_str(rd_ratio), threshold_str(required), message
            )
        )
    if f.ip_class1 is None or f.ip_class2 is None:
        conditions.append(_pending("owns_ip", 1, _missing_text(absent), absent))
    else:
        ok = f.ip_class1 + f.ip_class2 >= 1
        conditions.append(
            Condition(
                "owns_ip",
                ok,
                f.ip_class1 + f.ip_class2,
                1,
                "拥有Ⅱ类及以上自主知识产权" if ok else "未拥有Ⅱ类及以上自主知识产权",
            )
        )
    conditions.append(
        _judged(
            "compliance",
            None if f.compliance_issue is None else not f.compliance_issue,
            [
                ("incidents", f.findings.get("incidents")),
                ("credit", f.findings.get("credit")),
            ],
            yes="申报前一年内无重大事故、严重环境违法或严重失信行为",
            no="申报前一年内有重大事故、严重环境违法或严重失信行为",
        )
    )
    return {
        "eligible": all3([x.passed for x in conditions]),
        "conditions": [x.as_dict() for x in conditions],
    }


# --- §6.2 Hangzhou 新雏鹰企业 (a configurable preset, one per round) ------------


@dataclass(frozen=True)
class NewChuyingCriteria:
    """The 2024 round (杭州市科学技术局, in force 2024-10-11); each number can
    be changed per round in settings.ELIGIBILITY_NEW_CHUYING."""

    max_age_years: int = 5  # established ≤ 5 years
    min_rd_staff_ratio: Fraction = Fraction(20, 100)  # ≥ 20%
    min_rd_ratio: Fraction = Fraction(10, 100)  # ≥ 10% of operating revenue
    min_core_ip_applications: int = 3
    min_core_ip_granted: int = 1
    min_pct_applications: int = 1
    best_award_rank: int = 2  # provincial S&T award, second prize or higher
    strong_rd_last_year: Fraction = 1_000 * WAN  # ≥ 1,000万元
    strong_rd_3y: Fraction = 2_000 * WAN  # ≥ 2,000万元
    strong_equity: Fraction = 2_000 * WAN  # ≥ 2,000万元


def new_chuying_criteria_from_settings() -> NewChuyingCriteria:
    from django.conf import settings

    raw: dict[str, Any] = dict(getattr(settings, "ELIGIBILITY_NEW_CHUYING", {}))
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in (
            "max_age_years",
            "min_core_ip_applications",
            "min_core_ip_granted",
            "min_pct_applications",
            "best_award_rank",
        ):
            values[key] = int(value)
        else:
            values[key] = exact(value)
    return NewChuyingCriteria(**values)


def anniversary(day: date, years: int) -> date:
    """`day` plus whole years; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class NewChuyingFigures:
    """Inputs of ELIGIBILITY_API.md /new-chuying/. None is unknown (stored
    data): the conditions it feeds are pending unless `findings` decide."""

    evaluation_date: date
    established_on: date | None
    provincial_tech_sme: bool
    future_industry: bool | None
    staff_total: Fraction | None
    rd_staff: Fraction | None
    operating_revenue: Fraction | None
    rd_expense: Fraction | None
    core_ip_applications: int | None
    core_ip_granted: int | None
    pct_applications: int | None
    d_class_talent: bool | None = False
    provincial_award_rank: int | None = None
    rd_input_3y: Fraction | None = None
    equity_financing: Fraction | None = Fraction(0)
    serious_dishonesty: bool | None = False
    absent: list[str] = field(default_factory=list)
    rd_staff_absent: list[str] = field(default_factory=list)
    rd_3y_absent: list[str] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)


def assess_new_chuying(
    f: NewChuyingFigures, criteria: NewChuyingCriteria = NewChuyingCriteria()
) -> dict[str, Any]:
    """§6.2 conditions 1–6 in the order of ELIGIBILITY_API.md."""
    c = criteria
    absent = f.absent or [f"{f.evaluation_date.year - 1}年度报表"]
    conditions: list[Condition] = []

    # 1a. A provincial 科技型中小企业 this year.
    conditions.append(
        Condition(
            "tech_sme",
            f.provincial_tech_sme,
            f.provincial_tech_sme,
            True,
            f"已入库{f.evaluation_date.year}年度科技型中小企业"
            if f.provincial_tech_sme
            else f"未入库{f.evaluation_date.year}年度科技型中小企业",
        )
    )

    # 1b. Established no more than five years (以内 includes the day).
    if f.established_on is None:
        conditions.append(
            _pending("age", c.max_age_years, _missing_text(["成立日期"]), ["成立日期"])
        )
    else:
        limit = anniversary(f.established_on, c.max_age_years)
        ok = f.evaluation_date <= limit
        conditions.append(
            Condition(
                "age",
                ok,
                f.established_on.isoformat(),
                limit.isoformat(),
                f"成立于{f.established_on.isoformat()}，"
                + (
                    f"成立不超过{c.max_age_years}年"
                    if ok
                    else f"成立已超过{c.max_age_years}年（{limit.isoformat()}届满）"
                ),
            )
        )

    # 2. Future industries (a judgement).
    conditions.append(
        _judged(
            "future_industry",
            f.future_industry,
            [("future_industry", f.findings.get("future_industry"))],
            yes="主营产品属于所列未来产业领域",
            no="主营产品不属于所列未来产业领域",
        )
    )

    # 3. R&D staff ≥ 20% and R&D expense ≥ 10% of operating revenue.
    if f.staff_total is None or f.rd_staff is None:
        missing = f.rd_staff_absent or absent
        conditions.append(
            _pending(
                "rd_staff_ratio",
                threshold_str(c.min_rd_staff_ratio),
                _missing_text(missing),
                missing,
            )
        )
    else:
        ratio = f.rd_staff / f.staff_total if f.staff_total > 0 else Fraction(0)
        ok = ratio >= c.min_rd_staff_ratio
        conditions.append(
            Condition(
                "rd_staff_ratio",
                ok,
                ratio_str(ratio),
                threshold_str(c.min_rd_staff_ratio),
                f"上年度研发人员占职工总数比例{pct(ratio)}，"
                + (
                    f"不低于{pct_plain(c.min_rd_staff_ratio)}"
                    if ok
                    else f"低于{pct_plain(c.min_rd_staff_ratio)}，还差"
                    f"{pp_gap(c.min_rd_staff_ratio, ratio)}个百分点"
                ),
            )
        )
    if f.rd_expense is None or f.operating_revenue is None:
        conditions.append(
            _pending(
                "rd_expense_ratio",
                threshold_str(c.min_rd_ratio),
                _missing_text(absent),
                absent,
            )
        )
    else:
        ratio_or_none = (
            f.rd_expense / f.operating_revenue if f.operating_revenue > 0 else None
        )
        if ratio_or_none is None:
            # No revenue yet: any R&D spending exceeds 10% of nothing.
            ok = f.rd_expense > 0
            message = (
                f"上年度营业收入为0，研发费用{wan(f.rd_expense)}万元"
                if ok
                else "上年度营业收入和研发费用均为0"
            )
        else:
            ok = ratio_or_none >= c.min_rd_ratio
            message = f"上年度研发费用占营业收入比例{pct(ratio_or_none)}，" + (
                f"不低于{pct_plain(c.min_rd_ratio)}"
                if ok
                else f"低于{pct_plain(c.min_rd_ratio)}，还差"
                f"{pp_gap(c.min_rd_ratio, ratio_or_none)}个百分点"
            )
        conditions.append(
            Condition(
                "rd_expense_ratio",
                ok,
                ratio_str(ratio_or_none),
                threshold_str(c.min_rd_ratio),
                message,
            )
        )

    # 4. Own core IP: ≥ 3 applications of which ≥ 1 granted, or ≥ 1 PCT.
    if (
        f.core_ip_applications is None
        or f.core_ip_granted is None
        or f.pct_applications is None
    ):
        conditions.append(
            _judged(
                "core_ip",
                None,
                [("core_ip", f.findings.get("core_ip"))],
                yes="通过自主研发拥有符合要求的核心知识产权",
                no="自主研发核心知识产权不符合要求",
            )
        )
    else:
        by_count = (
            f.core_ip_applications >= c.min_core_ip_applications
            and f.core_ip_granted >= c.min_core_ip_granted
        )
        by_pct = f.pct_applications >= c.min_pct_applications
        ok = by_count or by_pct
        conditions.append(
            Condition(
                "core_ip",
                ok,
                f.core_ip_applications,
                c.min_core_ip_applications,
                f"核心知识产权申请{f.core_ip_applications}件（授权"
                f"{f.core_ip_granted}件），PCT申请{f.pct_applications}件，"
                + (
                    "符合要求"
                    if ok
                    else f"须申请不少于{c.min_core_ip_applications}件且授权不少于"
                    f"{c.min_core_ip_granted}件，或PCT申请不少于"
                    f"{c.min_pct_applications}件"
                ),
            )
        )

    # 5. Strength: any of (a) talent or award, (b) R&D input, (c) financing.
    held: list[str] = []
    unknown: list[str] = []
    unknown_check = False
    finding = f.findings.get("talent_award")
    if f.d_class_talent or (
        f.provincial_award_rank is not None
        and f.provincial_award_rank <= c.best_award_rank
    ):
        held.append("（一）核心研发团队有D类及以上人才或项目获省科学技术奖二等奖及以上")
    elif finding is not None and finding.met:
        held.append(f"（一）{finding.evidence}：核心研发团队人才或省科学技术奖符合要求")
    elif f.d_class_talent is None and finding is None:
        unknown.append(FINDING_NEEDS["talent_award"])
        unknown_check = True
    if f.rd_expense is not None and f.rd_expense >= c.strong_rd_last_year:
        held.append(f"（二）上年度研发投入{wan(f.rd_expense)}万元")
    elif f.rd_input_3y is not None and f.rd_input_3y >= c.strong_rd_3y:
        held.append(f"（二）近三年累计研发投入{wan(f.rd_input_3y)}万元")
    elif f.rd_expense is None:
        unknown += absent
    elif f.rd_input_3y is None and f.rd_3y_absent:
        unknown += f.rd_3y_absent
    finding = f.findings.get("equity_financing")
    if f.equity_financing is not None and f.equity_financing >= c.strong_equity:
        held.append(f"（三）累计实缴股权融资{wan(f.equity_financing)}万元")
    elif finding is not None and finding.met:
        held.append(f"（三）{finding.evidence}：累计实缴股权融资符合要求")
    elif f.equity_financing is None and finding is None:
        unknown.append(FINDING_NEEDS["equity_financing"])
        unknown_check = True
    if held:
        conditions.append(
            Condition("strength", True, held, None, "符合：" + "；".join(held))
        )
    elif unknown:
        conditions.append(
            _pending(
                "strength",
                None,
                _missing_text(unknown),
                unknown,
                awaits="check" if unknown_check else "data",
            )
        )
    else:
        conditions.append(
            Condition(
                "strength",
                False,
                [],
                None,
                f"人才或省科学技术奖、研发投入（上年度{wan(c.strong_rd_last_year)}万元"
                f"或三年累计{wan(c.strong_rd_3y)}万元）、股权融资"
                f"（{wan(c.strong_equity)}万元）均未达到要求",
            )
        )

    # 6. Not on the serious-dishonesty list.
    conditions.append(
        _judged(
            "credit",
            None if f.serious_dishonesty is None else not f.serious_dishonesty,
            [("credit", f.findings.get("credit"))],
            yes="未列入严重失信主体名单",
            no="列入严重失信主体名单",
        )
    )
    return {
        "eligible": all3([x.passed for x in conditions]),
        "conditions": [x.as_dict() for x in conditions],
    }
