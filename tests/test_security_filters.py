# mypy: ignore-errors
# (tests are not type-checked, as pyproject.toml says of *.tests.*)
"""Every integer query parameter of every list API answers an out-of-range
number with a JSON 400, never a 500 (issue 14: an OpenAPI fuzzer found
500s on SQLite for /api/v1/applications/, /ledger/ and /talents/)."""

from __future__ import annotations

from rest_framework.test import APIRequestFactory

from bureau.lib.drf import exception_handler
from bureau.tests.base import CastTestCase
from bureau.tests.schema import generated_schema

HUGE = ("99999999999999999999999", "-99999999999999999999999")


class IntegerQueryParameterTests(CastTestCase):
    def test_no_integer_filter_overflows(self) -> None:
        schema = generated_schema()
        self.client.force_login(self.officer)
        self.client.raise_request_exception = False
        probes, refused = 0, []
        for path, item in schema["paths"].items():
            if "{" in path or "get" not in item:
                continue
            for parameter in item["get"].get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                if parameter.get("schema", {}).get("type") != "integer":
                    continue
                for value in HUGE:
                    probes += 1
                    response = self.client.get(path, {parameter["name"]: value})
                    if response.status_code >= 500 or "json" not in response.get(
                        "Content-Type", ""
                    ):
                        refused.append((path, parameter["name"], response.status_code))
        self.assertGreater(probes, 20)
        self.assertEqual(refused, [])

    def test_the_talent_employer_filter_is_bounded(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/api/v1/talents/", {"employer": HUGE[0]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("employer", response.json()["errors"])

    def test_an_overflow_anywhere_is_a_400(self) -> None:
        context = {"request": APIRequestFactory().get("/api/v1/x/"), "view": None}
        response = exception_handler(
            OverflowError("Python int too large to convert to SQLite INTEGER"), context
        )
        assert response is not None
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.data["code"], "invalid")
