"""The API of contracts (任务书), milestones, disbursements and the ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import validated
from bureau.lib.types import AuthedApiRequest
from projects.apis.fields import IntegerFilter
from projects.models import Disbursement
from projects.permissions import (
    can_view_ledger,
    get_application_for_user,
    get_disbursement_for_user,
    get_milestone_for_user,
)
from projects.selectors import ledger
from projects.services.money import (
    contract_record,
    disbursement_pay,
    disbursement_withhold,
    milestone_achieve,
)


class ContractApi(APIView):
    class MilestoneInput(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        due_on = serializers.DateField()
        deliverable = serializers.CharField(
            max_length=300, required=False, allow_blank=True
        )
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    class InputSerializer(serializers.Serializer):
        number = serializers.CharField(max_length=50, required=False, allow_blank=True)
        start_on = serializers.DateField()
        end_on = serializers.DateField()
        deliverables = serializers.CharField()
        signed_on = serializers.DateField(required=False, allow_null=True)

        def get_fields(self) -> dict[str, Any]:
            fields = super().get_fields()
            fields["milestones"] = ContractApi.MilestoneInput(many=True)
            return fields

    @extend_schema(request=InputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        app = get_application_for_user(request.user, pk, manage=True)
        values = validated(self.InputSerializer, request.data)
        contract = contract_record(
            application=app,
            by=request.user,
            milestones=[dict(m) for m in values.pop("milestones")],
            **values,
        )
        return Response(
            {
                "id": contract.pk,
                "milestones": [
                    {"id": m.pk, "title": m.title, "due_on": m.due_on}
                    for m in contract.milestones.all()
                ],
            },
            status=status.HTTP_201_CREATED,
        )


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = [
            "id",
            "application",
            "milestone",
            "amount",
            "status",
            "planned_on",
            "paid_on",
            "note",
        ]


class MilestoneAchieveApi(APIView):
    @extend_schema(request=None)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        milestone = get_milestone_for_user(request.user, pk)
        milestone_achieve(milestone=milestone, by=request.user)
        return Response({"id": milestone.pk, "achieved_on": milestone.achieved_on})


class DisbursementActionApi(APIView):
    """POST {"action": "pay"} or {"action": "withhold", "reason": "…"}."""

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["pay", "withhold"])
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=DisbursementSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        disbursement = get_disbursement_for_user(request.user, pk)
        data = validated(self.InputSerializer, request.data)
        if data["action"] == "pay":
            disbursement = disbursement_pay(disbursement=disbursement, by=request.user)
        else:
            disbursement = disbursement_withhold(
                disbursement=disbursement,
                by=request.user,
                reason=data["reason"],
            )
        return Response(DisbursementSerializer(disbursement).data)


class LedgerApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = IntegerFilter()
        programme = IntegerFilter()
        call = IntegerFilter()

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_ledger(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        rows = ledger(**filters)
        cents = Decimal("0.01")
        return Response(
            {
                "results": [
                    {
                        k: str(Decimal(v).quantize(cents))
                        if isinstance(v, Decimal | int)
                        and k not in ("call_id", "year", "projects")
                        else v
                        for k, v in r.items()
                    }
                    for r in rows
                ]
            }
        )
