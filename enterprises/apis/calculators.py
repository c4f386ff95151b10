"""The 研发费用加计扣除 calculator (CALCULATORS_API.md). Any signed-in user;
stores nothing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from enterprises.deduction import (
    SPECIAL_LISTS,
    TAXATION_ACTUAL,
    TAXATION_DEEMED,
    check_fiscal_year,
    figures_from,
    parse_industry_code,
    policy_from_settings,
    super_deduction,
)
from enterprises.permissions import require_calculator_user


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, min_value=0, **kwargs
    )


def _field_check(check: Any, value: Any) -> None:
    try:
        check(value)
    except ValueError as exc:
        raise serializers.ValidationError(str(exc)) from None


class SuperDeductionApi(APIView):
    """研发费用加计扣除 for one accounting year (RULES §4)."""

    class InputSerializer(serializers.Serializer):
        fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
        industry_code = serializers.CharField(max_length=6)
        taxation = serializers.ChoiceField(choices=[TAXATION_ACTUAL, TAXATION_DEEMED])
        special_list = serializers.ChoiceField(
            choices=SPECIAL_LISTS, required=False, allow_blank=True, default=""
        )
        rd_expensed = _money()
        rd_other_costs = _money(required=False, default=0)
        rd_entrusted_domestic = _money(required=False, default=0)
        rd_entrusted_overseas = _money(required=False, default=0)
        rd_capitalised_cost = _money(required=False, default=0)

        def validate_fiscal_year(self, value: int) -> int:
            _field_check(check_fiscal_year, value)
            return value

        def validate_industry_code(self, value: str) -> str:
            _field_check(parse_industry_code, value)
            return value.strip().upper()

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer(
            "SuperDeductionResult",
            {
                "eligible": serializers.BooleanField(),
                "reasons": serializers.ListField(child=serializers.CharField()),
                "rate": serializers.CharField(),
                "eligible_base": serializers.CharField(),
                "extra_deduction": serializers.CharField(),
                "amortisation_base": serializers.CharField(),
                "parts": serializers.DictField(child=serializers.CharField()),
            },
        ),
    )
    def post(self, request: AuthedApiRequest) -> Response:
        require_calculator_user(request.user)
        v = validated(self.InputSerializer, request.data)
        figures = figures_from(v)
        return Response(
            super_deduction(figures, policy=policy_from_settings()).as_dict()
        )
