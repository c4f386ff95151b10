"""The talent API. ID numbers and phones go in clear and come out masked,
to every role."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated
from enterprises.models import Enterprise
from talent.models import (
    Allowance,
    AllowancePayment,
    AllowanceRule,
    Commissioner,
    Degree,
    ForeignExpertCase,
    ServiceLog,
    Talent,
    TalentProgramme,
    Team,
)
from talent.permissions import (
    can_manage_talent,
    get_talent_for_user,
    require_talent_reader,
)
from talent.points import PointsInput
from talent.selectors import allowance_month, commissioner_list, talent_list
from talent.services import (
    allowance_grant,
    allowance_payments_pay,
    commissioner_assess,
    commissioner_create,
    permit_case_create,
    permit_case_move,
    service_log_record,
    talent_create,
    talent_update,
    team_create,
    team_warnings,
)


class TalentOutputSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    employer_name = serializers.CharField(
        source="employer.name", read_only=True, default=None
    )

    class Meta:
        model = Talent
        fields = [
            "id",
            "name",
            "id_number",
            "phone",
            "gender",
            "birth_year",
            "degree",
            "title",
            "field",
            "employer",
            "employer_name",
            "arrived_on",
            "left_on",
            "nationality",
        ]


class TalentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    gender = serializers.ChoiceField(
        choices=Talent.Gender.choices, required=False, allow_blank=True
    )
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    degree = serializers.ChoiceField(
        choices=Degree.choices, required=False, allow_blank=True
    )
    title = serializers.CharField(max_length=50, required=False, allow_blank=True)
    field = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    arrived_on = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)


class TalentListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True)
        employer = serializers.IntegerField(required=False)

    @extend_schema(
        parameters=[FilterSerializer], responses=TalentOutputSerializer(many=True)
    )
    def get(self, request: Any) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = talent_list(user=request.user, **filters.validated_data)
        return paginated(request, self, qs, TalentOutputSerializer)

    @extend_schema(
        request=TalentInputSerializer, responses={201: TalentOutputSerializer}
    )
    def post(self, request: Any) -> Response:
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = TalentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "nationality" in values:
            values["nationality"] = values["nationality"].upper()
        talent = talent_create(by=request.user, **values)
        return Response(
            TalentOutputSerializer(talent).data, status=status.HTTP_201_CREATED
        )


class TalentSearchApi(APIView):
    """Find a person by ID number. A POST, so the number never appears in a
    URL (and so in no access log); matched through the keyed hash."""

    class InputSerializer(serializers.Serializer):
        id_number = serializers.CharField(max_length=18)

    @extend_schema(request=InputSerializer, responses=TalentOutputSerializer(many=True))
    def post(self, request: Any) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        qs = talent_list(user=request.user, id_number=data.validated_data["id_number"])
        return paginated(request, self, qs, TalentOutputSerializer)


class TalentDetailApi(APIView):
    @extend_schema(responses=TalentOutputSerializer)
    def get(self, request: Any, pk: int) -> Response:
        return Response(
            TalentOutputSerializer(get_talent_for_user(request.user, pk)).data
        )

    @extend_schema(request=TalentInputSerializer, responses=TalentOutputSerializer)
    def patch(self, request: Any, pk: int) -> Response:
        talent = get_talent_for_user(request.user, pk, write=True)
        data = TalentInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        talent_update(talent=talent, by=request.user, **data.validated_data)
        return Response(TalentOutputSerializer(talent).data)


class TeamCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        leader = serializers.PrimaryKeyRelatedField(queryset=Talent.objects.all())
        members = serializers.PrimaryKeyRelatedField(
            queryset=Talent.objects.all(), many=True
        )
        enterprise = serializers.PrimaryKeyRelatedField(
            queryset=Enterprise.objects.all(), required=False, allow_null=True
        )
        programme = serializers.PrimaryKeyRelatedField(
            queryset=TalentProgramme.objects.all(), required=False, allow_null=True
        )

    class OutputSerializer(serializers.ModelSerializer):
        warnings = serializers.SerializerMethodField()

        class Meta:
            model = Team
            fields = [
                "id",
                "name",
                "leader",
                "members",
                "enterprise",
                "programme",
                "warnings",
            ]

        def get_warnings(self, team: Team) -> list[str]:
            return team_warnings(team)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Any) -> Response:
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = team_create(by=request.user, **data.validated_data)
        return Response(
            self.OutputSerializer(team).data, status=status.HTTP_201_CREATED
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
    def post(self, request: Any) -> Response:
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allowance = allowance_grant(by=request.user, **data.validated_data)
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


def _month(value: str) -> date:
    try:
        year, month = (int(x) for x in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise serializers.ValidationError(
            {"month": ["月份格式应为 YYYY-MM，如 2026-03。"]}
        ) from None


class AllowancePaymentsApi(APIView):
    """GET ?month=YYYY-MM lists a month's payments; POST {"month"} records the
    month's due payments as paid."""

    @extend_schema(responses=PaymentSerializer(many=True))
    def get(self, request: Any) -> Response:
        require_talent_reader(request.user)
        month = _month(request.query_params.get("month", ""))
        return paginated(request, self, allowance_month(month=month), PaymentSerializer)

    def post(self, request: Any) -> Response:
        if not can_manage_talent(request.user):
            raise PermissionDenied
        month = _month(str(request.data.get("month", "")))
        paid = allowance_payments_pay(by=request.user, month=month)
        return Response({"month": month.strftime("%Y-%m"), "paid": paid})


class PermitCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForeignExpertCase
        fields = [
            "id",
            "talent",
            "permit_class",
            "points",
            "points_breakdown",
            "status",
            "applied_on",
            "decided_on",
            "valid_until",
        ]


class PermitCaseCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        talent = serializers.PrimaryKeyRelatedField(queryset=Talent.objects.all())
        permit_class = serializers.ChoiceField(
            choices=ForeignExpertCase.PermitClass.choices,
            required=False,
            allow_blank=True,
        )
        annual_salary_wan = serializers.DecimalField(
            max_digits=10, decimal_places=2, min_value=0
        )
        education = serializers.ChoiceField(
            choices=["doctorate", "master", "bachelor", ""], required=False
        )
        work_years = serializers.IntegerField(min_value=0, max_value=60, default=0)
        months_per_year = serializers.IntegerField(min_value=0, max_value=12, default=0)
        chinese_level = serializers.IntegerField(min_value=0, max_value=5, default=0)
        remote_region = serializers.BooleanField(default=False)
        age = serializers.IntegerField(min_value=16, max_value=100, required=False)
        bonus_items = serializers.ListField(
            child=serializers.CharField(max_length=50), default=list
        )
        local_bonus = serializers.IntegerField(min_value=0, max_value=10, default=0)

    @extend_schema(request=InputSerializer, responses={201: PermitCaseSerializer})
    def post(self, request: Any) -> Response:
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        talent = values.pop("talent")
        permit_class = values.pop("permit_class", "")
        case = permit_case_create(
            by=request.user,
            talent=talent,
            permit_class=permit_class,
            points_input=PointsInput(**values),
        )
        return Response(PermitCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class PermitCaseMoveApi(APIView):
    class InputSerializer(serializers.Serializer):
        move = serializers.ChoiceField(choices=["submit", "approve", "reject"])
        valid_until = serializers.DateField(required=False)

    @extend_schema(request=InputSerializer, responses=PermitCaseSerializer)
    def post(self, request: Any, pk: int) -> Response:
        require_talent_reader(request.user)
        case = get_object_or_404(ForeignExpertCase, pk=pk)
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        permit_case_move(by=request.user, case=case, **data.validated_data)
        return Response(PermitCaseSerializer(case).data)


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
    def get(self, request: Any) -> Response:
        require_talent_reader(request.user)
        return paginated(request, self, commissioner_list(), CommissionerSerializer)

    @extend_schema(
        request=CommissionerSerializer, responses={201: CommissionerSerializer}
    )
    def post(self, request: Any) -> Response:
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = CommissionerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        commissioner = commissioner_create(
            by=request.user,
            served_enterprises=values.pop("served_enterprises", []),
            **values,
        )
        return Response(
            CommissionerSerializer(commissioner).data, status=status.HTTP_201_CREATED
        )


class ServiceLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceLog
        fields = ["id", "served_on", "kind", "count", "result"]


class CommissionerLogsApi(APIView):
    @extend_schema(responses=ServiceLogSerializer(many=True))
    def get(self, request: Any, pk: int) -> Response:
        require_talent_reader(request.user)
        commissioner = get_object_or_404(Commissioner, pk=pk)
        return paginated(
            request, self, commissioner.service_logs.all(), ServiceLogSerializer
        )

    @extend_schema(request=ServiceLogSerializer, responses={201: ServiceLogSerializer})
    def post(self, request: Any, pk: int) -> Response:
        require_talent_reader(request.user)
        commissioner = get_object_or_404(Commissioner, pk=pk)
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = ServiceLogSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log = service_log_record(
            by=request.user, commissioner=commissioner, **data.validated_data
        )
        return Response(ServiceLogSerializer(log).data, status=status.HTTP_201_CREATED)


class CommissionerAssessApi(APIView):
    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        score = serializers.IntegerField(min_value=0, max_value=100)
        comment = serializers.CharField(
            max_length=300, required=False, allow_blank=True
        )

    @extend_schema(request=InputSerializer)
    def post(self, request: Any, pk: int) -> Response:
        require_talent_reader(request.user)
        commissioner = get_object_or_404(Commissioner, pk=pk)
        if not can_manage_talent(request.user):
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = commissioner_assess(
            by=request.user, commissioner=commissioner, **data.validated_data
        )
        return Response(
            {
                "year": assessment.year,
                "score": assessment.score,
                "grade": assessment.grade,
                "grade_display": assessment.get_grade_display(),
            }
        )
