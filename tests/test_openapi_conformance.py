"""The demo data of `seed_demo`, and the API answering what its OpenAPI
schema says on it (issue 16 item 8). seed_demo runs once for both: it is
the slowest thing the suite does.

Schemathesis generates requests from /api/schema/ for every operation and
checks each answer against the schema: the status code is one it lists, the
content type is one it lists, and the body matches. It runs in-process
through the WSGI app, as a bureau staff user on the demo data of `seed_demo`,
with a fixed number of examples per operation so it stays within a bounded
time (OPENAPI_EXAMPLES overrides the number, e.g. for a longer local run).
"""

from __future__ import annotations

import os
import re
import time
from io import StringIO
from typing import Any

import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import TestCase, override_settings
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bureau.audit_chain import verify
from bureau.models import AuditEvent, OrgUnit, Role, User

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("OPENAPI_EXAMPLES", "6"))
# The generated requests must stay inside three minutes on a CI machine.
TIME_BUDGET_SECONDS = 170

# Revoking every token of the caller would log the run itself out.
SKIPPED = {("POST", "/api/v1/auth/token/revoke/")}


# A code shown to a person instead of its label: snake_case or dotted.action.
RAW_CODE = re.compile(r"\b(?!demo_)[a-z]+(?:_[a-z]+)+\b|\b[a-z_]+\.[a-z_]+\b")


@override_settings(ALLOWED_HOSTS=["*"])
class DemoDataTests(TestCase):
    """`manage.py seed_demo` (bureau/management/commands/seed_demo.py), run
    once for the class (it takes a minute on CI): the demo district it builds,
    and the API answering every operation on it as its schema says."""

    @classmethod
    def setUpTestData(cls) -> None:
        out = StringIO()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=out)
        cls.seed_output = out.getvalue()

    @override_settings(DEBUG=True)
    def test_seed_demo_builds_the_demo_district_and_is_idempotent(self) -> None:
        counts = (OrgUnit.objects.count(), User.objects.count())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual((OrgUnit.objects.count(), User.objects.count()), counts)
        home = OrgUnit.objects.get(is_home=True)
        self.assertEqual(home.name, "拱墅区")
        self.assertGreaterEqual(home.children.count(), 10)
        self.assertEqual(
            OrgUnit.objects.filter(level="district", parent=home.parent).count(), 8
        )
        self.assertEqual(
            set(User.objects.values_list("role", flat=True)), set(Role.values)
        )
        text = self.seed_output
        self.assertIn("Keji#Demo2026", text)
        for username in ("demo_staff", "demo_enterprise", "demo_auditor"):
            self.assertIn(username, text)
        self.assertTrue(
            self.client.login(username="demo_enterprise", password="Keji#Demo2026")
        )
        # The auditor reads every event of the demo data, page by page, with
        # no raw code on screen (issue 14: page 4 once answered 500).
        self.assertTrue(verify().intact)
        self.client.force_login(User.objects.get(username="demo_auditor"))
        pages = -(-AuditEvent.objects.count() // 50)
        for number in range(1, pages + 1):
            with self.subTest(page=number):
                page = self.client.get(f"/audit/?page={number}")
                self.assertEqual(page.status_code, 200)
                table = page.content.decode()
                table = table[table.index("<table") : table.index("</table>")]
                self.assertIsNone(RAW_CODE.search(re.sub(r"<[^>]+>", " ", table)))

    def test_it_answers_every_operation_as_the_schema_says(self) -> None:
        response = self.client.post(
            "/api/v1/auth/token/",
            {"username": "demo_staff", "password": _demo_password()},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        headers = {
            "Authorization": f"Token {response.json()['token']}",
            # The in-process WSGI transport hands back the body as sent,
            # without undoing a Content-Encoding; ask for it uncompressed
            # (compression has its own tests: test_dashboard_cache.py).
            "Accept-Encoding": "identity",
        }
        # As Django's test client does: a request must not close the test's
        # database connection (it is inside the test's transaction).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", get_wsgi_application()
        )
        started = time.monotonic()
        operations = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            if (operation.method.upper(), operation.path) in SKIPPED:
                continue
            operations += 1
            with self.subTest(operation=operation.label):
                _run(operation, headers)
        elapsed = time.monotonic() - started
        self.assertGreater(operations, 50)
        self.assertLess(elapsed, TIME_BUDGET_SECONDS)


def _run(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


def _demo_password() -> str:
    from bureau.management.commands.seed_demo import DEMO_PASSWORD

    return DEMO_PASSWORD
