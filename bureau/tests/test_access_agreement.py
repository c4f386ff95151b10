"""Pages and API agree, for every role of the cast, on the bureau's own
object types that have both. Only the audit log does: notifications and
lockouts have pages and no API, org units, roles and `me` an API and no
page."""

from __future__ import annotations

from bureau.audit import audit
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
