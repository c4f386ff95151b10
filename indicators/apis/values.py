"""The indicators API (DESIGN §5): indicators, values and targets."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.relations import SlugRelatedField
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import OrgUnit
from indicators.apis.dashboard import YearFilter
from indicators.calc import parse_period
from indicators.formats import api_decimal
from indicators.models import DataValue, Indicator, Target
from indicators.permissions import (
    can_create_indicators,
    can_enter_values,
    can_set_targets,
    can_view_values,
    require,
    visible_units,
)
from indicators.services import (
    indicator_create,
    target_set,
    target_split_check,
    value_set,
)


class IndicatorSerializer(serializers.ModelSerializer):
    numerator: SlugRelatedField[Indicator] = SlugRelatedField(
        slug_field="code", read_only=True
    )
    denominator: SlugRelatedField[Indicator] = SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "kind",
            "numerator",
            "denominator",
            "factor",
            "aggregation",
            "ytd",
            "direction",
            "district_only",
            "source",
            "is_headline",
        ]


class IndicatorListCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        code = serializers.SlugField(max_length=40)
        name = serializers.CharField(max_length=100)
        unit = serializers.CharField(max_length=20)
        kind = serializers.ChoiceField(choices=Indicator.Kind.choices, default="raw")
        numerator = serializers.SlugRelatedField(
            slug_field="code", queryset=Indicator.objects.all(), required=False
        )
        denominator = serializers.SlugRelatedField(
            slug_field="code", queryset=Indicator.objects.all(), required=False
        )
        factor = serializers.DecimalField(
            max_digits=12, decimal_places=4, default=Decimal(1)
        )
        aggregation = serializers.ChoiceField(
            choices=Indicator.Aggregation.choices, default="sum"
        )
        ytd = serializers.BooleanField(default=False)
        direction = serializers.ChoiceField(
            choices=Indicator.Direction.choices, default="higher"
        )
        district_only = serializers.BooleanField(default=False)
        is_headline = serializers.BooleanField(default=False)

    @extend_schema(responses=IndicatorSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_values(request.user))
        qs = Indicator.objects.filter(is_active=True).select_related(
            "numerator", "denominator"
        )
        return paginated(request, self, qs, IndicatorSerializer)

    @extend_schema(request=InputSerializer, responses={201: IndicatorSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require(can_create_indicators(request.user))
        data = validated(self.InputSerializer, request.data)
        indicator = indicator_create(by=request.user, **data)
        return Response(
            IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED
        )


class _ByCodesOutput(serializers.ModelSerializer):
    """Values and targets name their indicator and org unit by code."""

    indicator: SlugRelatedField[Indicator] = SlugRelatedField(
        slug_field="code", read_only=True
    )
    org_unit: SlugRelatedField[OrgUnit] = SlugRelatedField(
        slug_field="code", read_only=True
    )


class _ByCodesInput(serializers.Serializer):
    """A value or target: an active indicator and org unit, by code."""

    indicator = SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.filter(is_active=True)
    )
    org_unit = SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.filter(is_active=True)
    )
    value = serializers.DecimalField(max_digits=20, decimal_places=4)


class ValueSerializer(_ByCodesOutput):
    period = serializers.SerializerMethodField()

    class Meta:
        model = DataValue
        fields = [
            "id",
            "indicator",
            "org_unit",
            "period",
            "value",
            "source",
            "batch",
            "entered_at",
        ]

    def get_period(self, value: DataValue) -> str:
        return value.period_label


class IndicatorValueListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        indicator = serializers.CharField(required=False)
        org_unit = serializers.CharField(required=False)
        year = serializers.IntegerField(required=False)

    class InputSerializer(_ByCodesInput):
        period = serializers.CharField(max_length=7)

        def validate_period(self, value: str) -> tuple[int, tuple[str, int]]:
            try:
                return parse_period(value)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from None

    @extend_schema(parameters=[FilterSerializer], responses=ValueSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_values(request.user))
        filters = validated(self.FilterSerializer, request.query_params)
        qs = DataValue.objects.filter(
            org_unit__in=visible_units(request.user)
        ).select_related("indicator", "org_unit")
        f = filters
        if f.get("indicator"):
            qs = qs.filter(indicator__code=f["indicator"])
        if f.get("org_unit"):
            qs = qs.filter(org_unit__code=f["org_unit"])
        if f.get("year"):
            qs = qs.filter(year=f["year"])
        return paginated(
            request,
            self,
            qs.order_by(
                "indicator__sort_order",
                "org_unit__code",
                "year",
                "period_type",
                "period",
            ),
            ValueSerializer,
        )

    @extend_schema(request=InputSerializer, responses={201: ValueSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require(can_enter_values(request.user))
        data = validated(self.InputSerializer, request.data)
        year, period = data["period"]
        value = value_set(
            indicator=data["indicator"],
            unit=data["org_unit"],
            year=year,
            period=period,
            value=data["value"],
            by=request.user,
        )
        return Response(ValueSerializer(value).data, status=status.HTTP_201_CREATED)


class TargetSerializer(_ByCodesOutput):
    class Meta:
        model = Target
        fields = [
            "id",
            "indicator",
            "org_unit",
            "year",
            "value",
            "version",
            "note",
            "set_at",
        ]


class TargetListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
        indicator = serializers.CharField(max_length=40, required=False)

    class InputSerializer(_ByCodesInput):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        note = serializers.CharField(
            max_length=200, required=False, allow_blank=True, default=""
        )

    @extend_schema(parameters=[FilterSerializer], responses=TargetSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_values(request.user))
        f = validated(self.FilterSerializer, request.query_params)
        qs = Target.objects.filter(
            org_unit__in=visible_units(request.user)
        ).select_related("indicator", "org_unit")
        if "year" in f:
            qs = qs.filter(year=f["year"])
        if f.get("indicator"):
            qs = qs.filter(indicator__code=f["indicator"])
        return paginated(request, self, qs, TargetSerializer)

    @extend_schema(request=InputSerializer, responses={201: TargetSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require(can_set_targets(request.user))
        v = validated(self.InputSerializer, request.data)
        target = target_set(
            indicator=v["indicator"],
            unit=v["org_unit"],
            year=v["year"],
            value=v["value"],
            by=request.user,
            note=v["note"],
        )
        check = target_split_check(indicator=v["indicator"], year=v["year"])
        body = dict(TargetSerializer(target).data)
        body["warning"] = check["warning"]
        return Response(body, status=status.HTTP_201_CREATED)


class TargetCheckApi(APIView):
    """Whether the streets' targets of an indicator add up to the district's."""

    class FilterSerializer(YearFilter):
        indicator = SlugRelatedField(
            slug_field="code", queryset=Indicator.objects.all()
        )

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request: AuthedApiRequest) -> Response:
        require(can_view_values(request.user))
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        check = target_split_check(
            indicator=filters.validated_data["indicator"],
            year=filters.year_or_this(),
        )
        return Response(
            {
                k: (api_decimal(v) if isinstance(v, Decimal) else v)
                for k, v in check.items()
            }
        )
