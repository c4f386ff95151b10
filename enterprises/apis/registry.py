"""Enterprise registry and certification API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib import pii
from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import OrgUnit
from enterprises.classifications import HighTechField, IndustrySection
from enterprises.models import (
    Certification,
    Enterprise,
    Tier,
)
from enterprises.monitoring import parse_period
from enterprises.permissions import (
    can_create_enterprise,
    can_list_enterprises,
    can_manage_ladder,
    enterprise_fields_refused,
    get_certification_for_user,
    get_enterprise_for_user,
)
from enterprises.selectors import (
    EnterpriseFilters,
    enterprise_get,
    enterprise_list,
    with_current_tier,
)
from enterprises.services import (
    ENTERPRISE_FIELDS,
    certification_create,
    certification_revoke,
    enterprise_create,
    enterprise_update,
)

# --- Registry ---------------------------------------------------------------


class MaskedPhoneField(serializers.CharField):
    """A phone as everyone but its owner sees it (stored SM4-encrypted)."""

    def to_representation(self, value: Any) -> str:
        return pii.mask_phone(str(value or ""))


class EnterpriseOutputSerializer(serializers.ModelSerializer):
    org_unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    current_tier = serializers.CharField(read_only=True, allow_null=True)
    current_tier_name = serializers.CharField(read_only=True, allow_null=True)
    current_tier_expires_on = serializers.DateField(read_only=True, allow_null=True)
    contact_phone = MaskedPhoneField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "org_unit_name",
            "current_tier",
            "current_tier_name",
            "current_tier_expires_on",
            *(f for f in ENTERPRISE_FIELDS if f != "credit_code"),
        ]


class EnterpriseFilterSerializer(serializers.Serializer):
    tier = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(
        choices=Enterprise.Kind.choices,
        required=False,
        allow_blank=True,
        help_text="Organisation type; without it every type is listed.",
    )
    org_unit = serializers.CharField(required=False, allow_blank=True)
    high_tech_field = serializers.ChoiceField(
        choices=HighTechField.choices, required=False, allow_blank=True
    )
    is_above_scale = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )
    expiring_within = serializers.IntegerField(
        required=False, min_value=0, max_value=3650
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    # A quarter such as 2026Q3: the enterprises with no report handed in.
    not_filed = serializers.RegexField(r"^[0-9]{4}Q[1-4]$", required=False)

    def to_filters(self) -> EnterpriseFilters:
        data = dict(self.validated_data)
        if data.get("not_filed"):
            data["not_filed"] = parse_period(data["not_filed"])
        return EnterpriseFilters(**data)


class EnterpriseInputSerializer(serializers.Serializer):
    """Fields accepted on create and update (all optional on update)."""

    credit_code = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=Enterprise.Kind.choices,
        required=False,
        help_text="Organisation type; `enterprise` when left out.",
    )
    org_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.filter(level__in=["street", "park"], is_active=True),
    )
    industry_section = serializers.ChoiceField(
        choices=IndustrySection.choices, required=False, allow_blank=True
    )
    industry_division = serializers.CharField(
        max_length=2, required=False, allow_blank=True
    )
    high_tech_field = serializers.ChoiceField(
        choices=HighTechField.choices, required=False, allow_blank=True
    )
    founded_on = serializers.DateField(required=False, allow_null=True)
    is_above_scale = serializers.BooleanField(required=False)
    legal_representative = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True
    )
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True)


def _enterprise_out(pk: int) -> dict[str, Any]:
    enterprise = with_current_tier(Enterprise.objects.select_related("org_unit")).get(
        pk=pk
    )
    return EnterpriseOutputSerializer(enterprise).data


class EnterpriseListCreateApi(APIView):
    @extend_schema(
        parameters=[EnterpriseFilterSerializer],
        responses=EnterpriseOutputSerializer(many=True),
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_enterprises(request.user):
            raise DjangoPermissionDenied
        filters = EnterpriseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = enterprise_list(user=request.user, filters=filters.to_filters())
        return paginated(request, self, qs, EnterpriseOutputSerializer)

    @extend_schema(
        request=EnterpriseInputSerializer, responses={201: EnterpriseOutputSerializer}
    )
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_create_enterprise(request.user):
            raise DjangoPermissionDenied
        payload = validated(EnterpriseInputSerializer, request.data)
        payload["credit_code"] = payload["credit_code"].strip().upper()
        enterprise = enterprise_create(by=request.user, **payload)
        return Response(_enterprise_out(enterprise.pk), status=status.HTTP_201_CREATED)


class EnterpriseDetailApi(APIView):
    @extend_schema(responses=EnterpriseOutputSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = enterprise_get(user=request.user, pk=pk)
        return Response(EnterpriseOutputSerializer(enterprise).data)

    @extend_schema(
        request=EnterpriseInputSerializer, responses=EnterpriseOutputSerializer
    )
    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk, write=True)
        refused = enterprise_fields_refused(
            request.user, [name for name in request.data if name in ENTERPRISE_FIELDS]
        )
        if refused:
            raise exceptions.PermissionDenied(
                _("You may not change these fields: %(fields)s.")
                % {"fields": ", ".join(refused)}
            )
        payload = validated(EnterpriseInputSerializer, request.data, partial=True)
        if "credit_code" in payload:
            payload["credit_code"] = payload["credit_code"].strip().upper()
        enterprise_update(enterprise=enterprise, by=request.user, **payload)
        return Response(_enterprise_out(enterprise.pk))


class CertificationOutputSerializer(serializers.ModelSerializer):
    tier: serializers.SlugRelatedField[Tier] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    award_kind = serializers.CharField(
        source="award_kind_display",
        read_only=True,
        help_text="首次认定/重新认定 (首次入库/重新入库 for 科小), as first_time says.",
    )

    class Meta:
        model = Certification
        fields = [
            "id",
            "tier",
            "tier_name",
            "echelon",
            "number",
            "year",
            "first_time",
            "award_kind",
            "issued_on",
            "expires_on",
            "status",
            "revoked_on",
            "revocation_reason",
            "source_document",
        ]


class EnterpriseCertificationsApi(APIView):
    class InputSerializer(serializers.Serializer):
        tier = serializers.SlugRelatedField(
            slug_field="code", queryset=Tier.objects.filter(is_active=True)
        )
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        issued_on = serializers.DateField()
        expires_on = serializers.DateField(required=False, allow_null=True)
        number = serializers.CharField(max_length=50, required=False, allow_blank=True)
        echelon = serializers.ChoiceField(
            choices=Certification.Echelon.choices, required=False, allow_null=True
        )
        source_document = serializers.CharField(
            max_length=200, required=False, allow_blank=True
        )

    @extend_schema(responses=CertificationOutputSerializer(many=True))
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        qs = enterprise.certifications.select_related("tier")
        return paginated(request, self, qs, CertificationOutputSerializer)

    @extend_schema(
        request=InputSerializer, responses={201: CertificationOutputSerializer}
    )
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        if not can_manage_ladder(request.user):
            raise DjangoPermissionDenied
        data = validated(self.InputSerializer, request.data)
        certification = certification_create(
            by=request.user, enterprise=enterprise, **data
        )
        return Response(
            CertificationOutputSerializer(certification).data,
            status=status.HTTP_201_CREATED,
        )


class CertificationRevokeApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300)
        revoked_on = serializers.DateField(required=False)

    @extend_schema(request=InputSerializer, responses=CertificationOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int, cert_pk: int) -> Response:
        enterprise = get_enterprise_for_user(request.user, pk)
        certification = get_certification_for_user(
            request.user, enterprise, cert_pk, write=True
        )
        data = validated(self.InputSerializer, request.data)
        certification_revoke(
            certification=certification,
            by=request.user,
            reason=data["reason"],
            on=data.get("revoked_on"),
        )
        return Response(CertificationOutputSerializer(certification).data)
