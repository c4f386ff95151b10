"""The R&D statistics ledger: /api/v1/rd-statistics/ (list, create) and
/api/v1/rd-statistics/{id}/status/ (record a unit's status)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import OrgUnit
from indicators.models import RDReportingUnit
from indicators.permissions import (
    can_manage_ledgers,
    can_view_ledgers,
    get_rd_unit_for_user,
    require,
)
from indicators.selectors import RDFilters, rd_default_year, rd_unit_list
from indicators.services import rd_unit_create, rd_unit_set_status


class RDUnitSerializer(serializers.ModelSerializer):
    org_unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = RDReportingUnit
        fields = [
            "id",
            "year",
            "unit_name",
            "credit_code",
            "enterprise",
            "org_unit",
            "is_above_scale",
            "last_year_amount",
            "status",
            "amount",
            "reported_on",
            "note",
        ]
        read_only_fields = fields


class RDUnitListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(
            min_value=1990,
            max_value=2100,
            required=False,
            help_text=(
                "The ledger year. Default: the current year's ledger when it "
                "has rows, else the newest ledger, else last year."
            ),
        )
        q = serializers.CharField(required=False, default="")
        street = serializers.CharField(required=False, default="")
        status = serializers.ChoiceField(
            choices=RDReportingUnit.Status.choices, required=False, default=""
        )
        above_scale = serializers.BooleanField(
            required=False, allow_null=True, default=None
        )

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=1990, max_value=2100)
        unit_name = serializers.CharField(max_length=200)
        credit_code = serializers.CharField(max_length=18, required=False, default="")
        org_unit = serializers.SlugRelatedField(
            slug_field="code",
            queryset=OrgUnit.objects.filter(level__in=["street", "park"]),
            required=False,
            allow_null=True,
            default=None,
        )
        is_above_scale = serializers.BooleanField(
            required=False, allow_null=True, default=None
        )
        last_year_amount = serializers.DecimalField(
            max_digits=16,
            decimal_places=2,
            min_value=0,
            required=False,
            allow_null=True,
        )

    @extend_schema(parameters=[FilterSerializer], responses=RDUnitSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_ledgers(request.user))
        params = validated(self.FilterSerializer, request.query_params)
        if params.get("year") is None:
            params["year"] = rd_default_year()
        filters = RDFilters(**params)
        qs = rd_unit_list(user=request.user, filters=filters)
        return paginated(request, self, qs, RDUnitSerializer)

    @extend_schema(request=InputSerializer, responses={201: RDUnitSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require(can_manage_ledgers(request.user))
        data = validated(self.InputSerializer, request.data)
        unit = rd_unit_create(by=request.user, **data)
        return Response(RDUnitSerializer(unit).data, status=status.HTTP_201_CREATED)


class RDUnitStatusApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=RDReportingUnit.Status.choices)
        amount = serializers.DecimalField(
            max_digits=16,
            decimal_places=2,
            min_value=0,
            required=False,
            allow_null=True,
            help_text="元; required for `reported`.",
        )
        reported_on = serializers.DateField(required=False, allow_null=True)
        note = serializers.CharField(
            max_length=300,
            required=False,
            default="",
            allow_blank=True,
            help_text="Required for `no_activity`.",
        )

    @extend_schema(request=InputSerializer, responses=RDUnitSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        unit = get_rd_unit_for_user(request.user, pk, write=True)
        data = validated(self.InputSerializer, request.data)
        rd_unit_set_status(unit=unit, by=request.user, **data)
        return Response(RDUnitSerializer(unit).data)
