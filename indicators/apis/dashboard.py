"""The indicators API: the leadership dashboard."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.types import AuthedApiRequest
from indicators.formats import api_decimal
from indicators.permissions import can_view_dashboard, require
from indicators.selectors import dashboard
from indicators.selectors.dashboard import Figure, ListedStreet

SHARE = "0.000001"  # progress, schedule and growth are fractions


def _figure(f: Figure) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "value": api_decimal(f.value),
        "target": api_decimal(f.target),
        "progress": api_decimal(f.progress, SHARE),
        "schedule": api_decimal(f.schedule, SHARE),
        "yoy": api_decimal(f.yoy, SHARE),
        "as_of_month": f.as_of_month,
        "status": f.status,
        "rank": f.rank,
    }


def _listed(items: list[ListedStreet]) -> list[dict[str, Any]]:
    return [
        {
            **item,
            "progress": api_decimal(item["progress"]),
            "schedule": api_decimal(item["schedule"]),
            "gap": api_decimal(item["gap"]),
        }
        for item in items
    ]


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
    per street the same plus rank (DESIGN §5)."""

    FilterSerializer = YearFilter

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_dashboard(request.user))
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        year = filters.year_or_this()
        board = dashboard(year=year, user=request.user)
        return Response(
            {
                "year": year,
                "district": board.home.code if board.home else None,
                "data_as_of": board.data_as_of,
                "indicators": [
                    {
                        "code": b.indicator.code,
                        "name": b.indicator.name,
                        "unit": b.indicator.unit,
                        "yoy_is_points": b.yoy_is_points,
                        **{
                            k: v
                            for k, v in _figure(b.district).items()
                            if k not in ("code", "name")
                        },
                        "streets": [_figure(f) for f in b.streets],
                        "peers": [_figure(f) for f in b.peers],
                        "trend": [
                            {
                                "year": t["year"],
                                "value": api_decimal(t["value"]),
                                "target": api_decimal(t["target"]),
                            }
                            for t in b.trend
                        ],
                    }
                    for b in board.boards
                ],
                "honour_list": _listed(board.honour_list),
                "black_list": _listed(board.black_list),
            }
        )
