"""The API of applications: filing, editing, attachments and the workflow
(DESIGN §5)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.lib.uploads import download_response
from projects.apis.fields import IntegerFilter, ProfessionalFieldField
from projects.models import Application, BudgetLine, Call
from projects.permissions import (
    calls_visible_to,
    can_apply,
    can_list_applications,
    get_application_for_user,
    get_attachment_for_user,
    may_see_duplicates,
)
from projects.selectors import application_list
from projects.services.applications import (
    application_create,
    application_update,
    attachment_add,
)
from projects.services.workflow import application_transition
from projects.workflow import allowed_transitions


class BudgetLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetLine.Category.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TeamMemberSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ApplicationListSerializer(serializers.ModelSerializer):
    call_title = serializers.CharField(source="call.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "call_title",
            "enterprise",
            "enterprise_name",
            "title",
            "requested_amount",
            "approved_amount",
            "state",
            "state_changed_at",
            "submitted_at",
        ]


class ApplicationDetailSerializer(ApplicationListSerializer):
    allowed_transitions = serializers.SerializerMethodField()
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    team_members = TeamMemberSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()
    possible_duplicates = serializers.SerializerMethodField()
    field = ProfessionalFieldField(read_only=True)
    # The metaclass moves it into _declared_fields (no clash with Field.field_name).
    field_name = serializers.CharField(  # type: ignore[assignment]
        source="field.name", read_only=True, default=None
    )

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "summary",
            "content",
            "field",
            "field_name",
            "allowed_transitions",
            "budget_lines",
            "team_members",
            "attachments",
            "transitions",
            "possible_duplicates",
        ]

    def get_allowed_transitions(self, app: Application) -> list[str]:
        return allowed_transitions(user=self.context["request"].user, application=app)

    def get_attachments(self, app: Application) -> list[dict[str, Any]]:
        return [
            {"id": a.pk, "kind": a.kind, "name": a.original_name, "size": a.size}
            for a in app.attachments.all()
        ]

    def get_transitions(self, app: Application) -> list[dict[str, Any]]:
        return [
            {
                "from": t.from_state,
                "to": t.to_state,
                "actor": t.actor.get_username(),
                "comment": t.comment,
                "at": t.at.isoformat(),
            }
            for t in app.transitions.select_related("actor")
        ]

    def get_possible_duplicates(self, app: Application) -> list[int]:
        if not may_see_duplicates(self.context["request"].user):
            return []
        return list(app.duplicate_of.values_list("pk", flat=True))


def _detail_response(
    app: Application, request: AuthedApiRequest, code: int = status.HTTP_200_OK
) -> Response:
    """The application as its detail page shows it to the caller."""
    return Response(
        ApplicationDetailSerializer(app, context={"request": request}).data,
        status=code,
    )


class ApplicationInputSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    content = serializers.CharField(required=False, allow_blank=True)
    field = ProfessionalFieldField()
    requested_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0
    )
    budget_lines = BudgetLineSerializer(many=True, required=False)
    team_members = TeamMemberSerializer(many=True, required=False)


class ApplicationListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(
            choices=Application.State.choices, required=False
        )
        call = IntegerFilter()
        enterprise = IntegerFilter()

    @extend_schema(
        parameters=[FilterSerializer], responses=ApplicationListSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_list_applications(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        qs = application_list(user=request.user, filters=filters)
        return paginated(request, self, qs, ApplicationListSerializer)

    @extend_schema(
        request=ApplicationInputSerializer, responses={201: ApplicationDetailSerializer}
    )
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_apply(request.user):
            raise PermissionDenied
        values = validated(ApplicationInputSerializer, request.data)
        call = values.pop("call")
        if not calls_visible_to(request.user).filter(pk=call.pk).exists():
            raise Http404
        app = application_create(
            by=request.user,
            call=call,
            budget_lines=[dict(x) for x in values.pop("budget_lines", [])] or None,
            team_members=[dict(x) for x in values.pop("team_members", [])] or None,
            **values,
        )
        return _detail_response(app, request, status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        app = get_application_for_user(request.user, pk)
        return _detail_response(app, request)

    @extend_schema(
        request=ApplicationInputSerializer, responses=ApplicationDetailSerializer
    )
    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        app = get_application_for_user(request.user, pk, write=True)
        values = validated(ApplicationInputSerializer, request.data, partial=True)
        values.pop("call", None)
        lines = values.pop("budget_lines", None)
        members = values.pop("team_members", None)
        application_update(
            application=app,
            by=request.user,
            budget_lines=[dict(x) for x in lines] if lines is not None else None,
            team_members=[dict(x) for x in members] if members is not None else None,
            **values,
        )
        return _detail_response(app, request)


class ApplicationTransitionApi(APIView):
    """POST {"to": STATE, "comment": "…"}; approving also takes approved_amount."""

    class InputSerializer(serializers.Serializer):
        to = serializers.CharField(max_length=20)
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        approved_amount = serializers.DecimalField(
            max_digits=14, decimal_places=2, required=False, allow_null=True
        )

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        app = get_application_for_user(request.user, pk)
        values = validated(self.InputSerializer, request.data)
        if values.get("approved_amount") is None:
            values.pop("approved_amount", None)
        application_transition(application=app, by=request.user, **values)
        return _detail_response(app, request)


class ApplicationAttachmentsApi(APIView):
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(max_length=100)
        file = serializers.FileField()

    @extend_schema(request=InputSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        app = get_application_for_user(request.user, pk, write=True)
        data = validated(self.InputSerializer, request.data)
        attachment = attachment_add(
            application=app,
            by=request.user,
            kind=data["kind"],
            upload=data["file"],
        )
        return Response(
            {
                "id": attachment.pk,
                "kind": attachment.kind,
                "name": attachment.original_name,
                "size": attachment.size,
                "content_type": attachment.content_type,
            },
            status=status.HTTP_201_CREATED,
        )


class AttachmentDownloadApi(APIView):
    """The file, to whoever may see its application (an expert only after
    declaring no conflict)."""

    def get(self, request: AuthedApiRequest, pk: int) -> FileResponse:
        attachment = get_attachment_for_user(request.user, pk)
        return download_response(
            attachment.file,
            content_type=attachment.content_type,
            name=attachment.original_name or "attachment",
        )
