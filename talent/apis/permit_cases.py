"""The foreign experts' work-permit case API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.money import YUAN_PER_WAN
from bureau.lib.types import AuthedApiRequest
from talent.models import (
    ForeignExpertCase,
    Talent,
)
from talent.permissions import (
    get_permit_case_for_user,
    require_talent_manager,
)
from talent.points import PointsInput, check_codes, rules_from_settings
from talent.services import (
    permit_case_create,
    permit_case_move,
)


def code_list(codes: list[str], known: Mapping[str, Any]) -> list[str]:
    """Codes checked against the data (settings.WORK_PERMIT), as a 400."""
    try:
        return check_codes(codes, known)
    except ValueError as exc:
        raise serializers.ValidationError(str(exc)) from None


class PermitCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForeignExpertCase
        fields = [
            "id",
            "talent",
            "permit_class",
            "points",
            "points_breakdown",
            "status",
            "applied_on",
            "decided_on",
            "valid_until",
        ]


class PermitCaseCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        talent = serializers.PrimaryKeyRelatedField(queryset=Talent.objects.all())
        permit_class = serializers.ChoiceField(
            choices=ForeignExpertCase.PermitClass.choices,
            required=False,
            allow_blank=True,
        )
        annual_salary_wan = serializers.DecimalField(
            max_digits=10, decimal_places=2, min_value=0
        )
        education = serializers.ChoiceField(
            choices=["doctorate", "master", "bachelor", "other", ""], required=False
        )
        work_years = serializers.IntegerField(min_value=0, max_value=60, default=0)
        months_per_year = serializers.IntegerField(min_value=0, max_value=12, default=0)
        chinese_level = serializers.IntegerField(min_value=0, max_value=5, default=0)
        remote_region = serializers.BooleanField(default=False)
        age = serializers.IntegerField(min_value=16, max_value=100, required=False)
        bonus_items = serializers.ListField(
            child=serializers.CharField(max_length=40), default=list
        )
        local_bonus = serializers.IntegerField(min_value=0, max_value=10, default=0)
        achievements = serializers.ListField(
            child=serializers.CharField(max_length=40), default=list
        )

        def validate_bonus_items(self, value: list[str]) -> list[str]:
            return code_list(value, rules_from_settings().other_bonus_items)

        def validate_achievements(self, value: list[str]) -> list[str]:
            return code_list(value, rules_from_settings().achievements)

    @extend_schema(request=InputSerializer, responses={201: PermitCaseSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require_talent_manager(request.user)
        values = validated(self.InputSerializer, request.data)
        talent = values.pop("talent")
        permit_class = values.pop("permit_class", "")
        case = permit_case_create(
            by=request.user,
            talent=talent,
            permit_class=permit_class,
            points_input=PointsInput(
                annual_salary=values.pop("annual_salary_wan") * YUAN_PER_WAN,
                region_bonus=values.pop("remote_region"),
                other_bonus_items=values.pop("bonus_items"),
                **values,
            ),
        )
        return Response(PermitCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class PermitCaseMoveApi(APIView):
    class InputSerializer(serializers.Serializer):
        move = serializers.ChoiceField(choices=["submit", "approve", "reject"])
        valid_until = serializers.DateField(required=False)

    @extend_schema(request=InputSerializer, responses=PermitCaseSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        case = get_permit_case_for_user(request.user, pk, write=True)
        data = validated(self.InputSerializer, request.data)
        permit_case_move(by=request.user, case=case, **data)
        return Response(PermitCaseSerializer(case).data)
