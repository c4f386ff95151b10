"""Reporting periods as a Chinese report writes them: 2025年, 2025年第三季度,
2025年7月. One formatter for pages, notifications, audit names and files;
codes such as "2025Q3" stay in the API and in URLs.

    quarter_label(2025, 3)      → "2025年第三季度"
    period_label("2025Q3")      → "2025年第三季度"
    period_label("2025-07")     → "2025年7月"
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

QUARTER_NAMES = {
    1: _("First quarter"),
    2: _("Second quarter"),
    3: _("Third quarter"),
    4: _("Fourth quarter"),
}

_CODE = re.compile(
    r"^(?P<year>\d{4})(?:(?:Q|-Q)(?P<quarter>[1-4])|-(?P<month>\d{1,2}))?$"
)


def year_label(year: int) -> str:
    """2025 → "2025年"."""
    return gettext("year %(year)s") % {"year": year}


def quarter_label(year: int, quarter: int) -> str:
    """(2025, 3) → "2025年第三季度"."""
    return gettext("%(year)s, %(quarter)s") % {
        "year": year,
        "quarter": QUARTER_NAMES[quarter],
    }


def month_label(year: int, month: int) -> str:
    """(2025, 7) → "2025年7月"."""
    return gettext("%(year)s-%(period)02d") % {"year": year, "period": month}


def period_label(code: object) -> str:
    """A period code ("2025", "2025Q3", "2025-Q3", "2025-07") as words; any
    other value is returned as text unchanged."""
    text = str(code if code is not None else "").strip()
    match = _CODE.match(text)
    if match is None:
        return text
    year = int(match["year"])
    if match["quarter"]:
        return quarter_label(year, int(match["quarter"]))
    if match["month"] and 1 <= int(match["month"]) <= 12:
        return month_label(year, int(match["month"]))
    if match["month"]:
        return text
    return year_label(year)
