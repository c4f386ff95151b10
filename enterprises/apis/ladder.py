"""Ladder funnel API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from enterprises.selectors import (
    ladder_funnel,
)


class LadderFunnelApi(APIView):
    """Counts per tier per year and conversion up the ladder."""

    class FilterSerializer(serializers.Serializer):
        first_year = serializers.IntegerField(
            min_value=2000, max_value=2100, required=False
        )
        last_year = serializers.IntegerField(
            min_value=2000, max_value=2100, required=False
        )

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            from django.utils import timezone

            last = data.get("last_year") or timezone.localdate().year
            first = data.get("first_year") or last - 4
            if first > last:
                raise serializers.ValidationError(
                    {"first_year": [_("The first year cannot be after the last year.")]}
                )
            if last - first > 20:
                raise serializers.ValidationError(
                    {"first_year": [_("At most 21 years can be counted.")]}
                )
            return {"first_year": first, "last_year": last}

    @extend_schema(parameters=[FilterSerializer], responses={200: dict})
    def get(self, request: AuthedApiRequest) -> Response:
        from enterprises.permissions import can_view_funnel

        if not can_view_funnel(request.user):
            raise DjangoPermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        return Response(ladder_funnel(user=request.user, **filters))
