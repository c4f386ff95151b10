"""The API of expert reviews: drawing reviewers, declaring, scoring."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from projects.models import ReviewAssignment
from projects.permissions import (
    can_list_reviews,
    get_application_for_user,
    get_assignment_for_user,
)
from projects.selectors import assignments_for_expert
from projects.services.review import assignment_declare, review_submit, reviewers_draw


class ReviewerDrawApi(APIView):
    @extend_schema(request=None)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        app = get_application_for_user(request.user, pk, manage=True)
        assignments = reviewers_draw(application=app, by=request.user)
        return Response(
            {"assigned": [a.expert.name for a in assignments]},
            status=status.HTTP_201_CREATED,
        )


class AssignmentSerializer(serializers.ModelSerializer):
    application_title = serializers.CharField(
        source="application.title", read_only=True
    )
    call = serializers.CharField(source="application.call.title", read_only=True)
    others = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "application",
            "application_title",
            "call",
            "declared_at",
            "declined_reason",
            "submitted_at",
            "scores",
            "weighted_score",
            "opinion",
            "others",
        ]

    def get_others(self, assignment: ReviewAssignment) -> list[dict[str, Any]] | None:
        """Other experts' scores stay sealed until the panel closes."""
        if assignment.application.call.panel_closed_at is None:
            return None
        return [
            {"weighted_score": str(a.weighted_score)}
            for a in assignment.application.assignments.exclude(pk=assignment.pk)
            if a.submitted_at
        ]


class MyReviewsApi(APIView):
    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_reviews(request.user):
            raise PermissionDenied
        return paginated(
            request,
            self,
            assignments_for_expert(user=request.user),
            AssignmentSerializer,
        )


class ReviewDeclareApi(APIView):
    class InputSerializer(serializers.Serializer):
        conflict = serializers.BooleanField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=AssignmentSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = get_assignment_for_user(request.user, pk)
        data = validated(self.InputSerializer, request.data)
        assignment_declare(assignment=assignment, by=request.user, **data)
        return Response(AssignmentSerializer(assignment).data)


class ReviewSubmitApi(APIView):
    class InputSerializer(serializers.Serializer):
        scores = serializers.DictField(child=serializers.IntegerField())
        opinion = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=AssignmentSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = get_assignment_for_user(request.user, pk)
        data = validated(self.InputSerializer, request.data)
        review_submit(assignment=assignment, by=request.user, **data)
        return Response(AssignmentSerializer(assignment).data)
