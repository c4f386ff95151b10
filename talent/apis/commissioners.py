"""The 科技特派员 API: commissioners, service logs, assessments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from talent.models import (
    Commissioner,
    ServiceLog,
)
from talent.permissions import (
    get_commissioner_for_user,
    require_talent_manager,
    require_talent_reader,
)
from talent.selectors import commissioner_list
from talent.services import (
    commissioner_assess,
    commissioner_create,
    service_log_record,
)


class CommissionerSerializer(serializers.ModelSerializer):
    services = serializers.IntegerField(read_only=True)

    class Meta:
        model = Commissioner
        fields = [
            "id",
            "kind",
            "name",
            "talent",
            "sending_organisation",
            "served_area",
            "served_enterprises",
            "term_start",
            "term_end",
            "services",
        ]


class CommissionerListCreateApi(APIView):
    @extend_schema(responses=CommissionerSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        require_talent_reader(request.user)
        return paginated(request, self, commissioner_list(), CommissionerSerializer)

    @extend_schema(
        request=CommissionerSerializer, responses={201: CommissionerSerializer}
    )
    def post(self, request: AuthedApiRequest) -> Response:
        require_talent_manager(request.user)
        values = validated(CommissionerSerializer, request.data)
        commissioner = commissioner_create(
            by=request.user,
            served_enterprises=values.pop("served_enterprises", []),
            **values,
        )
        # Read back through the list's query, so the answer carries the same
        # fields as the list (the service count is an annotation).
        created = commissioner_list().get(pk=commissioner.pk)
        return Response(
            CommissionerSerializer(created).data, status=status.HTTP_201_CREATED
        )


class ServiceLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceLog
        fields = ["id", "served_on", "kind", "count", "result"]


class CommissionerLogsApi(APIView):
    @extend_schema(responses=ServiceLogSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        commissioner = get_commissioner_for_user(request.user, pk)
        return paginated(
            request, self, commissioner.service_logs.all(), ServiceLogSerializer
        )

    @extend_schema(request=ServiceLogSerializer, responses={201: ServiceLogSerializer})
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        commissioner = get_commissioner_for_user(request.user, pk, write=True)
        data = validated(ServiceLogSerializer, request.data)
        log = service_log_record(by=request.user, commissioner=commissioner, **data)
        return Response(ServiceLogSerializer(log).data, status=status.HTTP_201_CREATED)


class CommissionerAssessApi(APIView):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        score = serializers.IntegerField(min_value=0, max_value=100)
        comment = serializers.CharField(
            max_length=300, required=False, allow_blank=True
        )

    @extend_schema(request=InputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        commissioner = get_commissioner_for_user(request.user, pk, write=True)
        data = validated(self.InputSerializer, request.data)
        assessment = commissioner_assess(
            by=request.user, commissioner=commissioner, **data
        )
        return Response(
            {
                "year": assessment.year,
                "score": assessment.score,
                "grade": assessment.grade,
                "grade_display": assessment.get_grade_display(),
            }
        )
