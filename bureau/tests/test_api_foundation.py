from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import RequestFactory, SimpleTestCase
from django.utils import timezone
from rest_framework.views import APIView

from bureau.lib.drf import exception_handler
from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase


class TokenApiTests(CastTestCase):
    def test_it_returns_a_token_and_its_expiry(self) -> None:
        response = self.token_login("officer")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), {"token", "expiry"})
        self.assertTrue(body["expiry"].endswith("+08:00"))
        me = self.client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {body['token']}")
        self.assertEqual(me.json()["username"], "officer")
        self.assertTrue(AuditEvent.objects.filter(action="api_token.create").exists())

    def test_missing_fields_are_named(self) -> None:
        response = self.post_json("/api/v1/auth/token/", {"username": "officer"})
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(body["code"], "invalid")
        self.assertIn("password", body["errors"])
        self.assertIn("password", body["detail"])

    def test_it_never_accepts_a_token_in_the_url(self) -> None:
        token = self.api_token(self.officer)
        for query in (
            f"?token={token}",
            f"?auth_token={token}",
            f"?access_token={token}",
        ):
            response = self.client.get(f"/api/v1/me/{query}")
            self.assertEqual(response.status_code, 401)

    def test_a_revoked_token_stops_working(self) -> None:
        token = self.api_token(self.officer)
        auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
        other = self.api_token(self.officer)
        response = self.client.post("/api/v1/auth/token/revoke/", **auth)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(self.client.get("/api/v1/me/", **auth).status_code, 401)
        # Only that token: the other still works until revoked with all=true.
        other_auth = {"HTTP_AUTHORIZATION": f"Token {other}"}
        self.assertEqual(self.client.get("/api/v1/me/", **other_auth).status_code, 200)
        self.post_json("/api/v1/auth/token/revoke/", {"all": True}, **other_auth)
        self.assertEqual(self.client.get("/api/v1/me/", **other_auth).status_code, 401)

    def test_an_expired_token_stops_working(self) -> None:
        token = self.api_token(self.officer)
        auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
        with time_machine.travel(timezone.now() + timedelta(hours=10, minutes=1)):
            response = self.client.get("/api/v1/me/", **auth)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["code"], "authentication_failed")

    def test_a_deactivated_user_loses_api_access(self) -> None:
        token = self.api_token(self.officer)
        self.officer.is_active = False
        self.officer.save(update_fields=["is_active"])
        response = self.client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
        self.assertEqual(response.status_code, 401)


class ApiErrorShapeTests(CastTestCase):
    def test_anonymous_is_401_json(self) -> None:
        response = self.client.get("/api/v1/org-units/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["code"], "not_authenticated")
        self.assertIn("Token", response["WWW-Authenticate"])

    def test_unknown_api_path_is_404_json_for_anyone(self) -> None:
        for path in ("/api/nothing", "/api/v1/nothing/", "/api/v2/org-units/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertEqual(
                response.json(), {"detail": "未找到。", "code": "not_found"}
            )
        self.client.force_login(self.officer)
        self.assertEqual(
            self.client.get("/api/v1/nothing/").json()["code"], "not_found"
        )

    def test_wrong_method_is_405_json(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.delete("/api/v1/org-units/")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json()["code"], "method_not_allowed")

    def test_bad_filter_is_400_naming_the_field(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/api/v1/org-units/?level=planet")
        self.assertEqual(response.status_code, 400)
        self.assertIn("level", response.json()["errors"])


class ExceptionHandlerTests(SimpleTestCase):
    def handle(self, exc: Exception):  # type: ignore[no-untyped-def]
        request = RequestFactory().get("/api/v1/x/")
        return exception_handler(exc, {"view": APIView(), "request": request})

    def test_a_broken_business_rule_is_409(self) -> None:
        response = self.handle(
            ApplicationError("已经提交过了", code="already_submitted")
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            response.data, {"detail": "已经提交过了", "code": "already_submitted"}
        )

    def test_a_django_validation_error_is_400_with_fields(self) -> None:
        from django.core.exceptions import ValidationError

        response = self.handle(ValidationError({"credit_code": ["校验码错误"]}))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.data["errors"], {"credit_code": ["校验码错误"]})
        self.assertEqual(response.data["detail"], "credit_code: 校验码错误")

    def test_django_404_and_403_become_json(self) -> None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        self.assertEqual(self.handle(Http404()).data["code"], "not_found")
        self.assertEqual(self.handle(PermissionDenied()).status_code, 403)


class OrgUnitApiTests(CastTestCase):
    def test_it_lists_units_with_the_contract_fields(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.get("/api/v1/org-units/?level=street")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), {"count", "next", "previous", "results"})
        self.assertEqual(body["count"], 2)
        first = body["results"][0]
        self.assertEqual(first["code"], "330105001")
        self.assertEqual(first["name"], "米市巷街道")
        self.assertEqual(first["level"], "street")
        self.assertEqual(first["parent"], "330105")

    def test_peer_districts_are_the_districts_of_the_same_city(self) -> None:
        self.client.force_login(self.leader)
        body = self.client.get("/api/v1/org-units/?parent=330100&level=district").json()
        self.assertEqual({u["code"] for u in body["results"]}, {"330105", "330106"})
        self.assertEqual([u["is_home"] for u in body["results"]].count(True), 1)

    def test_page_size_is_capped_at_200(self) -> None:
        from bureau.tests.factories import OrgUnitFactory

        for i in range(205):
            OrgUnitFactory(code=f"330105{i + 100:03d}", parent=self.district)
        self.client.force_login(self.officer)
        body = self.client.get("/api/v1/org-units/?page_size=500").json()
        self.assertEqual(len(body["results"]), 200)
        self.assertIsNotNone(body["next"])
        self.assertIsNone(body["previous"])
        second = self.client.get("/api/v1/org-units/?page=2&page_size=10").json()
        self.assertEqual(len(second["results"]), 10)

    def test_it_has_a_constant_number_of_queries(self) -> None:
        from bureau.tests.factories import OrgUnitFactory

        self.client.force_login(self.officer)
        # session, user, count, page (parent joined)
        with self.assertNumQueries(4):
            self.client.get("/api/v1/org-units/")
        for i in range(40):
            OrgUnitFactory(code=f"330105{i + 100:03d}", parent=self.district)
        with self.assertNumQueries(4):
            self.client.get("/api/v1/org-units/")

    def test_it_works_with_a_token(self) -> None:
        token = self.api_token(self.liaison)
        response = self.client.get(
            "/api/v1/org-units/", HTTP_AUTHORIZATION=f"Token {token}"
        )
        self.assertEqual(response.status_code, 200)


class SchemaTests(CastTestCase):
    def test_schema_and_docs_are_served_without_a_cdn(self) -> None:
        schema = self.client.get("/api/schema/", HTTP_ACCEPT="application/json")
        self.assertEqual(schema.status_code, 200)
        paths = schema.json()["paths"]
        for path in (
            "/api/v1/auth/token/",
            "/api/v1/org-units/",
            "/api/v1/audit-events/",
        ):
            self.assertIn(path, paths)
        docs = self.client.get("/api/docs/")
        self.assertEqual(docs.status_code, 200)
        html = docs.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/", html)
        self.assertNotIn("cdn.", html)
        self.assertNotIn("unpkg", html)
