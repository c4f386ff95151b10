"""The indicators API: the leadership dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from bureau.lib.types import AuthedApiRequest
from bureau.permissions import AnyUser
from indicators.formats import api_decimal
from indicators.permissions import can_view_dashboard, require
from indicators.selectors import dashboard
from indicators.selectors.dashboard import Figure, IndicatorBoard, ListedStreet
from indicators.selectors.dashboard_cache import cached_dashboard_part

SHARE = "0.000001"  # progress, schedule and growth are fractions
YUAN = "0.01"
PLAIN = "0.0001"


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

    def number(self, value: Decimal | None) -> str | None:
        if value is None:
            return None
        # Times 1 changes neither the value nor its exponent: skipped.
        return api_decimal(
            value if self.factor == 1 else value * self.factor, self.places
        )


def _figure(f: Figure, unit: ApiUnit, yoy_is_points: bool) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "value": unit.number(f.value),
        "target": unit.number(f.target),
        "progress": api_decimal(f.progress, SHARE),
        "schedule": api_decimal(f.schedule, SHARE),
        # Growth is a fraction; a ratio's change is a difference in its unit
        # (percentage points → a difference of fractions).
        "yoy": unit.number(f.yoy) if yoy_is_points else api_decimal(f.yoy, SHARE),
        "as_of_month": f.as_of_month,
        "status": f.status,
        "rank": f.rank,
    }


def _listed(items: list[ListedStreet]) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "progress": api_decimal(item["progress"], SHARE),
            "schedule": api_decimal(item["schedule"], SHARE),
            "gap": api_decimal(item["gap"], SHARE),
        }
        for item in items
    ]


def _board(b: IndicatorBoard) -> dict[str, Any]:
    unit = ApiUnit.of(b.indicator.unit)
    points = b.yoy_is_points
    return {
        "code": b.indicator.code,
        "name": b.indicator.name,
        "unit": b.indicator.unit,
        "value_unit": unit.name,
        "yoy_is_points": points,
        **{
            k: v
            for k, v in _figure(b.district, unit, points).items()
            if k not in ("code", "name")
        },
        "streets": [_figure(f, unit, points) for f in b.streets],
        "peers": [_figure(f, unit, points) for f in b.peers],
        "trend": [
            {
                "year": t["year"],
                "value": unit.number(t["value"]),
                "target": unit.number(t["target"]),
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
        return HttpResponse(
            dashboard_answer(year=year, user=request.user),
            content_type="application/json",
        )
