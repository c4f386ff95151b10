"""The indicators API: the leadership dashboard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.permissions import can_view_dashboard, require
from indicators.selectors import dashboard


def _money(value: Decimal | None, places: str = "0.0001") -> str | None:
    return None if value is None else str(value.quantize(Decimal(places)))


def _figure(f: Any, *, with_rank: bool) -> dict[str, Any]:
    out = {
        "code": f.code,
        "name": f.name,
        "value": _money(f.value),
        "target": _money(f.target),
        "progress": _money(f.progress, "0.000001"),
        "schedule": _money(f.schedule, "0.000001"),
        "yoy": _money(f.yoy, "0.000001"),
        "as_of_month": f.as_of_month,
        "status": f.status,
    }
    if with_rank:
        out["rank"] = f.rank
    return out


class DashboardApi(APIView):
    """GET ?year=YYYY — per indicator: code, value, target, progress, yoy, and
    per street the same plus rank (DESIGN §5)."""

    def get(self, request: Any) -> Response:
        require(can_view_dashboard(request.user))
        raw = request.query_params.get("year", "")
        if raw and not raw.isdigit():
            raise serializers.ValidationError(
                {"year": [_("Give the year as four digits.")]}
            )
        year = int(raw) if raw else timezone.localdate().year
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
                            for k, v in _figure(b.district, with_rank=True).items()
                            if k not in ("code", "name")
                        },
                        "streets": [_figure(f, with_rank=True) for f in b.streets],
                        "peers": [_figure(f, with_rank=True) for f in b.peers],
                        "trend": [
                            {
                                "year": t["year"],
                                "value": _money(t["value"]),
                                "target": _money(t["target"]),
                            }
                            for t in b.trend
                        ],
                    }
                    for b in board.boards
                ],
                "honour_list": [
                    {
                        **i,
                        "progress": _money(i["progress"], "0.0001"),
                        "schedule": _money(i["schedule"], "0.0001"),
                        "gap": _money(i["gap"], "0.0001"),
                    }
                    for i in board.honour_list
                ],
                "black_list": [
                    {
                        **i,
                        "progress": _money(i["progress"], "0.0001"),
                        "schedule": _money(i["schedule"], "0.0001"),
                        "gap": _money(i["gap"], "0.0001"),
                    }
                    for i in board.black_list
                ],
            }
        )
