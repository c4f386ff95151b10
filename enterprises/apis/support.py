"""Visits and follow-ups, R&D institutions, loans and carriers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import OrgUnit, User
from enterprises.models import (
    Carrier,
    CarrierType,
    Enterprise,
    FollowUp,
    InstitutionType,
    Loan,
    RDInstitution,
    Visit,
)
from enterprises.permissions import (
    VISITORS,
    can_read_registry_reports,
    can_record_support,
    can_record_visit,
    carriers_visible_to,
    enterprises_visible_to,
    get_enterprise_for_user,
    get_follow_up_for_user,
)
from enterprises.selectors import RDInstitutionFilters, rd_institution_list
from enterprises.services import (
    carrier_save,
    follow_up_close,
    loan_record,
    rd_institution_record,
    visit_record,
)


class FollowUpSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "action", "owner", "due_on", "status", "result", "is_overdue"]


class VisitSerializer(serializers.ModelSerializer):
    visitors: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "enterprise",
            "visited_on",
            "visitors",
            "issues_raised",
            "notes",
            "follow_ups",
        ]


class EnterpriseVisitsApi(APIView):
    class FollowUpInput(serializers.Serializer):
        action = serializers.CharField(max_length=300)
        owner = serializers.SlugRelatedField(
            slug_field="username",
            queryset=User.objects.filter(is_active=True, role__in=VISITORS),
        )
        due_on = serializers.DateField()

    class InputSerializer(serializers.Serializer):
        visited_on = serializers.DateField()
        issues_raised = serializers.CharField(required=False, allow_blank=True)
        notes = serializers.CharField(required=False, allow_blank=True)

        def get_fields(self) -> dict[str, Any]:
            fields = super().get_fields()
            fields["follow_ups"] = EnterpriseVisitsApi.FollowUpInput(
                many=True, required=False, default=list
            )
            return fields

    @extend_schema(responses=VisitSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        qs = enterprise.visits.prefetch_related("visitors", "follow_ups__owner")
        return paginated(request, self, qs, VisitSerializer)

    @extend_schema(request=InputSerializer, responses={201: VisitSerializer})
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        if not can_record_visit(request.user):
            raise PermissionDenied
        values = validated(self.InputSerializer, request.data)
        visit = visit_record(
            enterprise=enterprise,
            by=request.user,
            follow_ups=[dict(item) for item in values.pop("follow_ups")],
            **values,
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class FollowUpCloseApi(APIView):
    class InputSerializer(serializers.Serializer):
        result = serializers.CharField(max_length=300)
        status = serializers.ChoiceField(
            choices=[FollowUp.Status.DONE, FollowUp.Status.DROPPED],
            default=FollowUp.Status.DONE,
        )

    @extend_schema(request=InputSerializer, responses=FollowUpSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        follow_up = get_follow_up_for_user(request.user, pk)
        data = validated(self.InputSerializer, request.data)
        follow_up_close(follow_up=follow_up, by=request.user, **data)
        return Response(FollowUpSerializer(follow_up).data)


class RDInstitutionSerializer(serializers.ModelSerializer):
    # The type's code (InstitutionType, admin-editable): "rd_centre", "new_rd" …
    kind = serializers.SlugRelatedField(
        source="type",
        slug_field="code",
        queryset=InstitutionType.objects.filter(is_active=True),
    )
    kind_name = serializers.CharField(source="type.name", read_only=True)

    class Meta:
        model = RDInstitution
        fields = [
            "id",
            "name",
            "kind",
            "kind_name",
            "level",
            "recognised_on",
            "source_document",
        ]


class RDInstitutionRegisterSerializer(RDInstitutionSerializer):
    """An institution of the district's register: the per-organisation
    serializer with its host (a registry organisation's id on input)."""

    host = serializers.PrimaryKeyRelatedField(
        source="enterprise", queryset=Enterprise.objects.all()
    )
    host_name = serializers.CharField(source="enterprise.name", read_only=True)
    host_credit_code = serializers.CharField(
        source="enterprise.credit_code", read_only=True
    )
    org_unit = serializers.CharField(
        source="enterprise.org_unit.code", read_only=True, default=None
    )

    class Meta(RDInstitutionSerializer.Meta):
        fields = [
            *RDInstitutionSerializer.Meta.fields,
            "host",
            "host_name",
            "host_credit_code",
            "org_unit",
        ]


class RDInstitutionListCreateApi(APIView):
    """The district's R&D institutions (a liaison: those hosted in their
    street); staff record one for any registry organisation."""

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)
        kind = serializers.CharField(required=False, allow_blank=True, max_length=30)
        level = serializers.ChoiceField(
            choices=RDInstitution.Level.choices, required=False, allow_blank=True
        )
        org_unit = serializers.CharField(
            required=False, allow_blank=True, max_length=30
        )
        year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=RDInstitutionRegisterSerializer(many=True),
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_read_registry_reports(request.user):
            raise PermissionDenied
        data = validated(self.FilterSerializer, request.query_params)
        filters = RDInstitutionFilters(
            q=data.get("q") or "",
            type=data.get("kind") or "",
            level=data.get("level") or "",
            org_unit=data.get("org_unit") or "",
            year=data.get("year"),
        )
        qs = rd_institution_list(user=request.user, filters=filters)
        return paginated(request, self, qs, RDInstitutionRegisterSerializer)

    @extend_schema(
        request=RDInstitutionRegisterSerializer,
        responses={201: RDInstitutionRegisterSerializer},
    )
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_record_support(request.user):
            raise PermissionDenied
        data = validated(RDInstitutionRegisterSerializer, request.data)
        host = data.pop("enterprise")
        if not enterprises_visible_to(request.user).filter(pk=host.pk).exists():
            raise ValidationError({"host": _("Choose an organisation you may see.")})
        institution = rd_institution_record(enterprise=host, by=request.user, **data)
        return Response(
            RDInstitutionRegisterSerializer(institution).data,
            status=status.HTTP_201_CREATED,
        )


class LoanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Loan
        fields = ["id", "bank", "amount", "granted_on", "kind", "term_months"]


class _EnterpriseChildApi(APIView):
    """List an enterprise's rows of one kind; staff add one."""

    serializer: type = RDInstitutionSerializer
    related: str = "rd_institutions"

    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        return paginated(
            request, self, getattr(enterprise, self.related).all(), self.serializer
        )

    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        if not can_record_support(request.user):
            raise PermissionDenied
        data = validated(self.serializer, request.data)
        row = self.record(enterprise=enterprise, by=request.user, **data)
        return Response(self.serializer(row).data, status=status.HTTP_201_CREATED)

    def record(self, **kwargs: Any) -> Any:
        return rd_institution_record(**kwargs)


class EnterpriseRDInstitutionsApi(_EnterpriseChildApi):
    pass


class EnterpriseLoansApi(_EnterpriseChildApi):
    serializer, related = LoanSerializer, "loans"

    def record(self, **kwargs: Any) -> Any:
        return loan_record(**kwargs)


class CarrierSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.filter(level__in=["street", "park"])
    )
    residents = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Enterprise.objects.all(), required=False
    )
    # The type's code (CarrierType, admin-editable): "incubator", "makerspace" …
    kind = serializers.SlugRelatedField(
        source="type",
        slug_field="code",
        queryset=CarrierType.objects.filter(is_active=True),
    )
    kind_name = serializers.CharField(source="type.name", read_only=True)
    host = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Carrier
        fields = [
            "id",
            "name",
            "kind",
            "kind_name",
            "level",
            "org_unit",
            "host",
            "operator",
            "recognised_on",
            "residents",
        ]


class CarrierListCreateApi(APIView):
    @extend_schema(responses=CarrierSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_read_registry_reports(request.user):
            raise PermissionDenied
        return paginated(
            request, self, carriers_visible_to(request.user), CarrierSerializer
        )

    @extend_schema(request=CarrierSerializer, responses={201: CarrierSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_record_support(request.user):
            raise PermissionDenied
        values = validated(CarrierSerializer, request.data)
        residents = values.pop("residents", [])
        carrier = carrier_save(
            carrier=Carrier(**values), by=request.user, residents=residents
        )
        return Response(CarrierSerializer(carrier).data, status=status.HTTP_201_CREATED)
