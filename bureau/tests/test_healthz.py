from __future__ import annotations

import time
from unittest import mock

from django.db import OperationalError
from django.test import TestCase, override_settings


class HealthzTests(TestCase):
    def test_it_is_ok_without_login(self) -> None:
        from django.conf import settings

        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        expected_broker = "ok" if settings.REDIS_URL else "eager"
        self.assertEqual(
            response.json(),
            {"status": "ok", "database": "ok", "broker": expected_broker},
        )

    @override_settings(REDIS_URL="redis://127.0.0.1:1/0")
    def test_an_unreachable_broker_is_503_within_seconds(self) -> None:
        started = time.monotonic()
        response = self.client.get("/healthz")
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["broker"], "error")
        self.assertEqual(body["database"], "ok")
        self.assertEqual(body["failing"], ["broker"])

    def test_an_unreachable_database_is_503(self) -> None:
        with mock.patch(
            "bureau.health.connection.cursor", side_effect=OperationalError("down")
        ):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "error")
        self.assertEqual(response.json()["failing"], ["database"])

    def test_only_get_is_allowed(self) -> None:
        self.assertEqual(self.client.post("/healthz").status_code, 405)
