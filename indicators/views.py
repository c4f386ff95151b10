"""Pages of the indicators app: the leadership dashboard (DESIGN §5), its
drill-down from district to streets to enterprises, the Excel export and
the work-summary download."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bureau.models import BUREAU_ROLES, Role
from bureau.permissions import has_role
from indicators.models import DataValue, Indicator
from indicators.selectors import Dashboard, Figure, IndicatorBoard, dashboard
from indicators.summary import (
    difference_unit,
    percent_text,
    value_parts,
    work_summary_docx,
    yoy_short,
)

# Leaders, staff and section heads see the whole district; a street liaison
# sees the district's figures but only their own street (the selector scopes it).
DASHBOARD_READERS = (Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.STREET_LIAISON)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUS_COLOURS = {"green": "#1e8e3e", "amber": "#c77700", "red": "#c62828"}


def can_view_dashboard(user: Any) -> bool:
    return has_role(user, *DASHBOARD_READERS)


def can_download_summary(user: Any) -> bool:
    """The summary covers the whole bureau's work: bureau roles only."""
    return has_role(user, *BUREAU_ROLES)


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _years_and_year(request: HttpRequest) -> tuple[list[int], int]:
    """The years with district data (newest first, this year always offered)
    and the year asked for: ?year=, else the latest with district data."""
    this_year = timezone.localdate().year
    years = set(
        DataValue.objects.filter(org_unit__is_home=True)
        .values_list("year", flat=True)
        .distinct()
    )
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


def _in_yi(figures: list[Figure]) -> bool:
    """A column of 万元 figures is shown in 亿元 once any reaches 10,000万元."""
    return any(
        v is not None and abs(v) >= 10_000 for f in figures for v in (f.value, f.target)
    )


def _figure_view(
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


def _chart(board: IndicatorBoard) -> dict[str, Any]:
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
        years[-1] += "\n" + _period_label(board, trend[-1]["year"])
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


def _chart_labels() -> dict[str, str]:
    return {
        "actual": _("Actual"),
        "ranking": _("Rank among districts"),
        "target": _("Target"),
        "schedule": _("Time-elapsed schedule"),
        "completion": _("Completion of target"),
        "value": _("Value"),
        "noData": _("No data"),
    }


def _is_live(indicator: Indicator, year: int) -> bool:
    """Computed indicators of the current year count what is recorded today."""
    return (
        indicator.source != Indicator.Source.IMPORT
        and year == timezone.localdate().year
    )


def _period_label(board: IndicatorBoard, year: int) -> str:
    if _is_live(board.indicator, year):
        return _("as of today")
    month = board.district.as_of_month
    if not month:
        return ""
    return _("to month %(month)s") % {"month": month}


def _as_of(board: Dashboard) -> dict[str, Any]:
    """The latest month the imported figures cover, and the last update."""
    months = [
        b.district.as_of_month
        for b in board.boards
        if b.district.as_of_month and not _is_live(b.indicator, board.year)
    ]
    return {
        "month": max(months) if months else None,
        "live": any(_is_live(b.indicator, board.year) for b in board.boards),
        "updated": board.data_as_of,
    }


# --- /dashboard/ -------------------------------------------------------------


@require_safe
def dashboard_view(request: HttpRequest) -> HttpResponse:
    _require(can_view_dashboard(request.user))
    years, year = _years_and_year(request)
    board = dashboard(year=year, user=request.user)
    cards = [
        {
            **_figure_view(b.district, b),
            "code": b.indicator.code,
            "name": b.indicator.name,
            "peers": sum(1 for p in b.peers if p.value is not None),
            "period": _period_label(b, year),
        }
        for b in board.boards
    ]
    street_boards = [b for b in board.boards if b.streets]
    matrix = []
    if street_boards:
        for index, street in enumerate(street_boards[0].streets):
            matrix.append(
                {
                    "name": street.name,
                    "code": street.code,
                    "cells": [
                        {
                            **_figure_view(b.streets[index], b, yi=_in_yi(b.streets)),
                            "indicator": b.indicator.code,
                        }
                        for b in street_boards
                    ],
                }
            )
    return render(
        request,
        "indicators/dashboard.html",
        {
            "board": board,
            "year": year,
            "years": years,
            "cards": cards,
            "street_boards": street_boards,
            "matrix": matrix,
            "as_of": _as_of(board),
            "honour_list": _listed(board.honour_list),
            "black_list": _listed(board.black_list),
            "charts": {
                "boards": [_chart(b) for b in board.boards],
                "labels": _chart_labels(),
            },
            "is_liaison": request.user.role == Role.STREET_LIAISON,
            "can_download_summary": can_download_summary(request.user),
            "can_import": has_role(
                request.user, Role.STAFF, Role.SECTION_HEAD, Role.STREET_LIAISON
            ),
        },
    )


def _listed(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "progress_text": percent_text(item["progress"]),
            "schedule_text": percent_text(item["schedule"]),
            "gap_points": f"{float(item['gap']) * 100:+.1f}",
        }
        for item in items
    ]


# --- /dashboard/<code>/ ------------------------------------------------------


@require_safe
def indicator_view(request: HttpRequest, code: str) -> HttpResponse:
    _require(can_view_dashboard(request.user))
    years, year = _years_and_year(request)
    board = dashboard(year=year, user=request.user, codes=[code])
    if not board.boards:
        raise Http404
    ib = board.boards[0]
    street = None
    street_code = request.GET.get("street", "")
    if street_code:
        # Streets outside the caller's scope are not in the board: 404.
        street = next((f for f in ib.streets if f.code == street_code), None)
        if street is None:
            raise Http404
    context: dict[str, Any] = {
        "board": board,
        "ib": ib,
        "year": year,
        "years": years,
        "district": _figure_view(ib.district, ib),
        "peers": sorted(
            [
                {
                    **_figure_view(p, ib, yi=_in_yi(ib.peers)),
                    "is_home": p.code == board.home.code,
                }
                for p in ib.peers
            ],
            key=lambda p: (p["rank"] is None, p["rank"] or 0),
        ),
        "streets": [
            _figure_view(f, ib, yi=_in_yi(ib.streets))
            for f in sorted(ib.streets, key=lambda f: (f.rank is None, f.rank or 0))
        ],
        "peer_count": sum(1 for p in ib.peers if p.value is not None),
        "as_of": _as_of(board),
        "charts": {"boards": [_chart(ib)], "labels": _chart_labels()},
        "street": street,
    }
    if street is not None:
        context["street_view"] = _figure_view(street, ib)
        context.update(_enterprise_table(request, ib.indicator, street.code, year))
    return render(request, "indicators/indicator.html", context)


# Which enterprise figures explain an indicator at street level.
ENTERPRISE_BASIS = {
    "rd_spending": "rd",
    "ent_rd": "rd",
    "ent_revenue": "rd",
    "ent_rd_share": "rd",
    "rd_intensity": "rd",
    "hitech_va": "hitech",
    "industry_va": "hitech",
    "hitech_share": "hitech",
    "invention_patents": "patents",
    "hv_patents": "patents",
    "patents_per_10k": "patents",
    "hv_patents_per_10k": "patents",
    "new_hnte": "hnte",
    "tech_sme": "tech_sme",
    "tech_loans": "loans",
}


def _wan(yuan: Decimal | None) -> str:
    if yuan is None:
        return "—"
    return value_parts(Decimal(yuan) / 10_000, "万元", yi=False)[0]


def _share(top: Decimal | None, bottom: Decimal | None) -> str:
    if top is None or not bottom:
        return "—"
    return percent_text(Decimal(top) / Decimal(bottom), 2)


def _enterprise_table(
    request: HttpRequest, indicator: Indicator, street_code: str, year: int
) -> dict[str, Any]:
    """The street's enterprises with the figures behind `indicator`: their
    latest accepted annual return up to `year`, or the year's certificates
    and loans. Nothing is shown when no enterprise data explains it."""
    from enterprises.models import (
        AnnualReturn,
        Certification,
        Enterprise,
        FilingStatus,
        Loan,
    )

    basis = ENTERPRISE_BASIS.get(indicator.code)
    if basis is None:
        return {"enterprise_basis": None}
    page_number = request.GET.get("page")
    if basis in ("rd", "hitech", "patents"):
        latest = AnnualReturn.objects.filter(
            enterprise=OuterRef("pk"), status=FilingStatus.ACCEPTED, year__lte=year
        ).order_by("-year")
        rd = sum(
            (F(name) for name in AnnualReturn.RD_INTERNAL_FIELDS[1:]),
            F(AnnualReturn.RD_INTERNAL_FIELDS[0]),
        )
        rd = rd + F("rd_entrusted_domestic") + F("rd_entrusted_overseas")
        fields = {
            "rd": ("rd_total", "main_business_revenue"),
            "hitech": ("hightech_income", "total_income"),
            "patents": ("ip_invention", "ip_utility"),
        }[basis]
        qs = (
            Enterprise.objects.filter(org_unit__code=street_code)
            .annotate(
                return_year=Subquery(latest.values("year")[:1]),
                first=Subquery(
                    latest.annotate(rd_total=rd).values(fields[0])[:1]
                    if basis == "rd"
                    else latest.values(fields[0])[:1]
                ),
                second=Subquery(latest.values(fields[1])[:1]),
            )
            .order_by(F("first").desc(nulls_last=True), "name", "pk")
        )
        page = Paginator(qs, 50).get_page(page_number)
        headers = {
            "rd": [
                _("R&D spending (10k yuan)"),
                _("Main business revenue (10k yuan)"),
                _("R&D share of revenue"),
            ],
            "hitech": [
                _("High-tech product and service income (10k yuan)"),
                _("Total income (10k yuan)"),
                _("High-tech income share"),
            ],
            "patents": [
                _("Invention patents held"),
                _("Utility model patents held"),
            ],
        }[basis]
        rows = []
        for e in page.object_list:
            if basis == "patents":
                cells = [
                    "—" if e.first is None else str(e.first),
                    "—" if e.second is None else str(e.second),
                ]
            else:
                cells = [_wan(e.first), _wan(e.second), _share(e.first, e.second)]
            rows.append(
                {
                    "enterprise": e,
                    "period": e.return_year or "—",
                    "cells": cells,
                }
            )
        return {
            "enterprise_basis": basis,
            "enterprise_note": _(
                "Latest accepted annual return up to %(year)s; enterprises "
                "without one are listed last."
            )
            % {"year": year},
            "period_header": _("Return year"),
            "headers": headers,
            "rows": rows,
            "page": page,
        }
    if basis in ("hnte", "tech_sme"):
        if basis == "hnte":
            qs = Certification.objects.filter(tier__code="hnte", year=year).exclude(
                status=Certification.Status.REVOKED
            )
            note = _("National high-tech enterprises certified in %(year)s.")
        else:
            on = min(date(year, 12, 31), timezone.localdate())
            qs = Certification.objects.in_force(on).filter(tier__code="tech_sme")
            note = _("Tech-based SMEs registered and in force on %(date)s.")
        qs = (
            qs.filter(enterprise__org_unit__code=street_code)
            .select_related("enterprise")
            .order_by("-issued_on", "enterprise__name", "pk")
        )
        page = Paginator(qs, 50).get_page(page_number)
        return {
            "enterprise_basis": basis,
            "enterprise_note": note
            % {
                "year": year,
                "date": min(date(year, 12, 31), timezone.localdate()).isoformat(),
            },
            "period_header": _("issue date"),
            "headers": [_("certificate or registration number"), _("expiry date")],
            "rows": [
                {
                    "enterprise": c.enterprise,
                    "period": c.issued_on.isoformat(),
                    "cells": [
                        c.number or "—",
                        c.expires_on.isoformat() if c.expires_on else "—",
                    ],
                }
                for c in page.object_list
            ],
            "page": page,
        }
    qs = (
        Loan.objects.filter(
            enterprise__org_unit__code=street_code, granted_on__year=year
        )
        .select_related("enterprise")
        .order_by("-granted_on", "pk")
    )
    page = Paginator(qs, 50).get_page(page_number)
    return {
        "enterprise_basis": basis,
        "enterprise_note": _("Tech loans granted in %(year)s.") % {"year": year},
        "period_header": _("granted on"),
        "headers": [_("bank"), _("Loan type"), _("Amount (10k yuan)")],
        "rows": [
            {
                "enterprise": loan.enterprise,
                "period": loan.granted_on.isoformat(),
                "cells": [loan.bank, loan.get_kind_display(), _wan(loan.amount)],
            }
            for loan in page.object_list
        ],
        "page": page,
    }


# --- /dashboard/export/ ------------------------------------------------------


@require_safe
def dashboard_export_view(request: HttpRequest) -> HttpResponse:
    _require(can_view_dashboard(request.user))
    _years, year = _years_and_year(request)
    board = dashboard(year=year, user=request.user)
    response = HttpResponse(_workbook(board), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"指标看板-{year}.xlsx"
    )
    return response


def _workbook(board: Dashboard) -> bytes:
    """The dashboard as a workbook with Chinese headers: one sheet each for
    the district, streets, peer districts, the red/black list and the trend.
    Numbers stay numbers, in each indicator's unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F6")
    status_names = {"green": "达到序时", "amber": "略低于序时", "red": "滞后"}
    number, whole = "#,##0.00", "#,##0"
    fraction = "0.0%"

    def money(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    def yoy(cell: Any, value: Decimal | None, b: IndicatorBoard) -> None:
        cell.value = money(value)
        if not b.yoy_is_points:
            cell.number_format = "+0.0%;-0.0%;0.0%"
            return
        label = difference_unit(b.indicator.unit)
        cell.number_format = f'+0.00"{label}";-0.00"{label}";0.00"{label}"'

    workbook = Workbook()
    sheets = []

    def sheet(title: str, headers: list[tuple[str, int]]) -> Any:
        ws = workbook.active if not sheets else workbook.create_sheet()
        ws.title = title
        ws.append([h for h, _w in headers])
        for index, (_h, width) in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
            cell = ws.cell(row=1, column=index)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.freeze_panes = "A2"
        sheets.append(ws)
        return ws

    def as_of(f: Figure, b: IndicatorBoard) -> str:
        if _is_live(b.indicator, board.year):
            return f"{timezone.localdate():%Y-%m-%d}（实时）"
        return f"{board.year}年{f.as_of_month}月" if f.as_of_month else ""

    def figure_row(ws: Any, lead: list[Any], f: Figure, b: IndicatorBoard) -> None:
        ws.append(
            [
                *lead,
                money(f.value),
                money(f.target),
                money(f.progress),
                money(f.schedule),
                None,
                f.rank,
                status_names.get(f.status or "", ""),
                as_of(f, b),
            ]
        )
        row = ws.max_row
        start = len(lead) + 1
        shape = whole if b.indicator.unit == "家" else number
        ws.cell(row=row, column=start).number_format = shape
        ws.cell(row=row, column=start + 1).number_format = shape
        ws.cell(row=row, column=start + 2).number_format = fraction
        ws.cell(row=row, column=start + 3).number_format = fraction
        yoy(ws.cell(row=row, column=start + 4), f.yoy, b)

    tail = [
        ("数值", 16),
        ("目标", 16),
        ("完成率", 10),
        ("序时进度", 10),
        ("同比", 16),
        ("排名", 8),
        ("状态", 12),
        ("数据截至", 12),
    ]
    home = board.home.name if board.home else ""
    ws = sheet("全区指标", [("指标", 36), ("单位", 8), *tail])
    for b in board.boards:
        figure_row(ws, [b.indicator.name, b.indicator.unit], b.district, b)
    ws = sheet("街道园区", [("指标", 36), ("单位", 8), ("街道/园区", 16), *tail])
    for b in board.boards:
        for f in sorted(b.streets, key=lambda f: (f.rank is None, f.rank or 0)):
            figure_row(ws, [b.indicator.name, b.indicator.unit, f.name], f, b)
    ws = sheet("区县排名", [("指标", 36), ("单位", 8), ("区县", 12), *tail])
    for b in board.boards:
        for f in sorted(b.peers, key=lambda f: (f.rank is None, f.rank or 0)):
            figure_row(ws, [b.indicator.name, b.indicator.unit, f.name], f, b)
    ws = sheet(
        "红黑榜",
        [
            ("榜单", 8),
            ("街道/园区", 16),
            ("指标", 36),
            ("完成率", 10),
            ("序时进度", 10),
            ("差距（百分点）", 14),
        ],
    )
    for label, items in (("红榜", board.honour_list), ("黑榜", board.black_list)):
        for item in items:
            ws.append(
                [
                    label,
                    item["unit"],
                    item["indicator"],
                    money(item["progress"]),
                    money(item["schedule"]),
                    float(item["gap"]) * 100,
                ]
            )
            row = ws.max_row
            ws.cell(row=row, column=4).number_format = fraction
            ws.cell(row=row, column=5).number_format = fraction
            ws.cell(row=row, column=6).number_format = "+0.0;-0.0;0.0"
    ws = sheet(
        f"{home}历年" if home else "历年趋势",
        [("指标", 36), ("单位", 8), ("年份", 8), ("数值", 16), ("目标", 16)],
    )
    for b in board.boards:
        for t in b.trend:
            if t["value"] is None and t["target"] is None:
                continue
            ws.append(
                [
                    b.indicator.name,
                    b.indicator.unit,
                    t["year"],
                    money(t["value"]),
                    money(t["target"]),
                ]
            )
            ws.cell(row=ws.max_row, column=4).number_format = number
            ws.cell(row=ws.max_row, column=5).number_format = number
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- /dashboard/summary/ -----------------------------------------------------


@require_safe
def work_summary_view(request: HttpRequest) -> HttpResponse:
    _require(can_download_summary(request.user))
    _years, year = _years_and_year(request)
    half = request.GET.get("half", "")
    if half not in ("", "1"):
        raise BadRequest(_("Only the first half-year (half=1) can be chosen."))
    content = work_summary_docx(year=year, half=1 if half else None)
    name = f"工作总结-{year}{'-上半年' if half else ''}.docx"
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
