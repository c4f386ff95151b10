"""Template filters for the number formats of Chinese reports; the formatting
itself is bureau.lib.money, shared with Excel and Word."""

from __future__ import annotations

from typing import Any

from django import template

from bureau.lib import money, periods, pii

register = template.Library()


@register.filter
def wan(value: Any, places: int = 2) -> str:
    """元 → 万元: 85260322.52 → "8,526.03"."""
    return money.wan(value, int(places))


@register.filter
def yi(value: Any, places: int = 2) -> str:
    """元 → 亿元: 1234567890 → "12.35"."""
    return money.yi(value, int(places))


@register.filter
def percent(value: Any, places: int = 1) -> str:
    """A fraction → percent: 0.1234 → "12.3%"."""
    return money.percent(value, int(places))


@register.filter
def in_words(value: Any) -> str:
    """元 → 大写: 600000 → "人民币陆拾万元整"."""
    return money.amount_in_words(value)


@register.filter
def masked_phone(value: Any) -> str:
    """A phone shown to anyone but its owner: 13812348000 → "138****8000"."""
    return pii.mask_phone(str(value or ""))


@register.filter
def period(value: Any) -> str:
    """A period code as words: "2025Q3" → "2025年第三季度", "2025-07" →
    "2025年7月" (bureau.lib.periods)."""
    return periods.period_label(value)


@register.simple_tag
def quarter_label(year: int, quarter: int) -> str:
    """{% quarter_label 2025 3 %} → "2025年第三季度"."""
    return periods.quarter_label(int(year), int(quarter))
