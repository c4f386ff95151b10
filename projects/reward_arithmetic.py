"""The arithmetic of the figure-based reward rules, and the Chinese sentence
that states it on each entitlement. Pure: numbers in, numbers and words out;
no ORM, no settings (the caller passes the rounding).

District policy reads like "按研发投入增量的5%给予奖励，最高300万元" or
"研发投入增长前10名": a base (a figure's total, its increment on the year
before, or its growth rate), eligibility floors on the figures, a rate with a
cap and a minimum, or rank bands. Amounts are 元 as Decimal; the sentences
show 万元 (RULES §0.2: compare unrounded, round only for display).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bureau.lib.money import number, percent, wan

TOTAL, INCREMENT, GROWTH = "total", "increment", "growth"

# How a reason names each figure (the policy's own words).
FIGURE_WORDS: dict[str, str] = {
    "rd_incurred": "研发投入",
    "rd_super_deduction": "研发费用（加计扣除口径）",
    "main_business_revenue": "主营业务收入",
    "tax_paid": "实缴税收",
    "tech_contract_absorbed": "吸纳技术合同技术交易额",
    "tech_contract_output": "输出技术合同技术交易额",
}


@dataclass(frozen=True)
class FigureRow:
    """One enterprise's figure of the year and of the year before (None
    when it filed nothing for that year)."""

    enterprise_id: int
    current: Decimal
    previous: Decimal | None

    def value(self, base: str) -> Decimal | None:
        """The base a rule reads: the total, the increment or the growth
        rate; None when it cannot be computed (no year before; growth on a
        zero base is "not comparable", RULES §5.2)."""
        if base == TOTAL:
            return self.current
        if self.previous is None:
            return None
        if base == INCREMENT:
            return self.current - self.previous
        if base == GROWTH:
            if self.previous <= 0:
                return None
            return (self.current - self.previous) / self.previous
        raise ValueError(f"unknown base {base!r}")


@dataclass(frozen=True)
class Floors:
    """Who may count at all: the figure of the year at least
    `minimum_current`, the figure of the year before at least
    `minimum_previous` (both inclusive: "不低于", "以上", RULES §0.2)."""

    minimum_current: Decimal | None = None
    minimum_previous: Decimal | None = None

    def admit(self, row: FigureRow) -> bool:
        if self.minimum_current is not None and row.current < self.minimum_current:
            return False
        if self.minimum_previous is not None and (
            row.previous is None or row.previous < self.minimum_previous
        ):
            return False
        return True


@dataclass(frozen=True)
class Candidate:
    """An enterprise the floors admit, with a base above zero (a fall or a
    standstill earns no reward), its rank and whether it shares it."""

    row: FigureRow
    value: Decimal
    rank: int
    tied: bool


def candidates(
    rows: Iterable[FigureRow], *, base: str, floors: Floors
) -> list[Candidate]:
    """The admitted rows with a positive base, best first and ranked: ties
    share the best rank and the next rank is skipped (1, 1, 3); among equals
    the lower enterprise id comes first, for a stable list."""
    valued = []
    for row in rows:
        if not floors.admit(row):
            continue
        value = row.value(base)
        if value is None or value <= 0:
            continue
        valued.append((row, value))
    valued.sort(key=lambda pair: (-pair[1], pair[0].enterprise_id))
    counts: dict[Decimal, int] = {}
    for _, value in valued:
        counts[value] = counts.get(value, 0) + 1
    ranked: list[Candidate] = []
    for index, (row, value) in enumerate(valued):
        if ranked and ranked[-1].value == value:
            rank = ranked[-1].rank
        else:
            rank = index + 1
        ranked.append(Candidate(row, value, rank, counts[value] > 1))
    return ranked


def within_top(ranked: Sequence[Candidate], n: int | None) -> list[Candidate]:
    """The candidates ranked N or better: a tie on rank N takes all who
    share it (并列), so the list may hold more than N."""
    if n is None:
        return list(ranked)
    return [c for c in ranked if c.rank <= n]


# --- Rank bands ---------------------------------------------------------------


def sorted_tiers(tiers: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(tiers, key=lambda t: int(t["up_to_rank"]))


def tier_for_rank(
    tiers: Sequence[dict[str, Any]], rank: int
) -> tuple[int, int, Decimal] | None:
    """(first rank, last rank, amount) of the band that pays `rank` in
    `tiers` sorted by `up_to_rank`, or None beyond the last band."""
    first = 1
    for tier in tiers:
        last = int(tier["up_to_rank"])
        if rank <= last:
            return first, last, Decimal(str(tier["amount"]))
        first = last + 1
    return None


def tier_amount(tiers: Iterable[dict[str, Any]], rank: int) -> Decimal:
    """The amount of the band that pays `rank`; 0 beyond the last band."""
    band = tier_for_rank(sorted_tiers(tiers), rank)
    return Decimal(0) if band is None else band[2]


# --- Rates --------------------------------------------------------------------


@dataclass(frozen=True)
class RateResult:
    product: Decimal  # base × rate, rounded to the quantum
    amount: Decimal  # after the cap and the minimum
    limited_by: str  # "", "cap" or "minimum"


def rate_amount(
    value: Decimal,
    *,
    rate: Decimal,
    cap: Decimal | None,
    minimum: Decimal | None,
    quantum: Decimal,
) -> RateResult:
    """`value` × `rate`, rounded half up to a multiple of `quantum` 元
    (0.01, 1, 100…); above `cap` it is
    the cap ("最高…"), below `minimum` it is the minimum ("不足…按…计"). An
    amount exactly at the cap or the minimum is already within them."""
    steps = (value * rate / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    product = steps * quantum
    if cap is not None and product > cap:
        return RateResult(product, cap, "cap")
    if minimum is not None and product < minimum:
        return RateResult(product, minimum, "minimum")
    return RateResult(product, product, "")


# --- The sentences --------------------------------------------------------------


def wan_words(yuan: Decimal) -> str:
    """An amount in a reason: "1,234.56万元", "50万元"."""
    return f"{wan(yuan, 2, trim=True)}万元"


def rate_words(rate: Decimal) -> str:
    """0.05 → "5%", 0.025 → "2.5%" (as exact as the rule states it)."""
    return f"{number(rate * 100, 4, trim=True)}%"


def figure_words(
    figure: str, base: str, year: int, row: FigureRow, value: Decimal
) -> str:
    """What the base is, with its figures: "2025年研发投入 2,830万元",
    "2025年研发投入增量 783万元（2025年 2,830万元，2024年 2,047万元）",
    "2025年研发投入增长率 38.3%（2025年 2,830万元，2024年 2,047万元）"."""
    name = FIGURE_WORDS.get(figure, figure)
    if base == TOTAL:
        return f"{year}年{name} {wan_words(value)}"
    both = (
        f"（{year}年 {wan_words(row.current)}，"
        f"{year - 1}年 {wan_words(row.previous or Decimal(0))}）"
    )
    if base == INCREMENT:
        return f"{year}年{name}增量 {wan_words(value)}{both}"
    return f"{year}年{name}增长率 {percent(value, 1)}{both}"


def rank_words(candidate: Candidate, scope: str) -> str:
    """ "全区第3名", "科技型中小企业中并列第1名"."""
    tie = "并列" if candidate.tied else ""
    return f"{scope}{tie}第{candidate.rank}名"


def band_words(first: int, last: int, amount: Decimal) -> str:
    ranks = f"第{first}名" if first == last else f"第{first}至{last}名"
    return f"按{ranks}档奖励 {wan_words(amount)}"


def rate_sentence(head: str, rate: Decimal, result: RateResult) -> str:
    """ "<head> × 5% = 61.73万元，超过上限 50万元，按 50万元 计"."""
    text = f"{head} × {rate_words(rate)} = {wan_words(result.product)}"
    if result.limited_by == "cap":
        text += (
            f"，超过上限 {wan_words(result.amount)}，按 {wan_words(result.amount)} 计"
        )
    elif result.limited_by == "minimum":
        text += (
            f"，不足保底 {wan_words(result.amount)}，按 {wan_words(result.amount)} 计"
        )
    return text


# --- A rule's terms in one line (the rules page) ------------------------------

BASE_WORDS = {TOTAL: "", INCREMENT: "增量", GROWTH: "增长率"}
ROUND_WORDS = {"first": "首次认定", "renewal": "重新认定", "all": "首次及重新认定"}
LEVEL_WORDS = {
    "national": "国家级",
    "provincial": "省级",
    "municipal": "市级",
    "district": "区级",
}


def terms_sentence(rule: Any, tier_names: dict[str, str]) -> str:
    """What a RewardRule pays, as its policy would say it: "国家高新技术企业
    首次认定，每家 20万元", "按研发投入增量 × 5%，最高 50万元，保底 10万元；
    上年度不低于 100万元"."""
    kind = rule.kind
    if kind == "new_tier":
        tier = tier_names.get(rule.target, rule.target)
        return f"{tier}{ROUND_WORDS.get(rule.award_round, '')}，每家 {wan_words(rule.amount or Decimal(0))}"
    if kind == "new_rd_institution":
        level = LEVEL_WORDS.get(rule.target, rule.target)
        return f"新认定{level}研发机构，每家 {wan_words(rule.amount or Decimal(0))}"
    scope = f"{tier_names.get(rule.target, rule.target)}中" if rule.target else "全区"
    what = (
        f"{FIGURE_WORDS.get(rule.figure, rule.figure)}{BASE_WORDS.get(rule.base, '')}"
    )
    parts: list[str] = []
    if kind == "rate":
        head = f"{scope}按{what} × {rate_words(rule.rate or Decimal(0))}"
        if rule.top_n:
            head += f"（仅前{rule.top_n}名）"
        parts.append(head)
        if rule.cap is not None:
            parts.append(f"最高 {wan_words(rule.cap)}")
        if rule.minimum_amount is not None:
            parts.append(f"保底 {wan_words(rule.minimum_amount)}")
    else:
        bands = []
        first = 1
        for tier in sorted_tiers(rule.tiers):
            last = int(tier["up_to_rank"])
            ranks = f"第{first}名" if first == last else f"第{first}至{last}名"
            bands.append(f"{ranks} {wan_words(Decimal(str(tier['amount'])))}")
            first = last + 1
        parts.append(f"{scope}按{what}排名：{'，'.join(bands)}")
    floors = []
    if rule.minimum_current is not None:
        floors.append(f"本年度不低于 {wan_words(rule.minimum_current)}")
    if rule.minimum_previous is not None:
        floors.append(f"上年度不低于 {wan_words(rule.minimum_previous)}")
    text = "，".join(parts)
    return f"{text}；{'，'.join(floors)}" if floors else text
