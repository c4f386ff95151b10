"""The living-allowance API: grants and the monthly payments."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from talent.models import (
    Allowance,
    AllowancePayment,
    AllowanceRule,
    Talent,
)
from talent.permissions import (
    require_talent_manager,
    require_talent_reader,
)
from talent.selectors import allowance_month
from talent.services import (
    allowance_grant,
    allowance_payments_pay,
)


class AllowanceGrantApi(APIView):
    class InputSerializer(serializers.Serializer):
        talent = serializers.PrimaryKeyRelatedField(queryset=Talent.objects.all())
        rule = serializers.PrimaryKeyRelatedField(queryset=AllowanceRule.objects.all())
        first_month = serializers.DateField()

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Allowance
            fields = ["id", "talent", "rule", "monthly_amount", "first_month", "months"]

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        require_talent_manager(request.user)
        data = validated(self.InputSerializer, request.data)
        allowance = allowance_grant(by=request.user, **data)
        return Response(
            self.OutputSerializer(allowance).data, status=status.HTTP_201_CREATED
        )


class PaymentSerializer(serializers.ModelSerializer):
    talent = serializers.CharField(source="allowance.talent.name")
    id_number = serializers.CharField(source="allowance.talent.id_number_masked")

    class Meta:
        model = AllowancePayment
        fields = [
            "id",
            "talent",
            "id_number",
            "month",
            "amount",
            "status",
            "stop_reason",
            "paid_at",
        ]


class MonthSerializer(serializers.Serializer):
    """A month given as YYYY-MM, validated as the date of its first day."""

    month = serializers.CharField(max_length=7, help_text="YYYY-MM")

    def validate_month(self, value: str) -> date:
        try:
            year, month = (int(x) for x in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise serializers.ValidationError(
                _("Give the month as YYYY-MM, e.g. 2026-03.")
            ) from None


class AllowancePaymentsApi(APIView):
    """GET ?month=YYYY-MM lists a month's payments; POST {"month"} records the
    month's due payments as paid."""

    FilterSerializer = MonthSerializer
    InputSerializer = MonthSerializer

    @extend_schema(
        parameters=[FilterSerializer], responses=PaymentSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        require_talent_reader(request.user)
        filters = validated(self.FilterSerializer, request.query_params)
        month = filters["month"]
        return paginated(request, self, allowance_month(month=month), PaymentSerializer)

    @extend_schema(request=InputSerializer)
    def post(self, request: AuthedApiRequest) -> Response:
        require_talent_manager(request.user)
        data = validated(self.InputSerializer, request.data)
        month = data["month"]
        paid = allowance_payments_pay(by=request.user, month=month)
        return Response({"month": month.strftime("%Y-%m"), "paid": paid})
