"""季度监测: the arithmetic of the quarterly monitoring, pure (no queries, no
writes): quarters and their filing deadlines, and the tally of each street's
enterprises from already-loaded figures. enterprises/services/monitoring.py
loads the figures and stores the reports.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import QuarterlyReport

PERIOD = re.compile(r"^(\d{4})Q([1-4])$")

# The flags a monitored enterprise may carry, as the pages and Excel show them.
FLAG_LABELS = {
    "missing": _("not filed"),
    "late": _("filed late"),
    "declining": _("revenue declining"),
    "expiring": _("certificate expiring"),
}


def parse_period(value: str) -> tuple[int, int]:
    """ "2025Q3" → (2025, 3); ValueError with a clear message otherwise."""
    match = PERIOD.match(value.strip().upper())
    if not match:
        raise ValueError(f"{value!r} is not a quarter like 2025Q3")
    return int(match.group(1)), int(match.group(2))


def filing_deadline(year: int, quarter: int) -> date:
    ladder: dict[str, Any] = settings.LADDER  # values of several types
    return QuarterlyReport.quarter_end(year, quarter) + timedelta(
        days=ladder["quarterly_filing_days"]
    )


def latest_due_quarter(today: date) -> tuple[int, int]:
    """The most recent quarter whose filing deadline has passed."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(8):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        if filing_deadline(year, quarter) < today:
            return year, quarter
    raise AssertionError("unreachable")


def due_quarters(today: date, count: int = 8) -> list[tuple[int, int]]:
    """The `count` most recent quarters past their filing deadline, newest
    first: what staff may start monitoring from the page."""
    year, quarter = latest_due_quarter(today)
    result = []
    for _step in range(count):
        result.append((year, quarter))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return result


@dataclass
class UnitTally:
    """One street's or park's figures for a quarter."""

    monitored: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    decliners: int = 0
    expiring: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Filing:
    submitted_at: datetime | None
    revenue_ytd: Decimal


def tally(
    *,
    monitored: dict[int, date | None],
    units: dict[int, int],
    names: dict[int, str],
    filings: dict[int, Filing],
    last_year_revenue: dict[int, Decimal],
    deadline: date,
    decline: Decimal,
    warn_until: date,
) -> dict[int, UnitTally]:
    """Per street or park (by id): who filed on time, late or not at all,
    who is declining and whose multi-year certificate expires by `warn_until`.

    `monitored` maps each enterprise on the ladder to its soonest expiry (or
    None); `filings` holds the quarter's handed-in reports, and
    `last_year_revenue` the same quarter's revenue a year before."""
    per_unit: dict[int, UnitTally] = defaultdict(UnitTally)
    for enterprise_id, expires in monitored.items():
        unit = per_unit[units[enterprise_id]]
        unit.monitored += 1
        flags: list[str] = []
        filing = filings.get(enterprise_id)
        growth = None
        if filing is None:
            unit.missing += 1
            flags.append("missing")
        else:
            submitted = (
                timezone.localtime(filing.submitted_at).date()
                if filing.submitted_at
                else None
            )
            if submitted is not None and submitted > deadline:
                unit.late += 1
                flags.append("late")
            else:
                unit.on_time += 1
            previous = last_year_revenue.get(enterprise_id)
            if previous:
                growth = (filing.revenue_ytd - previous) / previous
                if growth <= decline:
                    unit.decliners += 1
                    flags.append("declining")
        if expires is not None and expires <= warn_until:
            unit.expiring += 1
            flags.append("expiring")
        if flags:
            unit.details.append(
                {
                    "id": enterprise_id,
                    "name": names[enterprise_id],
                    "flags": flags,
                    "revenue_yoy": str(growth.quantize(Decimal("0.0001")))
                    if growth is not None
                    else None,
                    "expires_on": expires.isoformat() if expires else None,
                }
            )
    for unit in per_unit.values():
        unit.details.sort(key=lambda d: (len(d["flags"]) * -1, d["name"]))
    return dict(per_unit)
