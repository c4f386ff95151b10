"""The leadership dashboard (DESIGN §5) and its Excel export."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from bureau.lib.types import AuthedRequest
from indicators.exports.dashboard import dashboard_xlsx
from indicators.formats import percent_text
from indicators.permissions import (
    can_download_summary,
    can_import,
    can_view_dashboard,
    is_street_scoped,
    require,
)
from indicators.selectors import dashboard
from indicators.selectors.dashboard import ListedStreet
from indicators.selectors.dashboard_cache import cached_dashboard_part
from indicators.views.figures import (
    as_of,
    chart,
    chart_labels,
    figure_view,
    in_yi,
    period_label,
    years_and_year,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def dashboard_view(request: AuthedRequest) -> HttpResponse:
    require(can_view_dashboard(request.user))
    years, year = years_and_year(request)
    # The title, cards, charts, lists and street matrix depend only on
    # (year, scope, language): rendered once and kept in the dashboard
    # cache, invalidated with the board (a district's matrix is thousands
    # of cells, hundreds of milliseconds to render; unpickling the whole
    # board alone costs tens).
    title, body = cached_dashboard_part(
        f"page-{get_language()}",
        year=year,
        user=request.user,
        build=lambda: _rendered(year=year, user=request.user),
    )
    return render(
        request,
        "indicators/dashboard.html",
        {
            "year": year,
            "years": years,
            "title": mark_safe(title),  # noqa: S308 - our own rendered template
            "body": mark_safe(body),  # noqa: S308 - our own rendered template
            "can_download_summary": can_download_summary(request.user),
            "can_import": can_import(request.user),
        },
    )


def _rendered(*, year: int, user: Any) -> tuple[str, str]:
    board = dashboard(year=year, user=user)
    context = _body_context(board, year=year, user=user)
    return (
        render_to_string("indicators/_dashboard_title.html", context),
        render_to_string("indicators/_dashboard_body.html", context),
    )


def _body_context(board: Any, *, year: int, user: Any) -> dict[str, Any]:
    cards = [
        {
            **figure_view(b.district, b),
            "code": b.indicator.code,
            "name": b.indicator.name,
            "peers": sum(1 for p in b.peers if p.value is not None),
            "period": period_label(b, year),
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
                            **figure_view(b.streets[index], b, yi=in_yi(b.streets)),
                            "indicator": b.indicator.code,
                        }
                        for b in street_boards
                    ],
                }
            )
    return {
        "board": board,
        "year": year,
        "as_of": as_of(board),
        "cards": cards,
        "street_boards": street_boards,
        "matrix": matrix,
        "honour_list": _listed(board.honour_list),
        "black_list": _listed(board.black_list),
        "charts": {
            "boards": [chart(b) for b in board.boards],
            "labels": chart_labels(),
        },
        "is_liaison": is_street_scoped(user),
    }


def _listed(items: list[ListedStreet]) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "progress_text": percent_text(item["progress"]),
            "schedule_text": percent_text(item["schedule"]),
            "gap_points": f"{float(item['gap']) * 100:+.1f}",
        }
        for item in items
    ]


@require_safe
def dashboard_export_view(request: AuthedRequest) -> HttpResponse:
    require(can_view_dashboard(request.user))
    _years, year = years_and_year(request)
    board = dashboard(year=year, user=request.user)
    response = HttpResponse(
        dashboard_xlsx(board, today=timezone.localdate()), content_type=XLSX
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"指标看板-{year}.xlsx"
    )
    return response
