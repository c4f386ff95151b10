"""Enterprise self-registration API: anyone may submit a request; staff, the
street's liaison or the holder of the enterprise's account list and decide."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.request_context import current_ip
from bureau.lib.types import AuthedApiRequest
from bureau.models import OrgUnit
from enterprises.models import Enterprise, Registration
from enterprises.permissions import (
    can_list_registrations,
    get_registration_for_user,
)
from enterprises.selectors import RegistrationFilters, registration_list
from enterprises.services import (
    RegistrationRateLimited,
    registration_approve,
    registration_refuse,
    registration_submit,
)


class RegistrationOutputSerializer(serializers.ModelSerializer):
    org_unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    user = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    decided_by = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="username", read_only=True
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "status",
            "credit_code",
            "enterprise_name",
            "kind",
            "org_unit",
            "contact_name",
            "contact_mobile",
            "contact_email",
            "username",
            "enterprise",
            "user",
            "created_at",
            "decided_by",
            "decided_at",
            "refusal_reason",
            "notified_to",
        ]


_SUBMITTED = inline_serializer(
    "RegistrationSubmitted", {"detail": serializers.CharField()}
)


class _SubmitOrList(BasePermission):
    """POST (a new request) is open to anyone; GET needs the list's roles."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method == "POST":
            return True
        return IsAuthenticated().has_permission(request, view)


class RegistrationListCreateApi(APIView):
    permission_classes = [_SubmitOrList]

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=Registration.Status.choices, required=False, allow_blank=True
        )
        org_unit = serializers.CharField(required=False, allow_blank=True)
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)

    class InputSerializer(serializers.Serializer):
        credit_code = serializers.CharField(max_length=18)
        enterprise_name = serializers.CharField(max_length=200)
        kind = serializers.ChoiceField(
            choices=Enterprise.Kind.choices, default=Enterprise.Kind.ENTERPRISE
        )
        org_unit = serializers.SlugRelatedField(
            slug_field="code",
            queryset=OrgUnit.objects.filter(
                level__in=["street", "park"], is_active=True
            ),
        )
        contact_name = serializers.CharField(max_length=50)
        contact_mobile = serializers.CharField(max_length=11)
        contact_email = serializers.EmailField(required=False, allow_blank=True)
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(style={"input_type": "password"})

    def get_authenticators(self) -> list[Any]:
        # An anonymous POST carries no credentials (and so no CSRF check).
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(
        parameters=[FilterSerializer],
        responses=RegistrationOutputSerializer(many=True),
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_registrations(request.user):
            raise DjangoPermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        qs = registration_list(
            user=request.user, filters=RegistrationFilters(**filters)
        )
        return paginated(request, self, qs, RegistrationOutputSerializer)

    @extend_schema(request=InputSerializer, responses={202: _SUBMITTED}, auth=[])
    def post(self, request: Request) -> Response:  # anonymous
        data = validated(self.InputSerializer, request.data)
        try:
            registration_submit(ip_address=current_ip.get(), **data)
        except RegistrationRateLimited as exc:
            raise exceptions.Throttled(detail=exc.message) from None
        return Response(
            {
                "detail": _(
                    "Your request is received. The bureau checks it and tells you "
                    "the result by your contact's mobile or e-mail."
                )
            },
            status=status.HTTP_202_ACCEPTED,
        )


class RegistrationDetailApi(APIView):
    @extend_schema(responses=RegistrationOutputSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        registration = get_registration_for_user(request.user, pk)
        return Response(RegistrationOutputSerializer(registration).data)


class RegistrationApproveApi(APIView):
    """Approve: creates the enterprise user (and the registry entry when the
    credit code is new). 409 `username_taken` when the username is gone."""

    @extend_schema(request=None, responses=RegistrationOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        registration = get_registration_for_user(request.user, pk, action="approve")
        registration = registration_approve(registration=registration, by=request.user)
        return Response(RegistrationOutputSerializer(registration).data)


class RegistrationRefuseApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses=RegistrationOutputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        registration = get_registration_for_user(request.user, pk, action="refuse")
        data = validated(self.InputSerializer, request.data)
        registration = registration_refuse(
            registration=registration, by=request.user, reason=data["reason"]
        )
        return Response(RegistrationOutputSerializer(registration).data)
