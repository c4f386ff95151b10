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


@dataclass
class Condition:
    code: str
    passed: bool
    actual: Any
    required: Any
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "passed": self.passed,
            "actual": self.actual,
            "required": self.required,
            "message": self.message,
        }


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
    """Inputs of ELIGIBILITY_API.md /high-tech/. Lists run oldest first."""

    application_date: date
    established_on: date
    ip_class1: int
    ip_class2: int
    core_tech_in_supported_fields: bool
    staff_total: Fraction
    tech_staff: Fraction
    sales_revenue: list[Fraction]
    rd_internal: list[Fraction]
    total_income: Fraction
    hightech_income: Fraction
    innovation_score: int
    rd_entrusted_domestic: list[Fraction] = field(default_factory=list)
    rd_entrusted_overseas: list[Fraction] = field(default_factory=list)
    non_taxable_income: Fraction = Fraction(0)
    major_incident_dates: list[date] = field(default_factory=list)
    net_assets: list[Fraction] | None = None
    tech_transfers_3y: int | None = None


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


def _rd_totals(f: HighTechFigures) -> tuple[Fraction, Fraction]:
    """(total R&D, domestic R&D) over the years given, entrusted at 80%."""
    internal = sum(f.rd_internal, Fraction(0))
    domestic_entrusted = ENTRUSTED_RD_SHARE * sum(f.rd_entrusted_domestic, Fraction(0))
    overseas_entrusted = ENTRUSTED_RD_SHARE * sum(f.rd_entrusted_overseas, Fraction(0))
    domestic = internal + domestic_entrusted
    return domestic + overseas_entrusted, domestic


def _rd_band(last_sales: Fraction) -> tuple[Fraction, str]:
    for ceiling, required, label in HNTE_RD_BANDS:
        if ceiling is None or last_sales <= ceiling:
            return required, label
    raise AssertionError("unreachable")


def assess_high_tech(
    f: HighTechFigures, *, policy: Policy = Policy()
) -> dict[str, Any]:
    """The nine conditions of §2.2 (condition 5 as two) and the bands of §2.5,
    shaped as ELIGIBILITY_API.md's response."""
    conditions: list[Condition] = []
    years = len(f.sales_revenue)

    # 1. Registered at least 365 calendar days.
    days = (f.application_date - f.established_on).days
    conditions.append(
        Condition(
            "registered_one_year",
            days >= HNTE_MIN_DAYS,
            days,
            HNTE_MIN_DAYS,
            f"注册成立已满365个日历天数（{days}天）"
            if days >= HNTE_MIN_DAYS
            else f"注册成立{max(days, 0)}天，不满365个日历天数，还差{HNTE_MIN_DAYS - days}天",
        )
    )

    # 2. Owns at least one valid IP item.
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
        Condition(
            "core_tech_field",
            bool(f.core_tech_in_supported_fields),
            bool(f.core_tech_in_supported_fields),
            True,
            "主要产品（服务）核心技术属于《国家重点支持的高新技术领域》"
            if f.core_tech_in_supported_fields
            else "主要产品（服务）核心技术不属于《国家重点支持的高新技术领域》",
        )
    )

    # 4. S&T staff ≥ 10% of total staff.
    if f.staff_total > 0:
        staff_ratio = f.tech_staff / f.staff_total
        ok = staff_ratio >= HNTE_TECH_STAFF_MIN
        message = (
            f"科技人员占职工总数比例{pct(staff_ratio)}，不低于10%"
            if ok
            else f"科技人员占职工总数比例{pct(staff_ratio)}，低于10%的要求，"
            f"还差{pp_gap(HNTE_TECH_STAFF_MIN, staff_ratio)}个百分点"
        )
    else:
        staff_ratio, ok, message = None, False, "职工总数为0，无法计算科技人员占比"
    conditions.append(
        Condition(
            "tech_staff_ratio",
            ok,
            ratio_str(staff_ratio),
            threshold_str(HNTE_TECH_STAFF_MIN),
            message,
        )
    )

    # 5a. R&D / sales over the years given, band from the last year's sales.
    rd_total, rd_domestic = _rd_totals(f)
    sales_total = sum(f.sales_revenue, Fraction(0))
    required, band_label = _rd_band(f.sales_revenue[-1])
    period = "近三年" if years >= 3 else f"近{years}年"
    if sales_total > 0:
        rd_ratio = rd_total / sales_total
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
        share = rd_domestic / rd_total
        ok = share >= HNTE_DOMESTIC_RD_MIN
        message = (
            f"境内研发费用占全部研发费用比例{pct(share)}，不低于60%"
            if ok
            else f"境内研发费用占全部研发费用比例{pct(share)}，低于60%的要求，"
            f"还差{pp_gap(HNTE_DOMESTIC_RD_MIN, share)}个百分点"
        )
    else:
        share, ok, message = None, False, "没有研发费用，无法计算境内研发费用占比"
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
    income = f.total_income - f.non_taxable_income
    if income > 0:
        income_ratio = f.hightech_income / income
        ok = income_ratio >= HNTE_HIGHTECH_INCOME_MIN
        message = (
            f"近一年高新技术产品（服务）收入占总收入比例{pct(income_ratio)}，不低于60%"
            if ok
            else f"近一年高新技术产品（服务）收入占总收入比例{pct(income_ratio)}，"
            f"低于60%的要求，还差{pp_gap(HNTE_HIGHTECH_INCOME_MIN, income_ratio)}个百分点"
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

    # 7. Innovation score > 70.
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

    # §2.5 bands.
    bands: dict[str, Any] = {}
    ip = ip_count_band(f.ip_class1, f.ip_class2)
    bands["ip_count"] = {"band": ip.band, "points": list(ip.points)}
    # With fewer than three years the rules' "actual period" readings apply.
    rate = growth_rate(f.sales_revenue, policy=policy)
    band = growth_band(rate)
    bands["sales_growth"] = {
        "rate": ratio_str(rate),
        "band": band.band,
        "points": list(band.points),
    }
    if f.net_assets is not None:
        rate = growth_rate(f.net_assets, policy=policy)
        band = growth_band(rate)
        bands["net_asset_growth"] = {
            "rate": ratio_str(rate),
            "band": band.band,
            "points": list(band.points),
        }
    if f.tech_transfers_3y is not None:
        divisor = 3
        if policy.transfer_divisor == "operated":
            divisor = max(1, min(3, years))
        average = Fraction(f.tech_transfers_3y, divisor)
        band = transfer_band(average)
        bands["tech_transfers"] = {
            "average": ratio_str(average),
            "band": band.band,
            "points": list(band.points),
        }

    return {
        "eligible": all(c.passed for c in conditions),
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
    """Inputs of ELIGIBILITY_API.md /tech-sme/."""

    evaluation_year: int
    staff_total: Fraction
    tech_staff: Fraction
    sales_revenue: Fraction
    total_assets: Fraction
    rd_expense: Fraction
    ip_class1: int
    ip_class2: int
    total_cost_expense: Fraction | None = None
    restricted_industry: bool = False
    compliance_issue: bool = False
    high_tech_certificate_valid: bool = False
    awards: list[dict[str, Any]] = field(default_factory=list)
    rd_institutions: list[str] = field(default_factory=list)
    standards: list[dict[str, Any]] = field(default_factory=list)


def _ceiling_condition(
    code: str, actual: Fraction, ceiling: Fraction, label: str, *, money: bool
) -> Condition:
    """A "不超过" (≤) condition; money is shown in 万元, people as counts."""
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


def assess_tech_sme(f: TechSmeFigures, *, policy: Policy = Policy()) -> dict[str, Any]:
    """§3.1 conditions, §3.2 scores and §3.3 direct routes, shaped as
    ELIGIBILITY_API.md's response."""
    conditions = [
        _ceiling_condition(
            "size_staff",
            f.staff_total,
            Fraction(SME_MAX_STAFF),
            "职工总数",
            money=False,
        ),
        _ceiling_condition(
            "size_revenue", f.sales_revenue, SME_MAX_REVENUE, "年销售收入", money=True
        ),
        _ceiling_condition(
            "size_assets", f.total_assets, SME_MAX_ASSETS, "资产总额", money=True
        ),
        Condition(
            "industry",
            not f.restricted_industry,
            not f.restricted_industry,
            True,
            "企业所属行业不属于国家禁止、限制和淘汰类"
            if not f.restricted_industry
            else "企业产品（服务）属于国家禁止、限制和淘汰类",
        ),
        Condition(
            "compliance",
            not f.compliance_issue,
            not f.compliance_issue,
            True,
            "上一年度至今未发生重大安全、质量事故、严重环境违法、科研严重失信行为，"
            "且未列入经营异常名录和严重违法失信企业名单"
            if not f.compliance_issue
            else "上一年度至今发生重大事故、严重违法失信或科研严重失信行为，不符合条件",
        ),
    ]

    staff_ratio = f.tech_staff / f.staff_total if f.staff_total > 0 else None
    staff_points = _points(staff_ratio, SME_STAFF_POINTS)
    by_sales = f.rd_expense / f.sales_revenue if f.sales_revenue > 0 else None
    by_cost = (
        f.rd_expense / f.total_cost_expense
        if f.total_cost_expense is not None and f.total_cost_expense > 0
        else None
    )
    sales_points = _points(by_sales, SME_RD_SALES_POINTS)
    cost_points = _points(by_cost, SME_RD_COST_POINTS) if by_cost is not None else None
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
    ip_points = sme_ip_points(f.ip_class1, f.ip_class2)
    total = staff_points + rd_points + ip_points
    score_ok = total >= SME_PASS_SCORE and staff_points != 0
    if score_ok:
        score_message = f"评价得分{total}分，不低于60分，且科技人员指标得分不为0"
    elif staff_points == 0:
        score_message = (
            f"科技人员占比{pct(staff_ratio) if staff_ratio is not None else '—'}，"
            f"低于10%，科技人员指标得0分，不符合条件（总分{total}分）"
        )
    else:
        score_message = f"评价得分{total}分，低于60分，还差{SME_PASS_SCORE - total}分"
    conditions.append(
        Condition("score", score_ok, total, SME_PASS_SCORE, score_message)
    )

    grounds = sme_direct_grounds(f, policy=policy)
    conditions.append(
        Condition(
            "direct",
            bool(grounds),
            grounds,
            None,
            "符合直接确认条件：" + "；".join(grounds)
            if grounds
            else "不符合直接确认条件（高企证书、国家级科技奖励、省部级以上研发机构、主导制定标准）",
        )
    )

    base_ok = all(c.passed for c in conditions[:5])
    eligible = base_ok and (score_ok or bool(grounds))
    route = None
    if eligible:
        route = "direct" if grounds else "score"
    return {
        "eligible": eligible,
        "route": route,
        "scores": {
            "tech_staff": staff_points,
            "rd": rd_points,
            "rd_measure": measure,
            "ip": ip_points,
            "total": total,
        },
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
    established_on: date
    sales_revenue: Fraction  # previous year
    staff_total: Fraction
    tech_staff: Fraction
    rd_expense: Fraction
    ip_class1: int
    ip_class2: int
    separate_rd_accounts: bool = True
    compliance_issue: bool = False


def assess_chuying(
    f: ChuyingFigures, criteria: ChuyingCriteria = ChuyingCriteria()
) -> dict[str, Any]:
    c = criteria
    conditions = []
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
    ok = f.rd_expense >= c.min_rd and f.separate_rd_accounts
    conditions.append(
        Condition(
            "rd_minimum",
            ok,
            ratio_str(f.rd_expense, 2),
            ratio_str(c.min_rd, 2),
            f"上年度研发投入{wan(f.rd_expense)}万元，"
            + ("不低于" if f.rd_expense >= c.min_rd else "低于")
            + f"{wan(c.min_rd)}万元"
            + ("" if f.separate_rd_accounts else "；未单独建立研发费用账目"),
        )
    )
    required = (
        c.small_rd_ratio if f.sales_revenue < c.small_sales_below else c.large_rd_ratio
    )
    rd_ratio = f.rd_expense / f.sales_revenue if f.sales_revenue > 0 else None
    ok = rd_ratio is not None and rd_ratio >= required
    if rd_ratio is None:
        message = "销售收入为0，无法计算研发投入占比"
    elif ok:
        message = (
            f"研发投入占销售收入比例{pct(rd_ratio)}，达到{pct_plain(required)}的要求"
        )
    else:
        message = (
            f"研发投入占销售收入比例{pct(rd_ratio)}，低于{pct_plain(required)}的要求，"
            f"还差{pp_gap(required, rd_ratio)}个百分点"
        )
    conditions.append(
        Condition("rd_ratio", ok, ratio_str(rd_ratio), threshold_str(required), message)
    )
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
        Condition(
            "compliance",
            not f.compliance_issue,
            not f.compliance_issue,
            True,
            "申报前一年内无重大事故、严重环境违法或严重失信行为"
            if not f.compliance_issue
            else "申报前一年内有重大事故、严重环境违法或严重失信行为",
        )
    )
    return {
        "eligible": all(x.passed for x in conditions),
        "conditions": [x.as_dict() for x in conditions],
    }
