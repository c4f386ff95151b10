"""API endpoints of the bureau app: tokens, the caller, org units, audit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import AuditEvent, OrgUnit, Role, User
from bureau.passwords import PasswordPolicyTokenAuthentication
from bureau.permissions import IsAuditor
from bureau.selectors import audit_event_list, org_unit_list
from bureau.services import api_token_create, api_token_revoke, login_locked_until


class AuthTokenCreateApi(APIView):
    """Exchange a username and password for an expiring API token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(style={"input_type": "password"})
        otp = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=20,
            help_text="The 6-digit code (or a recovery code) for the roles "
            "with two-factor login.",
        )

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expiry = serializers.DateTimeField()

    def get_authenticate_header(self, request: Request) -> str:
        # Makes a failed login a 401 (DRF turns it into 403 without a header).
        return 'Token realm="api"'

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, auth=[])
    def post(self, request: Request) -> Response:  # anonymous: no user yet
        data = validated(self.InputSerializer, request.data)
        username = data["username"]
        user = authenticate(request, username=username, password=data["password"])
        if user is None:
            if login_locked_until(username=username) is not None:
                raise PermissionDenied(
                    _(
                        "Too many failed logins: this account is locked. Try again "
                        "later or ask the security administrator."
                    ),
                    code="account_locked",
                )
            raise AuthenticationFailed(
                _("Wrong username or password."), code="invalid_credentials"
            )
        from bureau.sessions import token_started

        mfa_token_check(user, data.get("otp", ""))
        instance, token = api_token_create(user=user)
        token_started(request=request._request, user=user, token=instance)
        return Response(
            self.OutputSerializer({"token": token, "expiry": instance.expiry}).data
        )


class AuthTokenRevokeApi(APIView):
    """Revoke the token this request was made with (or, with `all`, every
    token of the caller)."""

    # Open to a caller who must change their password (bureau/passwords.py).
    authentication_classes = [PasswordPolicyTokenAuthentication]
    password_change_allowed = True

    class InputSerializer(serializers.Serializer):
        all = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request: AuthedApiRequest) -> Response:
        data = validated(self.InputSerializer, request.data)
        api_token_revoke(by=request.user, token=request.auth, everything=data["all"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        full_name = serializers.CharField()
        role = serializers.CharField()
        role_display = serializers.CharField(source="get_role_display")
        enterprise = serializers.SerializerMethodField()
        org_unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
            slug_field="code", read_only=True
        )

        def get_enterprise(self, user: User) -> str | None:
            return user.enterprise.credit_code if user.enterprise is not None else None

    @extend_schema(responses=OutputSerializer)
    def get(self, request: AuthedApiRequest) -> Response:
        return Response(self.OutputSerializer(request.user).data)


class OrgUnitListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        level = serializers.ChoiceField(choices=OrgUnit.Level.choices, required=False)
        # A field named like Field.parent (the enclosing serializer).
        parent = serializers.CharField(required=False)  # type: ignore[assignment]

    class OutputSerializer(serializers.ModelSerializer):
        parent = serializers.SlugRelatedField(  # type: ignore[assignment,var-annotated]
            slug_field="code", read_only=True
        )

        class Meta:
            model = OrgUnit
            fields = ["code", "name", "level", "parent", "is_home"]

    @extend_schema(parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        filters = validated(self.FilterSerializer, request.query_params)
        qs = org_unit_list()
        if "level" in filters:
            qs = qs.filter(level=filters["level"])
        if "parent" in filters:
            qs = qs.filter(parent__code=filters["parent"])
        return paginated(request, self, qs, self.OutputSerializer)


class AuditEventListApi(APIView):
    permission_classes = [IsAuditor]

    class FilterSerializer(serializers.Serializer):
        action = serializers.CharField(required=False)
        actor = serializers.CharField(required=False)
        object_type = serializers.CharField(required=False)
        object_id = serializers.CharField(required=False)

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = AuditEvent
            fields = [
                "id",
                "created_at",
                "actor_username",
                "action",
                "object_type",
                "object_id",
                "object_repr",
                "changes",
                "message",
                "ip_address",
            ]

    @extend_schema(parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        filters = validated(self.FilterSerializer, request.query_params)
        qs = audit_event_list(filters=filters)
        return paginated(request, self, qs, self.OutputSerializer)


@extend_schema(
    responses=inline_serializer(
        "Role",
        {"code": serializers.CharField(), "name": serializers.CharField()},
        many=True,
    )
)
class RoleListApi(APIView):
    def get(self, request: AuthedApiRequest) -> Response:
        return Response([{"code": r.value, "name": str(r.label)} for r in Role])


class PasswordChangeApi(APIView):
    """Change the caller's own password. Open to a caller whose password is
    temporary or expired (everything else answers them 403
    `password_change_required`)."""

    password_change_allowed = True

    class InputSerializer(serializers.Serializer):
        old_password = serializers.CharField(style={"input_type": "password"})
        new_password = serializers.CharField(style={"input_type": "password"})

    @extend_schema(request=InputSerializer, responses={204: None})
    def post(self, request: AuthedApiRequest) -> Response:
        from bureau.passwords import password_change

        data = validated(self.InputSerializer, request.data)
        password_change(
            user=request.user,
            old_password=data["old_password"],
            new_password=data["new_password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Two-factor login (issue 11 §4) -------------------------------------------


def mfa_token_check(user: User, code: str) -> None:
    """For a role with two-factor login: no token without the right code
    (401 `mfa_required`); a wrong one counts toward the lockout."""
    from bureau.mfa import mfa_check, mfa_required
    from bureau.services import login_success_record

    if not mfa_required(user):
        return
    if not code.strip() or not mfa_check(user=user, code=code):
        raise AuthenticationFailed(
            _(
                "Two-factor login: send the 6-digit code of your authenticator "
                "(or a recovery code) as otp. Without an authenticator, log in "
                "on the web page first to set one up."
            ),
            code="mfa_required",
        )
    login_success_record(user=user)
