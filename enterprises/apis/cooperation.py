"""Cooperation agreements (/api/v1/cooperations/) with their follow-up
visits, alliances (/api/v1/alliances/) and carriers' yearly figures
(/api/v1/carriers/{id}/years/), scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from enterprises.models import (
    Agreement,
    Alliance,
    CarrierYear,
    CooperationVisit,
    Enterprise,
    RDInstitution,
)
from enterprises.permissions import (
    can_list_cooperation,
    can_manage_cooperation,
    can_record_support,
    get_agreement_for_user,
    get_carrier_for_user,
)
from enterprises.selectors import (
    AgreementFilters,
    AllianceFilters,
    agreement_list,
    alliance_list,
)
from enterprises.services import (
    agreement_save,
    alliance_save,
    carrier_years_save,
    cooperation_visit_record,
)


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "credit_code", "name", "kind"]


class AgreementOutputSerializer(serializers.ModelSerializer):
    """An agreement from agreement_list: `parties` are those the caller may
    see (a liaison: their street's, as an alliance's members);
    `other_parties` counts the registry parties left out, and a registered
    partner of another street is given by name and kind only."""

    parties = OrganisationRefSerializer(many=True, read_only=True)
    other_parties = serializers.IntegerField(source="hidden_parties", read_only=True)
    partner = OrganisationRefSerializer(read_only=True, allow_null=True)
    partner_display = serializers.CharField(read_only=True)
    platforms = serializers.PrimaryKeyRelatedField(  # type: ignore[var-annotated]
        many=True, read_only=True
    )
    visit_count = serializers.IntegerField(read_only=True)

    def to_representation(self, instance: Agreement) -> dict[str, Any]:
        data = super().to_representation(instance)
        if data["partner"] is not None and not getattr(
            instance, "partner_visible", True
        ):
            data["partner"] = {**data["partner"], "id": None, "credit_code": None}
        return data

    class Meta:
        model = Agreement
        fields = [
            "id",
            "kind",
            "title",
            "district_is_party",
            "parties",
            "other_parties",
            "partner",
            "partner_name",
            "partner_display",
            "signed_on",
            "term_ends_on",
            "content",
            "contact_name",
            "contact_phone",
            "platforms",
            "visit_count",
        ]


class AgreementListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)
        kind = serializers.ChoiceField(
            choices=Agreement.Kind.choices, required=False, allow_blank=True
        )
        year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
        org_unit = serializers.CharField(required=False, allow_blank=True)
        in_force = serializers.BooleanField(
            required=False, allow_null=True, default=None
        )

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Agreement.Kind.choices)
        title = serializers.CharField(max_length=200)
        district_is_party = serializers.BooleanField(default=False)
        parties = serializers.PrimaryKeyRelatedField(
            many=True, queryset=Enterprise.objects.all(), required=False, default=list
        )
        partner = serializers.PrimaryKeyRelatedField(
            queryset=Enterprise.objects.all(), required=False, allow_null=True
        )
        partner_name = serializers.CharField(
            max_length=200, required=False, allow_blank=True, default=""
        )
        signed_on = serializers.DateField()
        term_ends_on = serializers.DateField(required=False, allow_null=True)
        content = serializers.CharField(required=False, allow_blank=True, default="")
        contact_name = serializers.CharField(
            max_length=50, required=False, allow_blank=True, default=""
        )
        contact_phone = serializers.CharField(
            max_length=30, required=False, allow_blank=True, default=""
        )
        platforms = serializers.PrimaryKeyRelatedField(
            many=True,
            queryset=RDInstitution.objects.all(),
            required=False,
            default=list,
        )

    @extend_schema(
        parameters=[FilterSerializer], responses=AgreementOutputSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_cooperation(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        qs = agreement_list(user=request.user, filters=AgreementFilters(**filters))
        return paginated(request, self, qs, AgreementOutputSerializer)

    @extend_schema(request=InputSerializer, responses={201: AgreementOutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_manage_cooperation(request.user):
            raise PermissionDenied
        data = validated(self.InputSerializer, request.data)
        parties, platforms = data.pop("parties"), data.pop("platforms")
        agreement = agreement_save(
            agreement=Agreement(**data),
            by=request.user,
            parties=parties,
            platforms=platforms,
        )
        out = agreement_list(user=request.user).get(pk=agreement.pk)
        return Response(
            AgreementOutputSerializer(out).data, status=status.HTTP_201_CREATED
        )


class CooperationVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = CooperationVisit
        fields = [
            "id",
            "visited_on",
            "visitors",
            "outcome",
            "projects",
            "platforms",
            "talents",
            "achievements",
        ]


class CooperationVisitsApi(APIView):
    @extend_schema(responses=CooperationVisitSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        agreement = get_agreement_for_user(request.user, pk)
        return paginated(
            request, self, agreement.visits.all(), CooperationVisitSerializer
        )

    @extend_schema(
        request=CooperationVisitSerializer,
        responses={201: CooperationVisitSerializer},
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        agreement = get_agreement_for_user(request.user, pk, write=True)
        data = validated(CooperationVisitSerializer, request.data)
        visit = cooperation_visit_record(agreement=agreement, by=request.user, **data)
        return Response(
            CooperationVisitSerializer(visit).data, status=status.HTTP_201_CREATED
        )


class AllianceOutputSerializer(serializers.ModelSerializer):
    """An alliance from alliance_list: `members` are those the caller may
    see (a liaison: their street's, as an event's attendees);
    `other_members` counts the registry members left out, and a lead of
    another street is given by name and kind only."""

    lead = OrganisationRefSerializer(read_only=True)
    members = OrganisationRefSerializer(many=True, read_only=True)
    other_members = serializers.SerializerMethodField()
    outside_members = serializers.ListField(
        source="outside_member_names", child=serializers.CharField(), read_only=True
    )

    def get_other_members(self, alliance: Alliance) -> int:
        total = getattr(alliance, "member_total", None)
        return 0 if total is None else total - len(alliance.members.all())

    def to_representation(self, instance: Alliance) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not getattr(instance, "lead_visible", True):
            data["lead"] = {**data["lead"], "id": None, "credit_code": None}
        return data

    class Meta:
        model = Alliance
        fields = [
            "id",
            "kind",
            "name",
            "level",
            "lead",
            "members",
            "other_members",
            "outside_members",
            "founded_on",
            "field",
            "notes",
        ]


class AllianceListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)
        kind = serializers.ChoiceField(
            choices=Alliance.Kind.choices, required=False, allow_blank=True
        )
        level = serializers.ChoiceField(
            choices=Alliance.Level.choices, required=False, allow_blank=True
        )

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Alliance.Kind.choices)
        name = serializers.CharField(max_length=200)
        level = serializers.ChoiceField(choices=Alliance.Level.choices)
        lead = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
        members = serializers.PrimaryKeyRelatedField(
            many=True, queryset=Enterprise.objects.all(), required=False, default=list
        )
        outside_members = serializers.ListField(
            child=serializers.CharField(max_length=200), required=False, default=list
        )
        founded_on = serializers.DateField()
        field = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default=""
        )
        notes = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        parameters=[FilterSerializer], responses=AllianceOutputSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_cooperation(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        qs = alliance_list(user=request.user, filters=AllianceFilters(**filters))
        return paginated(request, self, qs, AllianceOutputSerializer)

    @extend_schema(request=InputSerializer, responses={201: AllianceOutputSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_manage_cooperation(request.user):
            raise PermissionDenied
        data = validated(self.InputSerializer, request.data)
        members = data.pop("members")
        data["outside_members"] = "\n".join(data["outside_members"])
        alliance = alliance_save(
            alliance=Alliance(**data), by=request.user, members=members
        )
        out = alliance_list(user=request.user).get(pk=alliance.pk)
        return Response(
            AllianceOutputSerializer(out).data, status=status.HTTP_201_CREATED
        )


class CarrierYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = CarrierYear
        fields = ["year", "incubating", "graduated", "new_residents", "grade", "notes"]
        # The (carrier, year) rule is the service's: a year posted again
        # replaces that year's figures.
        validators: list[Any] = []


class CarrierYearsApi(APIView):
    @extend_schema(responses=CarrierYearSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        carrier = get_carrier_for_user(request.user, pk)
        return paginated(
            request,
            self,
            CarrierYear.objects.filter(carrier=carrier).order_by("-year"),
            CarrierYearSerializer,
        )

    @extend_schema(
        request=CarrierYearSerializer, responses={201: CarrierYearSerializer}
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        """Record (or replace) one year's figures of the carrier."""
        carrier = get_carrier_for_user(request.user, pk, write=True)
        if not can_record_support(request.user):
            raise PermissionDenied
        data = validated(CarrierYearSerializer, request.data)
        try:
            carrier_years_save(carrier=carrier, by=request.user, rows=[data])
        except ValidationError as exc:
            raise ValidationError(
                {k.removeprefix("rows[0]."): v for k, v in exc.message_dict.items()}
            ) from None
        row = CarrierYear.objects.get(carrier=carrier, year=data["year"])
        return Response(CarrierYearSerializer(row).data, status=status.HTTP_201_CREATED)
