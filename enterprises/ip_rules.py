"""What the IP register and the transfer register give the rules (RULES §2.3,
§2.5, §3.2): pure functions over plain facts, no ORM.

- IP classes: Class Ⅰ = invention (and defence) patents, plant and national
  crop varieties, national new drugs, national first-grade protected TCM
  varieties, IC layout designs; Class Ⅱ = utility models, designs, software
  copyrights; trademarks (and anything else) are never counted.
- An item counts when it is granted and valid on the assessment date: status
  granted, grant date on or before that date, protection not ended.
- 高企: a Class Ⅱ item already used for an earlier 高企 application is not
  counted again; Class Ⅰ items may be reused. The IP indicator is capped at 30.
- Technology transfers: one result converted in several years, or by several
  contracts, counts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from enterprises.eligibility import Band, ip_count_band

CLASS_1 = "1"
CLASS_2 = "2"
NOT_COUNTED = ""

# IP type code → class (RULES §2.3; §3.2 lists the same classes).
CLASS_OF_TYPE: dict[str, str] = {
    "invention": CLASS_1,
    "defence_patent": CLASS_1,
    "plant_variety": CLASS_1,
    "crop_variety": CLASS_1,
    "new_drug": CLASS_1,
    "tcm_variety": CLASS_1,
    "ic_layout": CLASS_1,
    "utility": CLASS_2,
    "design": CLASS_2,
    "software": CLASS_2,
    "trademark": NOT_COUNTED,
    "other": NOT_COUNTED,
}

GRANTED = "granted"
OWN_RD = "own_rd"

# §2.5 IP indicator: the sub-items' maxima and the cap of the indicator.
IP_ADVANCEMENT_MAX = 8
IP_CORE_SUPPORT_MAX = 8
IP_COUNT_MAX = 8
IP_ACQUISITION_MAX = 6
IP_STANDARDS_BONUS_MAX = 2
IP_INDICATOR_CAP = 30


def ip_class_of(ip_type: str) -> str:
    """The class of an IP type: "1", "2" or "" (not counted)."""
    return CLASS_OF_TYPE.get(ip_type, NOT_COUNTED)


@dataclass(frozen=True)
class IPFacts:
    """One row of the IP register as the rules read it."""

    ip_class: str
    status: str
    granted_on: date | None
    expires_on: date | None = None
    ownership: str = OWN_RD
    hnte_used_year: int | None = None


def is_valid_on(item: IPFacts, on: date) -> bool:
    """Granted on or before `on` and still protected on `on`."""
    return (
        item.status == GRANTED
        and item.granted_on is not None
        and item.granted_on <= on
        and (item.expires_on is None or item.expires_on >= on)
    )


@dataclass(frozen=True)
class IPCount:
    class1: int
    class2: int
    # Class Ⅱ items valid but used for an earlier 高企 application.
    class2_used_before: int = 0
    # Of the items counted, how many the enterprise developed itself.
    own_rd: int = 0

    @property
    def total(self) -> int:
        return self.class1 + self.class2


def count_for_high_tech(items: Iterable[IPFacts], *, on: date) -> IPCount:
    """The IP a 高企 application made on `on` may count (RULES §2.3): valid
    Class Ⅰ items, and valid Class Ⅱ items not used for an application of an
    earlier year (an item marked for this year's application still counts)."""
    class1 = class2 = used = own = 0
    for item in items:
        if item.ip_class == NOT_COUNTED or not is_valid_on(item, on):
            continue
        if item.ip_class == CLASS_2 and item.hnte_used_year is not None:
            if item.hnte_used_year < on.year:
                used += 1
                continue
        if item.ip_class == CLASS_1:
            class1 += 1
        else:
            class2 += 1
        own += item.ownership == OWN_RD
    return IPCount(class1=class1, class2=class2, class2_used_before=used, own_rd=own)


def count_for_tech_sme(items: Iterable[IPFacts], *, on: date) -> IPCount:
    """The IP the 科小 evaluation counts (RULES §3.2): every valid Class Ⅰ and
    Class Ⅱ item; there is no once-only rule there."""
    class1 = class2 = own = 0
    for item in items:
        if item.ip_class == NOT_COUNTED or not is_valid_on(item, on):
            continue
        if item.ip_class == CLASS_1:
            class1 += 1
        else:
            class2 += 1
        own += item.ownership == OWN_RD
    return IPCount(class1=class1, class2=class2, own_rd=own)


def acquisition_band(count: IPCount) -> Band:
    """§2.5 知识产权获得方式: A (1–6) when some counted item is the enterprise's
    own R&D, B (1–3) when all came by transfer, gift or merger, none → 0."""
    if count.total == 0:
        return Band("", (0, 0))
    if count.own_rd:
        return Band("A", (1, IP_ACQUISITION_MAX))
    return Band("B", (1, 3))


def ip_indicator(
    *,
    advancement: int,
    core_support: int,
    count: int,
    acquisition: int,
    standards_bonus: int = 0,
) -> int:
    """The IP indicator from its sub-scores (integers, each within its
    maximum): the bonus may lift the sum above 30, the indicator stays at 30."""
    for value, most, name in (
        (advancement, IP_ADVANCEMENT_MAX, "advancement"),
        (core_support, IP_CORE_SUPPORT_MAX, "core_support"),
        (count, IP_COUNT_MAX, "count"),
        (acquisition, IP_ACQUISITION_MAX, "acquisition"),
        (standards_bonus, IP_STANDARDS_BONUS_MAX, "standards_bonus"),
    ):
        if not 0 <= value <= most:
            raise ValueError(f"{name} must be between 0 and {most}")
    total = advancement + core_support + count + acquisition + standards_bonus
    return min(total, IP_INDICATOR_CAP)


@dataclass(frozen=True)
class IPBand:
    """What the register decides of the IP indicator: the count and
    acquisition bands, and the range the whole indicator can take once the
    experts score the rest (capped at 30)."""

    count: IPCount
    count_band: Band
    acquisition_band: Band

    @property
    def indicator_range(self) -> tuple[int, int]:
        low = self.count_band.points[0] + self.acquisition_band.points[0]
        high = ip_indicator(
            advancement=IP_ADVANCEMENT_MAX,
            core_support=IP_CORE_SUPPORT_MAX,
            count=self.count_band.points[1],
            acquisition=self.acquisition_band.points[1],
            standards_bonus=IP_STANDARDS_BONUS_MAX,
        )
        return low, high


def high_tech_ip_band(items: Iterable[IPFacts], *, on: date) -> IPBand:
    count = count_for_high_tech(items, on=on)
    return IPBand(
        count=count,
        count_band=ip_count_band(count.class1, count.class2),
        acquisition_band=acquisition_band(count),
    )


# --- Technology transfers -----------------------------------------------------


@dataclass(frozen=True)
class TransferFacts:
    """One conversion of a result: `result_key` names the result (the same
    key for every year or contract that converted it)."""

    result_key: str
    year: int


def result_key(title: str) -> str:
    """The key that makes two rows the same result: the title without
    spaces, case-folded (“智能 温控系统” and “智能温控系统” are one)."""
    return "".join(title.split()).casefold()


def transfers_in_years(
    transfers: Iterable[TransferFacts], *, first_year: int, last_year: int
) -> int:
    """Results converted in the years first_year…last_year (inclusive),
    each result counted once however many years or contracts converted it."""
    return len({t.result_key for t in transfers if first_year <= t.year <= last_year})


def high_tech_transfer_count(transfers: Iterable[TransferFacts], *, on: date) -> int:
    """The transfers of the three accounting years before the application
    year (RULES §0.3), each result once."""
    return transfers_in_years(transfers, first_year=on.year - 3, last_year=on.year - 1)
