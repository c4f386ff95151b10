"""The API of projects won from higher levels (/api/v1/higher-level-projects/):
list and recommend upward, one project, and the higher level's decision,
the mid-term check and the acceptance. Money in 元 as decimal strings; the
hit rate of a list is a fraction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from projects.apis.fields import IntegerFilter
from projects.models import Application, Call, Programme, UpwardProject
from projects.permissions import (
    can_manage_upward,
    can_view_upward,
    get_call_for_user,
    get_upward_project_for_user,
)
from projects.selectors import upward_project_list
from projects.services.upward import (
    recommendation_create,
    upward_acceptance_record,
    upward_midterm_record,
    upward_outcome_record,
)


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A result not recorded yet is null, not "" (the schema's enum)."""

    def to_representation(self, value: Any) -> Any:
        return value or None


class UpwardProjectSerializer(serializers.ModelSerializer):
    midterm_result = BlankAsNullChoiceField(
        choices=UpwardProject.MidtermResult.choices, allow_null=True, read_only=True
    )
    acceptance_result = BlankAsNullChoiceField(
        choices=UpwardProject.AcceptanceResult.choices, allow_null=True, read_only=True
    )
    application_title = serializers.CharField(
        source="application.title", read_only=True
    )
    enterprise = serializers.IntegerField(
        source="application.enterprise_id", read_only=True
    )
    enterprise_name = serializers.CharField(
        source="application.enterprise.name", read_only=True
    )
    call = serializers.IntegerField(source="application.call_id", read_only=True)
    level = serializers.CharField(
        source="application.call.programme.level", read_only=True
    )
    year = serializers.IntegerField(source="application.call.year", read_only=True)
    recommendation_document_number = serializers.CharField(
        source="recommendation.document_number", read_only=True
    )
    recommended_on = serializers.DateField(
        source="recommendation.recommended_on", read_only=True
    )

    class Meta:
        model = UpwardProject
        fields = [
            "id",
            "application",
            "application_title",
            "enterprise",
            "enterprise_name",
            "call",
            "level",
            "year",
            "recommendation",
            "recommendation_document_number",
            "recommended_on",
            "state",
            "decided_on",
            "higher_document_number",
            "funds_from_above",
            "local_match",
            "midterm_on",
            "midterm_result",
            "acceptance_on",
            "acceptance_result",
            "new_output_value",
            "new_jobs",
            "patents_filed",
            "patents_granted",
            "other_results",
        ]
        read_only_fields = fields


class RecommendationOutputSerializer(serializers.Serializer):
    recommendation = serializers.IntegerField()
    document_number = serializers.CharField()
    recommended_on = serializers.DateField()
    projects = UpwardProjectSerializer(many=True)


class HigherLevelProjectListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=100)
        state = serializers.ChoiceField(
            choices=UpwardProject.State.choices, required=False
        )
        level = serializers.ChoiceField(choices=Programme.Level.choices, required=False)
        year = IntegerFilter()
        recommendation = IntegerFilter()

    class InputSerializer(serializers.Serializer):
        call = serializers.IntegerField(min_value=1)
        applications = serializers.ListField(
            child=serializers.IntegerField(min_value=1), min_length=1
        )
        document_number = serializers.CharField(max_length=100)
        recommended_on = serializers.DateField()
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(
        parameters=[FilterSerializer], responses=UpwardProjectSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_upward(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        qs = upward_project_list(user=request.user, filters=filters)
        return paginated(request, self, qs, UpwardProjectSerializer)

    @extend_schema(
        request=InputSerializer, responses={201: RecommendationOutputSerializer}
    )
    def post(self, request: AuthedApiRequest) -> Response:
        """Recommend applications of a call upward (推荐上报) under one
        document number; answers the recommendation and the projects created."""
        if not can_manage_upward(request.user):
            raise PermissionDenied
        values = validated(self.InputSerializer, request.data)
        call: Call = get_call_for_user(request.user, values.pop("call"))
        wanted = values.pop("applications")
        apps = list(Application.objects.filter(pk__in=wanted, call=call))
        if len(apps) != len(set(wanted)):
            raise Http404
        batch = recommendation_create(
            by=request.user, call=call, applications=apps, **values
        )
        projects = upward_project_list(
            user=request.user, filters={"recommendation": batch.pk}
        )
        return Response(
            RecommendationOutputSerializer(
                {
                    "recommendation": batch.pk,
                    "document_number": batch.document_number,
                    "recommended_on": batch.recommended_on,
                    "projects": projects,
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )


class HigherLevelProjectDetailApi(APIView):
    @extend_schema(responses=UpwardProjectSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        project = get_upward_project_for_user(request.user, pk)
        return Response(UpwardProjectSerializer(project).data)


class HigherLevelProjectOutcomeApi(APIView):
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=UpwardProject.Outcome.choices)
        decided_on = serializers.DateField()
        higher_document_number = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default=""
        )
        funds_from_above = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False
        )
        local_match = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False
        )

    @extend_schema(request=InputSerializer, responses=UpwardProjectSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        """Record the higher level's decision (立项/未立项); 409 once decided."""
        project = get_upward_project_for_user(request.user, pk, write=True)
        values = validated(self.InputSerializer, request.data)
        upward_outcome_record(by=request.user, project=project, **values)
        return Response(UpwardProjectSerializer(project).data)


class HigherLevelProjectMidtermApi(APIView):
    class InputSerializer(serializers.Serializer):
        midterm_on = serializers.DateField()
        midterm_result = serializers.ChoiceField(
            choices=UpwardProject.MidtermResult.choices
        )

    @extend_schema(request=InputSerializer, responses=UpwardProjectSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        project = get_upward_project_for_user(request.user, pk, write=True)
        values = validated(self.InputSerializer, request.data)
        upward_midterm_record(by=request.user, project=project, **values)
        return Response(UpwardProjectSerializer(project).data)


class HigherLevelProjectAcceptanceApi(APIView):
    class InputSerializer(serializers.Serializer):
        acceptance_on = serializers.DateField()
        acceptance_result = serializers.ChoiceField(
            choices=UpwardProject.AcceptanceResult.choices
        )
        new_output_value = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False
        )
        new_jobs = serializers.IntegerField(min_value=0, required=False)
        patents_filed = serializers.IntegerField(min_value=0, required=False)
        patents_granted = serializers.IntegerField(min_value=0, required=False)
        other_results = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=UpwardProjectSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        project = get_upward_project_for_user(request.user, pk, write=True)
        values = validated(self.InputSerializer, request.data)
        upward_acceptance_record(by=request.user, project=project, **values)
        return Response(UpwardProjectSerializer(project).data)
