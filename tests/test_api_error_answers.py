"""Error answers the conformance run found outside the `{detail, code}` shape,
and the schema's description of lists and errors."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.test import SimpleTestCase, TestCase, override_settings
from rest_framework.exceptions import ErrorDetail
from rest_framework.test import APIRequestFactory

from bureau.lib.drf import exception_handler
from bureau.models import Role
from bureau.tests.factories import UserFactory
from bureau.tests.schema import generated_schema


class ExceptionHandlerTests(TestCase):
    def _context(self) -> dict[str, object]:
        return {"request": APIRequestFactory().post("/api/v1/x/"), "view": None}

    def test_it_answers_a_too_large_body_with_413(self) -> None:
        response = exception_handler(RequestDataTooBig("too big"), self._context())

        assert response is not None
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.data["code"], "too_large")

    def test_it_answers_a_value_the_database_refuses_with_400(self) -> None:
        response = exception_handler(DataError("NUL character"), self._context())

        assert response is not None
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.data["code"], "invalid")
        self.assertIn("non_field_errors", response.data["errors"])
        self.assertIsInstance(response.data["detail"], str)
        self.assertNotIsInstance(response.data["detail"], ErrorDetail)


@override_settings(ALLOWED_HOSTS=["*"])
class UnknownApiPathTests(TestCase):
    def test_it_answers_a_form_post_to_an_unknown_path_with_the_json_404(self) -> None:
        self.client = self.client_class(enforce_csrf_checks=True)
        user = UserFactory(role=Role.STAFF)
        self.client.force_login(user)

        response = self.client.post(
            "/api/v1/enterprises/-5/loans/",
            "a=1",
            content_type="application/x-www-form-urlencoded",
        )

        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["code"], "not_found")


class SchemaTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.schema = generated_schema()

    def _operations(self):  # type: ignore[no-untyped-def]
        for path, item in self.schema["paths"].items():
            for method, operation in item.items():
                yield path, method, operation

    def _json_schema(self, response: dict) -> dict:  # type: ignore[type-arg]
        return response.get("content", {}).get("application/json", {}).get("schema", {})

    def test_it_declares_every_paginated_list_as_the_envelope(self) -> None:
        lists = {
            (path, method)
            for path, method, operation in self._operations()
            if "200" in operation["responses"]
            and self._json_schema(operation["responses"]["200"])
            .get("$ref", "")
            .startswith("#/components/schemas/Paginated")
        }
        for path, method in [
            ("/api/v1/enterprises/", "get"),
            ("/api/v1/annual-returns/", "get"),
            ("/api/v1/enterprises/{id}/loans/", "get"),
            ("/api/v1/targets/", "get"),
            ("/api/v1/indicator-imports/", "get"),
            ("/api/v1/talents/search/", "post"),
        ]:
            self.assertIn((path, method), lists)
        envelope = self.schema["components"]["schemas"]["PaginatedEnterpriseOutputList"]
        self.assertEqual(
            set(envelope["properties"]), {"count", "next", "previous", "results"}
        )

    def test_it_declares_no_bare_array_but_the_roles(self) -> None:
        arrays = [
            (path, method)
            for path, method, operation in self._operations()
            for code, response in operation["responses"].items()
            if code.startswith("2")
            and "application/json" in response.get("content", {})
            and self._json_schema(response).get("type") == "array"
        ]
        self.assertEqual(arrays, [("/api/v1/roles/", "get")])

    def test_it_declares_the_errors_with_the_error_body(self) -> None:
        error = {"$ref": "#/components/schemas/Error"}
        detail = self.schema["paths"]["/api/v1/applications/{id}/transition/"]["post"]
        self.assertTrue(
            {"400", "401", "403", "404", "409", "415"} <= set(detail["responses"])
        )
        for code in ("400", "401", "403", "404", "409", "415"):
            self.assertEqual(self._json_schema(detail["responses"][code]), error)
        me = self.schema["paths"]["/api/v1/me/"]["get"]
        self.assertEqual(set(me["responses"]), {"200", "401"})


class DeclaredShapesTests(SimpleTestCase):
    """Answers that carry more than a plain page or object are declared."""

    def test_the_batch_detail_and_the_import_upload_declare_their_extra_keys(
        self,
    ) -> None:
        schema = generated_schema()
        components = schema["components"]["schemas"]

        def properties(path: str, method: str, code: str) -> set[str]:
            answer = schema["paths"][path][method]["responses"][code]
            ref = answer["content"]["application/json"]["schema"]["$ref"]
            return set(components[ref.rsplit("/", 1)[-1]]["properties"])

        self.assertLessEqual(
            {"count", "results", "batch"},
            properties("/api/v1/reward-batches/{year}/", "get", "200"),
        )
        self.assertIn(
            "row_count", properties("/api/v1/indicator-imports/", "post", "201")
        )
