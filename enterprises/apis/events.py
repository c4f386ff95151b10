"""The API of events (/api/v1/events/) and 科普 bases
(/api/v1/science-bases/): list and create, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import OrgUnit
from enterprises.models import Enterprise, Event, ScienceBase
from enterprises.permissions import (
    can_manage_science_bases,
    can_record_events,
    can_view_events,
    enterprises_visible_to,
    get_event_for_user,
)
from enterprises.selectors import event_list, science_base_list
from enterprises.services import event_save, science_base_save

_UNITS = OrgUnit.objects.filter(level__in=["street", "park"])


class EventSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=_UNITS, required=False, allow_null=True
    )
    enterprises = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Enterprise.objects.all(), required=False
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "organiser",
            "org_unit",
            "place",
            "participants",
            "enterprises",
            "materials",
            "trained",
            "notes",
        ]

    def to_representation(self, instance: Event) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Only the attendees the caller may see (a liaison sees their street's).
        visible = self.context.get("visible_enterprises")
        if visible is not None:
            data["enterprises"] = [pk for pk in data["enterprises"] if pk in visible]
        return data


class EventListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=100)
        kind = serializers.ChoiceField(choices=Event.Kind.choices, required=False)
        year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
        enterprise = serializers.IntegerField(min_value=1, required=False)

    @extend_schema(parameters=[FilterSerializer], responses=EventSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_events(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        qs = event_list(user=request.user, filters=filters).prefetch_related(
            "enterprises"
        )
        return paginated(request, self, qs, EventSerializer)

    @extend_schema(request=EventSerializer, responses={201: EventSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_record_events(request.user):
            raise PermissionDenied
        values = validated(EventSerializer, request.data)
        enterprises = values.pop("enterprises", [])
        event = event_save(
            by=request.user, event=Event(**values), enterprises=enterprises
        )
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailApi(APIView):
    @extend_schema(responses=EventSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        event = get_event_for_user(request.user, pk)
        visible = set(
            enterprises_visible_to(request.user)
            .filter(events=event)
            .values_list("pk", flat=True)
        )
        return Response(
            EventSerializer(event, context={"visible_enterprises": visible}).data
        )


class ScienceBaseSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=_UNITS, required=False, allow_null=True
    )

    class Meta:
        model = ScienceBase
        fields = [
            "id",
            "name",
            "level",
            "host",
            "org_unit",
            "recognised_on",
            "yearly_visitors",
        ]


class ScienceBaseListCreateApi(APIView):
    @extend_schema(responses=ScienceBaseSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_events(request.user):
            raise PermissionDenied
        return paginated(
            request, self, science_base_list(user=request.user), ScienceBaseSerializer
        )

    @extend_schema(
        request=ScienceBaseSerializer, responses={201: ScienceBaseSerializer}
    )
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_manage_science_bases(request.user):
            raise PermissionDenied
        values = validated(ScienceBaseSerializer, request.data)
        base = science_base_save(by=request.user, base=ScienceBase(**values))
        return Response(
            ScienceBaseSerializer(base).data, status=status.HTTP_201_CREATED
        )
