"""The API of tasks (/api/v1/tasks/) and recurring deadlines
(/api/v1/deadlines/): list and create, scoped like the pages, and a task's
status change (/api/v1/tasks/<id>/status/)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bureau.lib.drf import paginated, validated
from bureau.lib.types import AuthedApiRequest
from bureau.models import Deadline, LineOfWork, OrgUnit, Task, User
from bureau.permissions import (
    can_assign_tasks,
    can_manage_deadlines,
    can_view_calendar,
    can_view_tasks,
    get_task_for_user,
)
from bureau.selectors.tasks import deadline_list, task_list, with_status
from bureau.services.deadlines import deadline_save
from bureau.services.tasks import task_create, task_status_update


class TaskSerializer(serializers.ModelSerializer):
    owner_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.filter(level__in=["street", "park"]),
        required=False,
        allow_null=True,
    )
    owner_user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    owner_enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Task._meta.get_field(
            "owner_enterprise"
        ).related_model._default_manager.all(),  # type: ignore[union-attr]
        required=False,
        allow_null=True,
    )
    status = serializers.CharField(read_only=True)
    owner = serializers.CharField(source="owner_display", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "document_number",
            "issued_by",
            "received_on",
            "description",
            "line_of_work",
            "owner_kind",
            "owner_section",
            "owner_unit",
            "owner_user",
            "owner_enterprise",
            "owner",
            "due_on",
            "status",
            "result",
            "attachment_name",
            "completed_at",
        ]
        read_only_fields = ["result", "attachment_name", "completed_at"]


class TaskListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=100)
        status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
        owner_kind = serializers.ChoiceField(
            choices=Task.OwnerKind.choices, required=False
        )
        line_of_work = serializers.ChoiceField(
            choices=LineOfWork.choices, required=False
        )
        year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
        mine = serializers.BooleanField(required=False)
        open = serializers.BooleanField(required=False)

    @extend_schema(parameters=[FilterSerializer], responses=TaskSerializer(many=True))
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_tasks(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        return paginated(
            request, self, task_list(user=request.user, filters=filters), TaskSerializer
        )

    @extend_schema(request=TaskSerializer, responses={201: TaskSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_assign_tasks(request.user):
            raise PermissionDenied
        values = validated(TaskSerializer, request.data)
        task = task_create(by=request.user, task=Task(**values))
        task = with_status(Task.objects.filter(pk=task.pk)).get()
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskStatusApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=[Task.State.IN_PROGRESS.value, Task.State.DONE.value]
        )
        text = serializers.CharField(
            help_text="The progress (in_progress) or the result (done).",
            max_length=4000,
        )
        attachment_name = serializers.CharField(
            required=False, allow_blank=True, max_length=200
        )
        attachment_text = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=TaskSerializer)
    def post(self, request: AuthedApiRequest, pk: int) -> Response:
        task = get_task_for_user(request.user, pk, work=True)
        values: dict[str, Any] = validated(self.InputSerializer, request.data)
        task_status_update(task=task, by=request.user, **values)
        task = with_status(Task.objects.filter(pk=task.pk)).get()
        return Response(TaskSerializer(task).data)


class DeadlineSerializer(serializers.ModelSerializer):
    class DateSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        date = serializers.DateField()

    dates = DateSerializer(many=True, required=False)
    remind_roles = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "name",
            "rule",
            "month",
            "day",
            "dates",
            "line_of_work",
            "remind_roles",
            "remind_sections",
            "lead_days",
            "notes",
            "is_active",
        ]


class DeadlineListCreateApi(APIView):
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=100)
        line_of_work = serializers.ChoiceField(
            choices=LineOfWork.choices, required=False
        )

    @extend_schema(
        parameters=[FilterSerializer], responses=DeadlineSerializer(many=True)
    )
    def get(self, request: AuthedApiRequest) -> Response:
        if not can_view_calendar(request.user):
            raise PermissionDenied
        filters = validated(self.FilterSerializer, request.query_params)
        return paginated(
            request, self, deadline_list(filters=filters), DeadlineSerializer
        )

    @extend_schema(request=DeadlineSerializer, responses={201: DeadlineSerializer})
    def post(self, request: AuthedApiRequest) -> Response:
        if not can_manage_deadlines(request.user):
            raise PermissionDenied
        values = validated(DeadlineSerializer, request.data)
        dates = [(d["year"], d["date"]) for d in values.pop("dates", [])]
        deadline = deadline_save(
            by=request.user, deadline=Deadline(**values), dates=dates
        )
        return Response(
            DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED
        )
