"""The query parameters of the indicators API are validated by the API's
FilterSerializer (a 400 naming the field) and declared in the schema."""

from __future__ import annotations

from decimal import Decimal as D

from bureau.tests.base import CastTestCase
from bureau.tests.schema import served_schema
from indicators.models import Indicator
from indicators.services import target_set

# (path, a bad query string, the field the 400 names)
BAD_QUERIES = [
    ("/api/v1/dashboard/", "year=twenty", "year"),
    ("/api/v1/dashboard/", "year=1999", "year"),
    ("/api/v1/dashboard/", "year=99999999999999999999999", "year"),
    ("/api/v1/targets/", "year=abc", "year"),
    ("/api/v1/targets/", "year=2101", "year"),
    ("/api/v1/targets/check/", "year=2025", "indicator"),
    ("/api/v1/targets/check/", "indicator=no_such&year=2025", "indicator"),
    ("/api/v1/targets/check/", "indicator=tech_contracts&year=x", "year"),
]
DECLARED = {
    "/api/v1/dashboard/": {"year"},
    "/api/v1/targets/": {"year", "indicator", "page", "page_size", "cursor"},
    "/api/v1/targets/check/": {"year", "indicator"},
}


class ApiFilterTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        indicator = Indicator.objects.get(code="tech_contracts")
        for unit, value in ((cls.district, 1000), (cls.street_a, 600)):
            target_set(
                indicator=indicator, unit=unit, year=2025, value=D(value), by=cls.head
            )
            target_set(
                indicator=indicator, unit=unit, year=2024, value=D(9), by=cls.head
            )

    def setUp(self) -> None:
        self.client.force_login(self.head)

    def test_a_bad_query_parameter_is_a_400_naming_it(self) -> None:
        for path, query, field in BAD_QUERIES:
            with self.subTest(path=path, query=query):
                response = self.client.get(f"{path}?{query}")
                self.assertEqual(response.status_code, 400, response.content)
                body = response.json()
                self.assertEqual(body["code"], "invalid")
                self.assertEqual(list(body["errors"]), [field])

    def test_good_query_parameters_filter(self) -> None:
        targets = self.client.get(
            "/api/v1/targets/?year=2025&indicator=tech_contracts"
        ).json()
        self.assertEqual(
            {(t["org_unit"], t["year"]) for t in targets["results"]},
            {("330105", 2025), ("330105001", 2025)},
        )
        other = self.client.get("/api/v1/targets/?indicator=gdp").json()
        self.assertEqual(other["count"], 0)
        check = self.client.get(
            "/api/v1/targets/check/?indicator=tech_contracts&year=2025"
        )
        self.assertEqual(check.status_code, 200, check.content)
        self.assertIn("600", check.json()["warning"])
        self.assertEqual(
            self.client.get("/api/v1/dashboard/?year=2025").json()["year"], 2025
        )

    def test_the_schema_declares_the_parameters(self) -> None:
        schema = served_schema(self.client)
        assert schema is not None
        for path, names in DECLARED.items():
            with self.subTest(path=path):
                declared = {
                    p["name"]
                    for p in schema["paths"][path]["get"].get("parameters", [])
                    if p["in"] == "query"
                }
                self.assertEqual(declared, names)
        check = schema["paths"]["/api/v1/targets/check/"]["get"]["parameters"]
        self.assertTrue(next(p for p in check if p["name"] == "indicator")["required"])
