"""How the dashboard's figures show on its pages: numbers in their unit,
progress bars, the charts' series, the period each figure covers. Shared by
the dashboard and the indicator page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.formats import percent_text, value_parts, yoy_short
from indicators.selectors.dashboard import (
    Dashboard,
    Figure,
    IndicatorBoard,
    district_years,
    is_live,
)

STATUS_COLOURS = {"green": "#1e8e3e", "amber": "#c77700", "red": "#c62828"}


def years_and_year(request: HttpRequest) -> tuple[list[int], int]:
    """The years with district data (newest first, this year always offered)
    and the year asked for: ?year=, else the latest with district data."""
    this_year = timezone.localdate().year
    years = district_years()
    default = max(years) if years else this_year
    raw = request.GET.get("year", "")
    if raw:
        if not raw.isdigit() or not 2000 <= int(raw) <= this_year + 1:
            raise BadRequest(
                _("Choose a year from 2000 to %(last)s.") % {"last": this_year + 1}
            )
        year = int(raw)
    else:
        year = default
    return sorted(years | {this_year, year}, reverse=True), year


def _number(value: Decimal | None, unit: str, yi: bool | None) -> dict[str, str]:
    number, shown = value_parts(value, unit, yi=yi)
    return {"number": number, "unit": shown if value is not None else ""}


def in_yi(figures: list[Figure]) -> bool:
    """A column of 万元 figures is shown in 亿元 once any reaches 10,000万元."""
    return any(
        v is not None and abs(v) >= 10_000 for f in figures for v in (f.value, f.target)
    )


def figure_view(
    f: Figure, board: IndicatorBoard, *, yi: bool | None = None
) -> dict[str, Any]:
    unit = board.indicator.unit
    progress = f.progress
    return {
        "code": f.code,
        "name": f.name,
        "value": _number(f.value, unit, yi),
        "target": _number(f.target, unit, yi),
        "progress": percent_text(progress),
        "progress_width": f"{min(100, max(0, float(progress or 0) * 100)):.1f}",
        "schedule": percent_text(f.schedule),
        "schedule_at": f"{min(100, max(0, float(f.schedule or 0) * 100)):.1f}",
        "has_progress": progress is not None,
        # A flow part-way through the year is compared with the time elapsed.
        "behind_year": f.schedule is not None and f.schedule < 1,
        "yoy": yoy_short(f.yoy, points=board.yoy_is_points, unit=unit),
        "rank": f.rank,
        "status": f.status or "",
        "month": f.as_of_month,
    }


def _scale(values: list[Decimal | None], unit: str) -> tuple[Decimal, str]:
    """Charts show 万元 series in 亿元 once any point reaches 10,000万元."""
    if unit == "万元" and any(v is not None and abs(v) >= 10_000 for v in values):
        return Decimal(10_000), "亿元"
    return Decimal(1), unit


def _float(value: Decimal | None, divisor: Decimal = Decimal(1)) -> float | None:
    return None if value is None else round(float(value / divisor), 4)


def chart(board: IndicatorBoard) -> dict[str, Any]:
    """What static/js/dashboard.js draws for one indicator."""
    unit = board.indicator.unit
    trend = list(board.trend)
    while trend and trend[0]["value"] is None and trend[0]["target"] is None:
        trend.pop(0)
    divisor, shown = _scale(
        [t["value"] for t in trend] + [t["target"] for t in trend], unit
    )
    streets = sorted(
        board.streets,
        key=lambda f: (f.rank is None, f.rank or 0, f.name),
    )
    # With street targets the ranking is by completion, else by value.
    with_targets = any(f.progress is not None for f in streets)
    street_divisor, street_unit = _scale([f.value for f in streets], unit)
    if with_targets:
        streets = sorted(
            streets, key=lambda f: (f.progress is None, -(f.progress or 0), f.name)
        )
        street_values = [
            None if f.progress is None else _float(f.progress * 100) for f in streets
        ]
    else:
        street_values = [_float(f.value, street_divisor) for f in streets]
    schedule = board.district.schedule
    peers = sorted(board.peers, key=lambda f: (f.rank is None, f.rank or 0, f.name))
    peer_divisor, peer_unit = _scale([f.value for f in peers], unit)
    years = [str(t["year"]) for t in trend]
    month = board.district.as_of_month
    if trend and trend[-1]["value"] is not None and 0 < month < 12:
        years[-1] += "\n" + period_label(board, trend[-1]["year"])
    return {
        "code": board.indicator.code,
        "name": board.indicator.name,
        "unit": shown,
        "trend": {
            "years": years,
            "values": [_float(t["value"], divisor) for t in trend],
            "targets": [_float(t["target"], divisor) for t in trend],
        },
        "streets": {
            "measure": "progress" if with_targets else "value",
            "unit": "%" if with_targets else street_unit,
            "names": [f.name for f in streets],
            "values": street_values,
            "colours": [STATUS_COLOURS.get(f.status or "", "#0b5cad") for f in streets],
            "schedule": _float(schedule * 100)
            if with_targets and schedule is not None
            else None,
        },
        "peers": {
            "unit": peer_unit,
            "names": [f.name for f in peers],
            "values": [_float(f.value, peer_divisor) for f in peers],
            "home": [f.code == board.district.code for f in peers],
        },
    }


def chart_labels() -> dict[str, str]:
    return {
        "actual": _("Actual"),
        "ranking": _("Rank among districts"),
        "target": _("Target"),
        "schedule": _("Time-elapsed schedule"),
        "completion": _("Completion of target"),
        "value": _("Value"),
        "noData": _("No data"),
    }


def period_label(board: IndicatorBoard, year: int) -> str:
    if is_live(board.indicator, year):
        return _("as of today")
    month = board.district.as_of_month
    if not month:
        return ""
    return _("to month %(month)s") % {"month": month}


def as_of(board: Dashboard) -> dict[str, Any]:
    """The latest month the imported figures cover, and the last update."""
    months = [
        b.district.as_of_month
        for b in board.boards
        if b.district.as_of_month and not is_live(b.indicator, board.year)
    ]
    return {
        "month": max(months) if months else None,
        "live": any(is_live(b.indicator, board.year) for b in board.boards),
        "updated": board.data_as_of,
    }
