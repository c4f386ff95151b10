"""The API of the reserve (储备库) of projects won from higher levels
(/api/v1/higher-level-projects/reserve/): the list with the page's filters,
adding a project, one project and changing it while it is in the reserve,
and promoting it into an open call (a draft application of its enterprise)
or dropping it. Money in 元 as decimal strings.

As the pages: the district's readers and a liaison (their street's
enterprises) read; staff and section heads write; a role that may not see
the reserve at all is refused (403) before an object is looked up, an object
out of the caller's scope is a 404, and a project that has left the reserve
is a 409."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.selectors import enterprise_choices
from projects.apis.fields import IntegerFilter
from projects.models import Programme, ReserveProject
from projects.permissions import (
    can_manage_upward,
    can_view_upward,
    get_call_for_user,
    get_reserve_for_user,
)
from projects.selectors import reserve_list
from projects.selectors.upward import HIGHER_LEVELS
from projects.services.upward import reserve_drop, reserve_promote, reserve_save

LEVEL_CHOICES = [(key, Programme.Level(key).label) for key in HIGHER_LEVELS]


class ReserveSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    org_unit = serializers.IntegerField(
        source="enterprise.org_unit_id", read_only=True, allow_null=True
    )
    target_programme_name = serializers.CharField(
        source="target_programme.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ReserveProject
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "org_unit",
            "title",
            "summary",
            "target_level",
            "target_programme",
            "target_programme_name",
            "expected_year",
            "planned_amount",
            "status",
            "application",
            "created_at",
        ]
        read_only_fields = fields


class ReserveInputSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=enterprise_choices())
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    # The model's choices (one enum in the schema); only a higher level is
    # accepted.
    target_level = serializers.ChoiceField(
        choices=ReserveProject.Level.choices,
        help_text="city, provincial or national (a level above the district).",
    )
    target_programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.filter(level__in=HIGHER_LEVELS, is_active=True),
        required=False,
        allow_null=True,
        help_text="A programme of the target level, or null for any of that level.",
    )
    expected_year = serializers.IntegerField(min_value=2000, max_value=2100)
    planned_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="The planned request in 元.",
    )

    def validate_target_level(self, value: str) -> str:
        if value not in HIGHER_LEVELS:
            raise serializers.ValidationError(_("Choose a level above the district."))
        return value


def _need_view(request: AuthedApiRequest) -> None:
    if not can_view_upward(request.user):
        raise PermissionDenied


def _reserve(request: AuthedApiRequest, pk: int, *, write: bool) -> ReserveProject:
    """403 for a role that never sees the reserve, 404 out of scope, 403 on
    `write` for a reader."""
    _need_view(request)
    return get_reserve_for_user(request.user, pk, write=write)


def _saved(reserve: ReserveProject) -> ReserveProject:
    """The row again as the list reads it (with its enterprise's street, its
    programme and its application)."""
    return ReserveProject.objects.select_related(
        "enterprise__org_unit", "target_programme", "application"
    ).get(pk=reserve.pk)


class ReserveListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(
            required=False, max_length=100, help_text="Part of the title or enterprise."
        )
        status = serializers.ChoiceField(
            choices=ReserveProject.Status.choices, required=False
        )
        level = serializers.ChoiceField(choices=LEVEL_CHOICES, required=False)
        year = IntegerFilter(help_text="The expected year of application.")

    @extend_schema(
        parameters=[FilterSerializer], responses=ReserveSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        _need_view(request)
        filters = validated(self.FilterSerializer, request.query_params)
        qs = reserve_list(user=request.user, filters=filters)
        return paginated(request, self, qs, ReserveSerializer)

    @extend_schema(request=ReserveInputSerializer, responses={201: ReserveSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        """Add a project to the reserve."""
        if not can_manage_upward(request.user):
            raise PermissionDenied
        values = validated(ReserveInputSerializer, request.data)
        reserve = reserve_save(by=request.user, reserve=ReserveProject(**values))
        return Response(
            ReserveSerializer(_saved(reserve)).data, status=status.HTTP_201_CREATED
        )


class ReserveDetailApi(APIView):
    @extend_schema(responses=ReserveSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        reserve = _reserve(request, pk, write=False)
        return Response(ReserveSerializer(_saved(reserve)).data)

    @extend_schema(request=ReserveInputSerializer, responses=ReserveSerializer)
    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        """Change a project still in the reserve (409 once promoted or
        dropped)."""
        reserve = _reserve(request, pk, write=True)
        values: dict[str, Any] = validated(
            ReserveInputSerializer, request.data, partial=True
        )
        for name, value in values.items():
            setattr(reserve, name, value)
        reserve = reserve_save(by=request.user, reserve=reserve)
        return Response(ReserveSerializer(_saved(reserve)).data)


class ReservePromoteApi(APIView):
    class InputSerializer(serializers.Serializer):
        call = serializers.IntegerField(
            min_value=1, help_text="An open call of the reserve's target."
        )

    @extend_schema(request=InputSerializer, responses=ReserveSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        """The call has opened: make the project a draft application of its
        enterprise, which completes and submits it. 409 when it left the
        reserve, the call is not open or not of its target, the enterprise
        already applied or does not qualify."""
        reserve = _reserve(request, pk, write=True)
        values = validated(self.InputSerializer, request.data)
        call = get_call_for_user(request.user, values["call"])
        reserve_promote(by=request.user, reserve=reserve, call=call)
        return Response(ReserveSerializer(_saved(reserve)).data)


class ReserveDropApi(APIView):
    @extend_schema(request=None, responses=ReserveSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        """Take the project out of the reserve (409 when it already left)."""
        reserve = _reserve(request, pk, write=True)
        reserve_drop(by=request.user, reserve=reserve)
        return Response(ReserveSerializer(_saved(reserve)).data)


reserve_api_patterns = [
    # /api/v1/higher-level-projects/reserve/
    path(
        "higher-level-projects/reserve/",
        ReserveListCreateApi.as_view(),
        name="api-higher-level-reserve-list",
    ),
    path(
        "higher-level-projects/reserve/<int:pk>/",
        ReserveDetailApi.as_view(),
        name="api-higher-level-reserve-detail",
    ),
    path(
        "higher-level-projects/reserve/<int:pk>/promote/",
        ReservePromoteApi.as_view(),
        name="api-higher-level-reserve-promote",
    ),
    path(
        "higher-level-projects/reserve/<int:pk>/drop/",
        ReserveDropApi.as_view(),
        name="api-higher-level-reserve-drop",
    ),
]
