"""Template filters of the indicator import pages."""

from __future__ import annotations

from django import template

from indicators.imports import column_label

register = template.Library()


@register.filter
def import_column(header: str) -> str:
    """统计期（period） for a template code; other headers as they are."""
    return column_label(str(header)) if header else ""
