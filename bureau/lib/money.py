"""The one money and number formatter: amounts are stored in 元 and shown in
万元 (or 亿元) with the unit named. Pages (template filters in
bureau/templatetags/bureau_format.py), Excel and Word all come through here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

YUAN_PER_WAN = Decimal(10_000)
YUAN_PER_YI = Decimal(100_000_000)
DASH = "—"


def to_decimal(value: Any) -> Decimal | None:
    """Decimal of a number, a numeric string or a Fraction; None if blank or
    not a number."""
    if value is None or value == "":
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number(
    value: Any, places: int = 2, *, grouping: bool = True, trim: bool = False
) -> str:
    """A number for reading: 1234567.891 → "1,234,567.89"; "—" when blank.
    `trim` drops trailing zeros ("12.50" → "12.5", "2,830.00" → "2,830")."""
    figure = to_decimal(value)
    if figure is None:
        return DASH
    quantum = Decimal(1).scaleb(-int(places))
    rounded = figure.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{int(places)}f}" if grouping else f"{rounded:.{int(places)}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wan_amount(yuan: Any) -> Decimal | None:
    """元 → 万元 as a number (for Excel cells and charts)."""
    figure = to_decimal(yuan)
    return None if figure is None else figure / YUAN_PER_WAN


def wan(
    yuan: Any, places: int = 2, *, grouping: bool = True, trim: bool = False
) -> str:
    """元 → 万元 text without the unit: 85260322.52 → "8,526.03"."""
    return number(wan_amount(yuan), places, grouping=grouping, trim=trim)


def yi(yuan: Any, places: int = 2) -> str:
    """元 → 亿元 text without the unit: 1234567890 → "12.35"."""
    figure = to_decimal(yuan)
    return DASH if figure is None else number(figure / YUAN_PER_YI, places)


def wan_with_unit(yuan: Any, places: int = 2) -> str:
    """ "8,526.03万元", or "—"."""
    text = wan(yuan, places, trim=True)
    return text if text == DASH else f"{text}万元"


def percent(fraction: Any, places: int = 1) -> str:
    """A fraction → percent: 0.1234 → "12.3%"."""
    figure = to_decimal(fraction)
    return DASH if figure is None else f"{number(figure * 100, places)}%"


def yuan_from_wan(wan_value: Any) -> Decimal | None:
    """What a form in 万元 received, in 元 for storage (to the fen)."""
    figure = to_decimal(wan_value)
    if figure is None:
        return None
    return (figure * YUAN_PER_WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(group: int) -> str:
    out, zero = "", False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _SMALL_UNITS[position]
    return out


def amount_in_words(yuan: Any) -> str:
    """元 in 大写 as on a Chinese cheque: 600000 → "人民币陆拾万元整",
    1234.56 → "人民币壹仟贰佰叁拾肆元伍角陆分"."""
    figure = to_decimal(yuan)
    if figure is None:
        return DASH
    negative = figure < 0
    fen_total = int((abs(figure) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    whole, fen = divmod(fen_total, 100)
    jiao, fen = divmod(fen, 10)
    groups: list[int] = []
    while whole:
        whole, group = divmod(whole, 10_000)
        groups.append(group)
    text, need_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += "零"
        text += _four_digits(group) + _BIG_UNITS[index]
        need_zero = False
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        text = (text or "零元") + "整"
    else:
        if jiao:
            text += _DIGITS[jiao] + "角"
        elif text:
            text += "零"
        if fen:
            text += _DIGITS[fen] + "分"
        else:
            text += "整"
    return ("负" if negative else "") + "人民币" + text
