"""The work-permit class calculator (CALCULATORS_API.md). Any signed-in
user; stores nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from talent.apis.permit_cases import code_list
from talent.permissions import require_calculator_user
from talent.points import PointsInput, permit_points, rules_from_settings


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, **kwargs
    )


class WorkPermitClassApi(APIView):
    """外国人来华工作分类 for a case, before or without a case record."""

    class InputSerializer(serializers.Serializer):
        annual_salary = _money()
        local_average_salary = serializers.DecimalField(
            max_digits=16, decimal_places=2, min_value=Decimal("0.01"), required=False
        )
        education = serializers.ChoiceField(
            choices=["doctorate", "master", "bachelor", "other"]
        )
        work_years = serializers.IntegerField(min_value=0, max_value=60)
        months_per_year = serializers.IntegerField(min_value=0, max_value=12)
        chinese_level = serializers.IntegerField(min_value=0, max_value=5)
        age = serializers.IntegerField(min_value=16, max_value=100)
        region_bonus = serializers.BooleanField(required=False, default=False)
        other_bonus_items = serializers.ListField(
            child=serializers.CharField(max_length=40), required=False, default=list
        )
        local_bonus = serializers.IntegerField(
            min_value=0, max_value=100, required=False, default=0
        )
        achievements = serializers.ListField(
            child=serializers.CharField(max_length=40), required=False, default=list
        )

        def validate_local_bonus(self, value: int) -> int:
            cap = rules_from_settings().local_bonus_max
            if value > cap:
                raise serializers.ValidationError(
                    serializers.IntegerField.default_error_messages["max_value"].format(
                        max_value=cap
                    )
                )
            return value

        def validate_other_bonus_items(self, value: list[str]) -> list[str]:
            return code_list(value, rules_from_settings().other_bonus_items)

        def validate_achievements(self, value: list[str]) -> list[str]:
            return code_list(value, rules_from_settings().achievements)

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer(
            "WorkPermitClassResult",
            {
                "points": serializers.IntegerField(),
                "breakdown": serializers.DictField(),
                "class": serializers.ChoiceField(choices=["A", "B", "C"]),
                "routes": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def post(self, request: AuthedApiRequest) -> Response:
        require_calculator_user(request.user)
        v = validated(self.InputSerializer, request.data)
        result = permit_points(PointsInput(**v))
        return Response(result.api_dict())
