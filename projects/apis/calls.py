"""The API of programmes and calls (DESIGN §5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.selectors import tier_choices
from projects.apis.fields import IntegerFilter, ProfessionalFieldField
from projects.models import Call, Programme
from projects.permissions import (
    can_check_eligibility,
    can_create_programme,
    can_manage_calls,
    can_see_applications_of_call,
    get_call_for_user,
)
from projects.selectors import call_eligibility, call_list, call_ranking
from projects.services.calls import call_create, call_publish, programme_create

if TYPE_CHECKING:
    from enterprises.models import Tier


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "level", "kind", "midterm_threshold", "is_active"]


class ProgrammeListCreateApi(APIView):
    @extend_schema(responses=ProgrammeSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        return paginated(request, self, Programme.objects.all(), ProgrammeSerializer)

    @extend_schema(request=ProgrammeSerializer, responses={201: ProgrammeSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_create_programme(request.user):
            raise PermissionDenied
        data = validated(ProgrammeSerializer, request.data)
        programme = programme_create(by=request.user, **data)
        return Response(
            ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED
        )


class CallOutputSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    eligible_tiers: serializers.SlugRelatedField[Tier] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    criteria = serializers.SerializerMethodField()
    field = ProfessionalFieldField(read_only=True)
    # The metaclass moves it into _declared_fields (no clash with Field.field_name).
    field_name = serializers.CharField(  # type: ignore[assignment]
        source="field.name", read_only=True, default=None
    )

    class Meta:
        model = Call
        fields = [
            "id",
            "programme",
            "programme_name",
            "title",
            "year",
            "status",
            "description",
            "opens_at",
            "closes_at",
            "published_at",
            "eligible_tiers",
            "field",
            "field_name",
            "required_attachments",
            "budget_ceiling",
            "max_request",
            "criteria",
        ]

    def get_criteria(self, call: Call) -> list[dict[str, Any]]:
        return [
            {
                "id": c.pk,
                "name": c.name,
                "weight": str(c.weight),
                "max_score": c.max_score,
            }
            for c in call.criteria.all()
        ]


class CallInputSerializer(serializers.Serializer):
    class CriterionSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
        max_score = serializers.IntegerField(min_value=1, max_value=1000, default=100)

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    description = serializers.CharField(required=False, allow_blank=True)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    eligible_tiers = serializers.SlugRelatedField(
        slug_field="code",
        queryset=tier_choices(include_inactive=True),
        many=True,
        required=False,
    )
    precheck_tier = serializers.SlugRelatedField(
        slug_field="code",
        queryset=tier_choices(include_inactive=True),
        required=False,
        allow_null=True,
    )
    field = ProfessionalFieldField()
    required_attachments = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False
    )
    budget_ceiling = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0
    )
    max_request = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    reviewers_per_application = serializers.IntegerField(
        min_value=1, max_value=15, required=False
    )
    criteria = CriterionSerializer(many=True)


class CallListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Call.Status.choices, required=False)
        year = IntegerFilter()

    @extend_schema(
        parameters=[FilterSerializer], responses=CallOutputSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        filters = validated(self.FilterSerializer, request.query_params)
        qs = call_list(user=request.user, filters=filters)
        return paginated(request, self, qs, CallOutputSerializer)

    @extend_schema(request=CallInputSerializer, responses={201: CallOutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_manage_calls(request.user):
            raise PermissionDenied
        values = validated(CallInputSerializer, request.data)
        criteria = [dict(c) for c in values.pop("criteria")]
        call = call_create(
            by=request.user,
            criteria=criteria,
            eligible_tiers=values.pop("eligible_tiers", []),
            **values,
        )
        return Response(CallOutputSerializer(call).data, status=status.HTTP_201_CREATED)


class CallDetailApi(APIView):
    @extend_schema(responses=CallOutputSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        return Response(CallOutputSerializer(get_call_for_user(request.user, pk)).data)


class CallPublishApi(APIView):
    @extend_schema(request=None, responses=CallOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        call = get_call_for_user(request.user, pk, manage=True)
        return Response(
            CallOutputSerializer(call_publish(call=call, by=request.user)).data
        )


class CallEligibilityApi(APIView):
    """For an enterprise user: may I apply, and if not, what is missing?"""

    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        call = get_call_for_user(request.user, pk)
        if not can_check_eligibility(request.user):
            raise PermissionDenied
        result = call_eligibility(call=call, enterprise=request.user.enterprise)
        return Response(
            {
                "eligible": result.eligible,
                "reasons": result.reasons,
                "pending": result.pending,
            }
        )


class CallRankingApi(APIView):
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        call = get_call_for_user(request.user, pk)
        if not can_see_applications_of_call(request.user):
            raise PermissionDenied
        return Response(
            {
                "call": call.pk,
                "panel_closed": call.panel_closed_at is not None,
                # Sealed while the panel is open: no average, no rank.
                "sealed": call.panel_closed_at is None,
                "results": [
                    {
                        "rank": r.rank,
                        "application": r.application_id,
                        "title": r.title,
                        "enterprise": r.enterprise,
                        "state": r.state,
                        "reviews": r.reviews,
                        "average": str(r.average) if r.average is not None else None,
                    }
                    for r in call_ranking(call=call)
                ],
            }
        )
