"""Number formats of Chinese reports: 万元 and 亿元 with separators, percents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _grouped(number: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


@register.filter
def wan(value: Any, places: int = 2) -> str:
    """Yuan → 万元: 85260322.52 → "8,526.03"."""
    number = _decimal(value)
    return "—" if number is None else _grouped(number / 10_000, int(places))


@register.filter
def yi(value: Any, places: int = 2) -> str:
    """Yuan → 亿元: 1234567890 → "12.35"."""
    number = _decimal(value)
    return "—" if number is None else _grouped(number / 100_000_000, int(places))


@register.filter
def percent(value: Any, places: int = 1) -> str:
    """A fraction → percent: 0.1234 → "12.3%"."""
    number = _decimal(value)
    return "—" if number is None else f"{_grouped(number * 100, int(places))}%"
