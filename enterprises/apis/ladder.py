"""Ladder funnel API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.selectors import (
    RenewalRow,
    RenewalRows,
    hnte_expiring,
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


class RenewalListApi(APIView):
    """重新认定: the 高企 certificates ending in a year (this year by default)
    of the enterprises the user sees, each with its application window and
    the stored-data pre-check of the re-application; as the page lists them."""

    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
        org_unit = serializers.CharField(required=False, allow_blank=True)
        q = serializers.CharField(required=False, allow_blank=True)

    class ConditionSerializer(serializers.Serializer):
        code = serializers.CharField()
        message = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="certification.pk")
        enterprise = serializers.IntegerField(source="certification.enterprise_id")
        enterprise_name = serializers.CharField(source="certification.enterprise.name")
        org_unit = serializers.CharField(
            source="certification.enterprise.org_unit.code"
        )
        number = serializers.CharField(source="certification.number")
        issued_on = serializers.DateField(source="certification.issued_on")
        expires_on = serializers.DateField(source="certification.expires_on")
        first_time = serializers.BooleanField(source="certification.first_time")
        window_opens = serializers.DateField(source="window.opens")
        window_closes = serializers.DateField(source="window.closes")
        renewed = serializers.BooleanField(source="certification.renewed")
        reminded = serializers.BooleanField(source="certification.reminded")
        eligible = serializers.SerializerMethodField()
        failed = serializers.SerializerMethodField()
        pending = serializers.SerializerMethodField()

        def _conditions(self, row: RenewalRow, which: str) -> list[dict[str, str]]:
            assessment = row.assessment
            if assessment is None:
                return []
            return [
                {"code": c["code"], "message": str(c["message"])}
                for c in getattr(assessment, which)
            ]

        @extend_schema_field(serializers.BooleanField(allow_null=True))
        def get_eligible(self, row: RenewalRow) -> bool | None:
            """Whether every condition the data can decide is met; null when
            already renewed or when there is no data to judge on."""
            if row.assessment is None or not row.assessment.result:
                return None
            return bool(row.assessment.result["eligible"])

        @extend_schema_field(
            serializers.ListField(child=serializers.DictField(), read_only=True)
        )
        def get_failed(self, row: RenewalRow) -> list[dict[str, str]]:
            return self._conditions(row, "failed")

        @extend_schema_field(
            serializers.ListField(child=serializers.DictField(), read_only=True)
        )
        def get_pending(self, row: RenewalRow) -> list[dict[str, str]]:
            return self._conditions(row, "pending")

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request: AuthedApiRequest) -> Response:
        from django.utils import timezone

        from enterprises.permissions import can_view_renewals

        if not can_view_renewals(request.user):
            raise DjangoPermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        qs = hnte_expiring(
            user=request.user,
            year=filters.get("year") or timezone.localdate().year,
            org_unit=filters.get("org_unit") or "",
            q=filters.get("q") or "",
        )
        return paginated(request, self, RenewalRows(qs), self.OutputSerializer)
