"""How indicator figures read on the dashboard pages and in the work
summary: the unit-aware shapes of Chinese reports, built on the one number
formatter (bureau.lib.money). Pure code."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from bureau.lib.money import DASH, number, percent, wan

NO_DATA = "（暂无数据）"
WAN_PER_YI = Decimal(10_000)


def value_parts(
    value: Decimal | None,
    unit: str,
    *,
    grouped: bool = True,
    yi: bool | None = None,
) -> tuple[str, str]:
    """An indicator value in its unit, as (number, unit): 万元 turns into 亿元
    from 10,000万元 up (or always / never with `yi`, to keep a column in one
    unit); percentages with two decimals; counts as whole numbers unless
    they are not whole (e.g. patents per 10,000 people)."""
    if value is None:
        return DASH, unit
    if unit == "万元" and (abs(value) >= WAN_PER_YI if yi is None else yi):
        return number(value / WAN_PER_YI, 2, grouping=grouped), "亿元"
    if unit in ("%", "万元", "亿元"):
        return number(value, 2, grouping=grouped), unit
    if value == value.to_integral_value():
        return number(value, 0, grouping=grouped), unit
    return number(value, 2, grouping=grouped), unit


def value_text(value: Decimal | None, unit: str) -> str:
    """For prose: "1.2亿元", "5000万元", "2.31%" (percentages keep two decimals)."""
    if value is None:
        return NO_DATA
    shown, shown_unit = value_parts(value, unit, grouped=False)
    if shown_unit != "%" and "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return f"{shown}{shown_unit}"


def difference_unit(unit: str) -> str:
    """What a ratio's year-on-year difference is counted in: 百分点 for
    percentages, else the ratio's own unit (e.g. 件 per 10,000 people)."""
    return "个百分点" if unit == "%" else unit


def yoy_short(yoy: Decimal | None, *, points: bool, unit: str = "%") -> str:
    """Year-on-year for tables: "+12.3%" for values; for ratios the
    difference, "+0.11个百分点" (or "+8.15件" for a ratio in 件)."""
    if yoy is None:
        return DASH
    sign = "+" if yoy > 0 else "-" if yoy < 0 else ""
    if points:
        return f"{sign}{number(abs(yoy), 2)}{difference_unit(unit)}"
    return f"{sign}{number(abs(yoy) * 100, 1)}%"


def decimal_formatter(
    places: str, factor: Decimal | int = 1
) -> Callable[[Decimal | None], str | None]:
    """A function writing figures for an API answer: value × factor as a
    fixed-point string ("12.3400"), or null. Made once per unit, it is called
    for each of a board's thousands of figures. Times 1 changes neither the
    value nor its exponent, so it is skipped."""
    exponent = Decimal(places)
    if factor == 1:
        return lambda value: None if value is None else str(value.quantize(exponent))
    return lambda value: (
        None if value is None else str((value * factor).quantize(exponent))
    )


_FORMATTERS: dict[str, Callable[[Decimal | None], str | None]] = {}


def api_decimal(value: Decimal | None, places: str = "0.0001") -> str | None:
    """A figure in an API answer: a fixed-point string ("12.3400"), or null."""
    formatter = _FORMATTERS.get(places)
    if formatter is None:  # a few distinct `places`: each parsed once
        formatter = _FORMATTERS[places] = decimal_formatter(places)
    return formatter(value)


def percent_text(fraction: Decimal | None, places: int = 1) -> str:
    return percent(fraction, places)


def money_text(yuan: Decimal | None) -> str:
    """Yuan → "128.5万元" or "3.25亿元" for report prose."""
    if yuan is None:
        return NO_DATA
    in_wan = Decimal(yuan) / WAN_PER_YI
    if abs(in_wan) >= WAN_PER_YI:
        return f"{number(in_wan / WAN_PER_YI, 2, grouping=False, trim=True)}亿元"
    return f"{wan(yuan, 2, grouping=False, trim=True)}万元"


def yoy_phrase(yoy: Decimal | None, *, points: bool, unit: str = "%") -> str:
    """Year-on-year for prose: "同比增长12.3%", "同比提高0.11个百分点"."""
    if yoy is None:
        return "上年同期无可比数据"
    if yoy == 0:
        return "与上年同期持平"
    if points:
        if unit == "%":
            verb = "提高" if yoy > 0 else "降低"
        else:
            verb = "增加" if yoy > 0 else "减少"
        amount = number(abs(yoy), 2, grouping=False)
        return f"同比{verb}{amount}{difference_unit(unit)}"
    verb = "增长" if yoy > 0 else "下降"
    return f"同比{verb}{number(abs(yoy) * 100, 1, grouping=False)}%"
