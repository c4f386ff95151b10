"""The indicators API: the leadership dashboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from bureau.lib.types import AuthedApiRequest
from bureau.permissions import AnyUser
from indicators.formats import decimal_formatter
from indicators.permissions import can_view_dashboard, require
from indicators.selectors import dashboard
from indicators.selectors.dashboard import Figure, IndicatorBoard, ListedStreet
from indicators.selectors.dashboard_cache import cached_dashboard_part

SHARE = "0.000001"  # progress, schedule and growth are fractions
YUAN = "0.01"
PLAIN = "0.0001"
_share = decimal_formatter(SHARE)


@dataclass(frozen=True)
class ApiUnit:
    """How an indicator's figures read in the API (DESIGN §5): money in 元,
    percentages as fractions, other units as entered."""

    name: str  # "元", "fraction", or the indicator's own unit
    factor: Decimal
    places: str

    @classmethod
    def of(cls, unit: str) -> ApiUnit:
        if unit == "万元":
            return cls("元", Decimal(10_000), YUAN)
        if unit == "亿元":
            return cls("元", Decimal(100_000_000), YUAN)
        if unit == "元":
            return cls("元", Decimal(1), YUAN)
        if unit == "%":
            return cls("fraction", Decimal("0.01"), SHARE)
        return cls(unit, Decimal(1), PLAIN)

    def formatter(self) -> Callable[[Decimal | None], str | None]:
        """How this unit writes a figure, as one function for the thousands
        of figures of a board."""
        return decimal_formatter(self.places, self.factor)


def _figure(
    f: Figure,
    number: Callable[[Decimal | None], str | None],
    yoy_is_points: bool,
    *,
    named: bool = True,
) -> dict[str, Any]:
    """One figure; `number` is the indicator's ApiUnit.formatter(). The
    district's figure goes into its board without code and name."""
    figure: dict[str, Any] = {"code": f.code, "name": f.name} if named else {}
    figure["value"] = number(f.value)
    figure["target"] = number(f.target)
    figure["progress"] = _share(f.progress)
    figure["schedule"] = _share(f.schedule)
    # Growth is a fraction; a ratio's change is a difference in its unit
    # (percentage points → a difference of fractions).
    figure["yoy"] = number(f.yoy) if yoy_is_points else _share(f.yoy)
    figure["as_of_month"] = f.as_of_month
    figure["status"] = f.status
    figure["rank"] = f.rank
    return figure


def _listed(items: list[ListedStreet]) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "progress": _share(item["progress"]),
            "schedule": _share(item["schedule"]),
            "gap": _share(item["gap"]),
        }
        for item in items
    ]


def _board(b: IndicatorBoard) -> dict[str, Any]:
    unit = ApiUnit.of(b.indicator.unit)
    number = unit.formatter()
    points = b.yoy_is_points
    return {
        "code": b.indicator.code,
        "name": b.indicator.name,
        "unit": b.indicator.unit,
        "value_unit": unit.name,
        "yoy_is_points": points,
        **_figure(b.district, number, points, named=False),
        "streets": [_figure(f, number, points) for f in b.streets],
        "peers": [_figure(f, number, points) for f in b.peers],
        "trend": [
            {
                "year": t["year"],
                "value": number(t["value"]),
                "target": number(t["target"]),
            }
            for t in b.trend
        ],
    }


def dashboard_answer(*, year: int, user: AnyUser) -> bytes:
    """The API's answer for (year, the user's scope) as JSON bytes, kept in
    the cache finished: a repeated request renders nothing."""

    def build() -> bytes:
        # Only the bytes are kept: pickling the board as well would cost
        # the cold request more than building it.
        board = dashboard(year=year, user=user, cached=False)
        payload = {
            "year": year,
            "district": board.home.code if board.home else None,
            "data_as_of": board.data_as_of,
            "indicators": [_board(b) for b in board.boards],
            "honour_list": _listed(board.honour_list),
            "black_list": _listed(board.black_list),
        }
        return JSONRenderer().render(payload)

    return cached_dashboard_part("api", year=year, user=user, build=build)


def dashboard_answer_gzipped(*, year: int, user: AnyUser) -> bytes:
    """dashboard_answer() gzip-compressed, kept in the cache beside it: a
    repeated request does not compress some 450 KiB again. Compressed as
    GZipMiddleware does (with its random padding against BREACH, drawn once
    per cached answer: the answer reflects nothing a client sends)."""
    return cached_dashboard_part(
        "api-gzip",
        year=year,
        user=user,
        build=lambda: compress_string(
            dashboard_answer(year=year, user=user),
            max_random_bytes=GZipMiddleware.max_random_bytes,
        ),
    )


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class YearFilter(serializers.Serializer):
    """?year=YYYY, this year when left out (the dashboard, the target check)."""

    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="This year when left out.",
    )

    def year_or_this(self) -> int:
        return self.validated_data.get("year") or timezone.localdate().year


class DashboardApi(APIView):
    """GET ?year=YYYY — per indicator: code, value, target, progress, yoy, and
    per street the same plus rank (DESIGN §5). Money is in 元 and percentages
    are fractions (`value_unit` says which; `unit` is the unit the pages show);
    progress, schedule and growth are fractions. The answer is cached per
    (year, scope) until indicator data change, and sent gzip-compressed to
    clients that accept it."""

    FilterSerializer = YearFilter

    @extend_schema(parameters=[FilterSerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: AuthedApiRequest) -> HttpResponse:
        require(can_view_dashboard(request.user))
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        year = filters.year_or_this()
        if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            # Compressed here from the cache (GZipMiddleware leaves a response
            # with a Content-Encoding alone).
            response = HttpResponse(
                dashboard_answer_gzipped(year=year, user=request.user),
                content_type="application/json",
            )
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
        else:
            response = HttpResponse(
                dashboard_answer(year=year, user=request.user),
                content_type="application/json",
            )
        patch_vary_headers(response, ("Accept-Encoding",))
        return response
