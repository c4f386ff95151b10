"""The foreign experts' work-permit case API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from talent.models import (
    ForeignExpertCase,
    Talent,
)
from talent.permissions import (
    get_permit_case_for_user,
    require_talent_manager,
)
from talent.points import PointsInput
from talent.services import (
    permit_case_create,
    permit_case_move,
)


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
            choices=["doctorate", "master", "bachelor", ""], required=False
        )
        work_years = serializers.IntegerField(min_value=0, max_value=60, default=0)
        months_per_year = serializers.IntegerField(min_value=0, max_value=12, default=0)
        chinese_level = serializers.IntegerField(min_value=0, max_value=5, default=0)
        remote_region = serializers.BooleanField(default=False)
        age = serializers.IntegerField(min_value=16, max_value=100, required=False)
        bonus_items = serializers.ListField(
            child=serializers.CharField(max_length=50), default=list
        )
        local_bonus = serializers.IntegerField(min_value=0, max_value=10, default=0)

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
            points_input=PointsInput(**values),
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
