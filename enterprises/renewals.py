"""The renewal calendar, pure (no queries, no writes): the 高企 application
window of a year, the window in which a holder re-applies (重新认定, RULES
§2.7), when the expiry warning starts (measured back from that window, not
from the expiry), and the 科小 annual update deadline (§3.5, Art. 12).

Every date comes from settings read at call time:
HNTE_APPLICATION_WINDOWS (per year), HNTE_APPLICATION_WINDOW_DEFAULT, and
LADDER["expiry_warning_days_before_window"], LADDER["tech_sme_update_deadline"],
LADDER["tech_sme_reminder_days"].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Window:
    """A 高企 application window, both days included."""

    year: int
    opens: date
    closes: date

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def _month_day(year: int, text: str) -> date:
    month, day = (int(x) for x in text.split("-"))
    return date(year, month, day)


def application_window(year: int) -> Window:
    """The window of `year`: as listed in HNTE_APPLICATION_WINDOWS, else the
    default month-days of HNTE_APPLICATION_WINDOW_DEFAULT."""
    listed: dict[int, tuple[str, str]] = settings.HNTE_APPLICATION_WINDOWS
    if year in listed:
        opens, closes = (date.fromisoformat(x) for x in listed[year])
    else:
        first, last = settings.HNTE_APPLICATION_WINDOW_DEFAULT
        opens, closes = _month_day(year, first), _month_day(year, last)
    if closes < opens:
        raise ValueError(
            f"the 高企 application window of {year} closes before it opens"
        )
    return Window(year, opens, closes)


def renewal_window(expires_on: date) -> Window:
    """The window in which a certificate ending on `expires_on` is renewed:
    its expiry year's, unless that opens after the expiry (then the year
    before's, so the new certificate can follow the old one)."""
    window = application_window(expires_on.year)
    if window.opens > expires_on:
        return application_window(expires_on.year - 1)
    return window


def _warning_days() -> int:
    ladder: dict[str, Any] = settings.LADDER
    return int(ladder["expiry_warning_days_before_window"])


def warning_from(expires_on: date) -> date:
    """The first day a certificate ending on `expires_on` is flagged as
    expiring: the configured number of days before its renewal window opens."""
    return renewal_window(expires_on).opens - timedelta(days=_warning_days())


def warning_until(today: date) -> date:
    """The last expiry date flagged on `today`: every certificate ending on
    or before it (and not yet ended) is in its warning period. Monotonic, so
    a list can filter on `expires_on <= warning_until(today)`."""
    days = timedelta(days=_warning_days())
    # The latest year whose window's warning has begun by today.
    year = today.year + 2
    while application_window(year).opens - days > today:
        year -= 1
    # Expiries up to the day before the next year's window opens renew in it.
    return application_window(year + 1).opens - timedelta(days=1)


def tech_sme_deadline(year: int) -> date:
    """The day 科小 update (or enter by the direct route) in `year`."""
    ladder: dict[str, Any] = settings.LADDER
    return _month_day(year, ladder["tech_sme_update_deadline"])


def tech_sme_reminder_due(today: date) -> date | None:
    """The deadline the 科小 reminder is sent for on `today`: this year's,
    when today is within the reminder days before it (the deadline day
    included); None otherwise."""
    ladder: dict[str, Any] = settings.LADDER
    deadline = tech_sme_deadline(today.year)
    starts = deadline - timedelta(days=int(ladder["tech_sme_reminder_days"]))
    return deadline if starts <= today <= deadline else None
