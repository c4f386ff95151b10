"""Indicator arithmetic, pure and exact (RULES §5.2): aggregating periods,
ratios of separately aggregated parts, progress against target and
schedule, year-on-year growth, and ranks.

A period is (type, number): ("Y", 0), ("Q", 1–4) or ("M", 1–12). Everything
works "as of" a month: the last month the data covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

Period = tuple[str, int]


def period_end_month(period: Period) -> int:
    kind, number = period
    return 12 if kind == "Y" else number * 3 if kind == "Q" else number


def parse_period(text: str) -> tuple[int, Period]:
    """ "2025" → (2025, ("Y", 0)); "2025Q3" → (2025, ("Q", 3)); "2025-07" →
    (2025, ("M", 7)). ValueError in Chinese when malformed."""
    value = str(text).strip().upper()
    try:
        if len(value) == 4 and value.isdigit():
            return int(value), ("Y", 0)
        if (
            len(value) == 6
            and value[4] == "Q"
            and value[:4].isdigit()
            and value[5] in "1234"
        ):
            return int(value[:4]), ("Q", int(value[5]))
        if (
            len(value) == 7
            and value[4] == "-"
            and value[:4].isdigit()
            and value[5:].isdigit()
        ):
            month = int(value[5:])
            if 1 <= month <= 12:
                return int(value[:4]), ("M", month)
    except ValueError:
        pass
    raise ValueError(
        _("Period “%(text)s” is not like 2025, 2025Q3 or 2025-07.") % {"text": text}
    )


def period_text(year: int, period: Period) -> str:
    kind, number = period
    return (
        str(year)
        if kind == "Y"
        else f"{year}Q{number}"
        if kind == "Q"
        else f"{year}-{number:02d}"
    )


@dataclass(frozen=True)
class Spec:
    """What the arithmetic needs to know about an indicator."""

    aggregation: str  # "sum" | "last"
    ytd: bool

    @property
    def is_flow(self) -> bool:
        """A flow accumulates over the year (and so has a time schedule)."""
        return self.aggregation == "sum" or self.ytd


@dataclass(frozen=True)
class ComputedSource:
    """What a computed indicator counts, declared once: a flow (the year's
    awards, money granted: summed, due over the year by its schedule) or a
    stock (held on a day: never summed, due in full at any time), and the
    default monthly schedule of a flow (12 cumulative shares; empty means
    linear). The indicator's own `schedule` (data) wins over the default."""

    flow: bool
    schedule: tuple[float, ...] = ()


# Keyed by Indicator.Source. 科小 enter the database in the provincial
# evaluation batches, June to October (RULES §3.5: every year is a fresh
# evaluation), so the year's count is a flow that is not due in January;
# 高企 are recognised in the autumn 公示 (§2.6). Only the first award of a
# 高企 counts as new.
COMPUTED_SOURCES = {
    "new_hnte": ComputedSource(
        flow=True, schedule=(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 1)
    ),
    "tech_sme_count": ComputedSource(
        flow=True, schedule=(0, 0, 0, 0, 0, 0.1, 0.3, 0.5, 0.75, 1, 1, 1)
    ),
    "project_funds": ComputedSource(flow=True),
    "tech_loans": ComputedSource(flow=True),
}


def aggregate(
    spec: Spec, values: dict[Period, Decimal], as_of: int = 12
) -> tuple[Decimal | None, int]:
    """The year's value covering months 1..as_of, and the month it covers.

    An annual value wins when the whole year is asked for. Year-to-date and
    stock indicators take their latest period; summed flows add up the
    finest periods given (months, else quarters), never both."""
    if as_of >= 12 and ("Y", 0) in values:
        return values[("Y", 0)], 12
    usable = {
        p: v for p, v in values.items() if p[0] != "Y" and period_end_month(p) <= as_of
    }
    if not usable:
        return None, 0
    months = {p: v for p, v in usable.items() if p[0] == "M"}
    finest = months or {p: v for p, v in usable.items() if p[0] == "Q"}
    covered = max(period_end_month(p) for p in finest)
    if spec.aggregation == "last" or spec.ytd:
        latest = max(finest, key=period_end_month)
        return finest[latest], covered
    return sum(finest.values(), Decimal(0)), covered


def ratio(
    numerator: Decimal | None, denominator: Decimal | None, factor: Decimal
) -> Decimal | None:
    if numerator is None or denominator in (None, Decimal(0)):
        return None
    return numerator / denominator * factor


def growth(
    current: Decimal | None, previous: Decimal | None, *, is_ratio: bool
) -> Decimal | None:
    """Year-on-year: a fraction for raw values, the difference (percentage
    points) for ratios; None ("—") when the base is missing or zero."""
    if current is None or previous is None:
        return None
    if is_ratio:
        return current - previous
    if previous == 0:
        return None
    return (current - previous) / previous


def progress(
    value: Decimal | None, target: Decimal | None, *, lower_is_better: bool = False
) -> Decimal | None:
    """Completion of the target as a fraction (1 = met)."""
    if value is None or target is None or target == 0:
        return None
    if lower_is_better:
        return target / value if value else None
    return value / target


def rank(
    values: Iterable[tuple[Any, Decimal | None]], *, descending: bool = True
) -> dict[Any, int | None]:
    """Ranks by value: ties share a rank and the next is skipped (1, 1, 3);
    missing values are unranked (None)."""
    items = list(values)
    present = sorted(
        ((key, value) for key, value in items if value is not None),
        key=lambda kv: kv[1],
        reverse=descending,
    )
    ranks: dict[Any, int | None] = {key: None for key, _value in items}
    previous, current_rank = None, 0
    for position, (key, value) in enumerate(present, start=1):
        if value != previous:
            current_rank, previous = position, value
        ranks[key] = current_rank
    return ranks
