"""Facts staff record for the pre-check (credit and incident checks,
judgements), per enterprise."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.models import EnterpriseFact, FactSubject
from enterprises.permissions import get_enterprise_for_facts, get_enterprise_for_user
from enterprises.services import enterprise_fact_record


class EnterpriseFactSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.CharField(
        source="recorded_by.display_name", read_only=True
    )
    subject_display = serializers.CharField(
        source="get_subject_display", read_only=True
    )
    evidence = serializers.CharField(read_only=True)
    valid_until = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = EnterpriseFact
        fields = [
            "id",
            "subject",
            "subject_display",
            "met",
            "checked_on",
            "source",
            "note",
            "evidence",
            "valid_until",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]


class EnterpriseFactsApi(APIView):
    """GET: the enterprise's recorded facts, newest check first (scoped like
    the enterprise). POST: staff record one; it then decides the pre-check."""

    class InputSerializer(serializers.Serializer):
        subject = serializers.ChoiceField(choices=FactSubject.choices)
        met = serializers.BooleanField()
        checked_on = serializers.DateField()
        # "source" is also an attribute of DRF fields; the name is the API's.
        source = serializers.CharField(max_length=100)  # type: ignore[assignment]
        note = serializers.CharField(max_length=500, required=False, default="")

    @extend_schema(responses=EnterpriseFactSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        facts = enterprise.facts.select_related("recorded_by")
        return paginated(request, self, facts, EnterpriseFactSerializer)

    @extend_schema(request=InputSerializer, responses={201: EnterpriseFactSerializer})
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_facts(request.user, pk)
        values = validated(self.InputSerializer, request.data)
        fact = enterprise_fact_record(enterprise=enterprise, by=request.user, **values)
        return Response(
            EnterpriseFactSerializer(fact).data, status=status.HTTP_201_CREATED
        )
