"""The API of expert reviews: drawing reviewers (and replacements),
declaring, scoring, and closing and re-opening a call's review panel."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from projects.apis.calls import CallOutputSerializer
from projects.models import ReviewAssignment
from projects.permissions import (
    can_list_reviews,
    get_application_for_user,
    get_assignment_for_user,
    get_assignment_to_replace,
    get_panel_call_for_user,
)
from projects.selectors import assignments_for_expert, panel_gaps
from projects.services.review import (
    assignment_declare,
    assignment_replace,
    call_panel_close,
    call_panel_reopen,
    review_submit,
    reviewers_draw,
)


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


class PanelCloseApi(APIView):
    """Close the call's review panel. Refused (409 `call_still_open`) while
    the call accepts applications unless `force` with a `reason`; the answer
    lists the applications that still missed a review."""

    class InputSerializer(serializers.Serializer):
        force = serializers.BooleanField(required=False, default=False)
        reason = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=500
        )

    class OutputSerializer(serializers.Serializer):
        call = CallOutputSerializer()
        missing_reviews = serializers.ListField(child=serializers.DictField())

    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        call = get_panel_call_for_user(request.user, pk, action="close")
        data = validated(self.InputSerializer, request.data)
        gaps = panel_gaps(call=call)
        call = call_panel_close(call=call, by=request.user, **data)
        return Response(
            self.OutputSerializer(
                {
                    "call": call,
                    "missing_reviews": [
                        {
                            "application": g.application.pk,
                            "title": g.application.title,
                            "submitted": g.submitted,
                            "wanted": g.wanted,
                        }
                        for g in gaps
                    ],
                }
            ).data
        )


class PanelReopenApi(APIView):
    """Re-open a closed panel (section head), with the reason."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        call = get_panel_call_for_user(request.user, pk, action="reopen")
        data = validated(self.InputSerializer, request.data)
        call = call_panel_reopen(call=call, by=request.user, **data)
        return Response(CallOutputSerializer(call).data)


class ReplacementSerializer(serializers.ModelSerializer):
    expert = serializers.CharField(source="expert.name", read_only=True)

    class Meta:
        model = ReviewAssignment
        fields = ["id", "application", "expert", "assigned_at"]


class AssignmentReplaceApi(APIView):
    """Give a declined or overdue review to another expert (staff)."""

    @extend_schema(request=None, responses=ReplacementSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = get_assignment_to_replace(request.user, pk)
        replacement = assignment_replace(assignment=assignment, by=request.user)
        return Response(ReplacementSerializer(replacement).data)
