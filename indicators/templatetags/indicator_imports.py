"""Template filters of the indicator import pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from indicators.formats import value_parts
from indicators.imports import cell_place, column_label

register = template.Library()


@register.filter
def import_column(header: str) -> str:
    """统计期 for "period" or "统计期"; other headers as they are."""
    return column_label(str(header)) if header else ""


@register.filter
def import_cell(error: dict[str, Any]) -> str:
    """Where an import error is: "第5行 C列（统计期）"."""
    return cell_place(error)


@register.simple_tag
def import_figure(value: Decimal | None, unit: str) -> str:
    """A value as the dashboard shows it in its unit (52,000.00 for 万元)."""
    if value is None:
        return ""
    return value_parts(value, unit, yi=False)[0]
