"""Template filters of the talent pages. Amounts in 元 (monthly allowances)
go through bureau.lib.money like every other amount."""

from __future__ import annotations

from django import template

from bureau.lib import money

register = template.Library()


@register.filter
def yuan(value: object, places: int | str = 2) -> str:
    """An amount in 元 with grouping and without the unit: 5000 → "5,000.00"
    (`places` may come from the template as text: `|yuan:0`)."""
    return money.number(value, int(places))
