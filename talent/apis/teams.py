"""The leading-team API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from enterprises.selectors import enterprise_choices
from talent.models import (
    Talent,
    TalentProgramme,
    Team,
)
from talent.permissions import (
    require_talent_manager,
)
from talent.services import (
    team_create,
    team_warnings,
)


class TeamCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        leader = serializers.PrimaryKeyRelatedField(queryset=Talent.objects.all())
        members = serializers.PrimaryKeyRelatedField(
            queryset=Talent.objects.all(), many=True
        )
        enterprise = serializers.PrimaryKeyRelatedField(
            queryset=enterprise_choices(), required=False, allow_null=True
        )
        programme = serializers.PrimaryKeyRelatedField(
            queryset=TalentProgramme.objects.all(), required=False, allow_null=True
        )

    class OutputSerializer(serializers.ModelSerializer):
        warnings = serializers.SerializerMethodField()

        class Meta:
            model = Team
            fields = [
                "id",
                "name",
                "leader",
                "members",
                "enterprise",
                "programme",
                "warnings",
            ]

        def get_warnings(self, team: Team) -> list[str]:
            return team_warnings(team)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require_talent_manager(request.user)
        data = validated(self.InputSerializer, request.data)
        team = team_create(by=request.user, **data)
        return Response(
            self.OutputSerializer(team).data, status=status.HTTP_201_CREATED
        )
