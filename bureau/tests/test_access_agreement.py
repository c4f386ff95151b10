"""Pages and API agree, for every role of the cast, on the bureau's own
object types that have both. The audit log and tasks do: notifications
and lockouts have pages and no API, org units, roles and `me` an API and
no page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from bureau.audit import audit
from bureau.models import Task
from bureau.services.tasks import task_create
from bureau.tests.agreement import PageApiAgreement, Route, api_ids, context_ids
from bureau.tests.base import CastTestCase


class AuditLogAgreementTests(PageApiAgreement, CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        audit(by=cls.officer, action="user.update", target=cls.ent_user)
        audit(by=cls.head, action="user.update", target=cls.outsider)

    def routes(self) -> list[Route]:
        return [
            Route("audit log", "/audit/", "/api/v1/audit-events/"),
            Route(
                "audit log by actor",
                "/audit/?actor=officer",
                "/api/v1/audit-events/?actor=officer",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "audit log by action",
                "/audit/?action=user.update",
                "/api/v1/audit-events/?action=user.update",
                context_ids("page"),
                api_ids,
            ),
        ]


class TaskAgreementTests(PageApiAgreement, CastTestCase):
    """Tasks: the list, its filters and completing a task (street A's, so
    the liaison may and the other street's enterprise may not), and the
    deadline calendar."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        K = Task.OwnerKind
        for owner in (
            {"owner_kind": K.STREET, "owner_unit": cls.street_a},
            {"owner_kind": K.STREET, "owner_unit": cls.street_b},
            {"owner_kind": K.ENTERPRISE, "owner_enterprise": cls.enterprise_a},
            {"owner_kind": K.USER, "owner_user": cls.officer},
        ):
            cls.new_task(owner)

    @classmethod
    def new_task(cls, owner: dict[str, Any]) -> Task:
        today = timezone.localdate()
        return task_create(
            by=cls.head,
            task=Task(
                title="报送材料",
                received_on=today,
                due_on=today + timedelta(days=5),
                **owner,
            ),
            notify=False,
        )

    def routes(self) -> list[Route]:
        street_a = {"owner_kind": Task.OwnerKind.STREET, "owner_unit": self.street_a}

        def complete_page(client: Client) -> HttpResponse:
            pk = self.new_task(street_a).pk
            return client.post(f"/tasks/{pk}/complete/", {"result": "已报送"})

        def complete_api(client: Client) -> HttpResponse:
            pk = self.new_task(street_a).pk
            return client.post(
                f"/api/v1/tasks/{pk}/status/",
                {"status": "done", "text": "已报送"},
                content_type="application/json",
            )

        return [
            Route(
                "task list",
                "/tasks/",
                "/api/v1/tasks/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "my open tasks",
                "/tasks/?mine=on&open=on",
                "/api/v1/tasks/?mine=true&open=true",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "complete a street's task",
                complete_page,
                complete_api,
                success_redirect=True,
            ),
            Route("deadline calendar", "/calendar/", "/api/v1/deadlines/"),
        ]
