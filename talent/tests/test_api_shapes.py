"""The talent API answers in one shape per object, and reads its query
parameters through a FilterSerializer (a 400 naming the field)."""

from __future__ import annotations

from bureau.tests.base import CastTestCase
from bureau.tests.schema import served_schema
from talent.tests.factories import ServiceLogFactory


class CommissionerShapeTests(CastTestCase):
    def test_creating_answers_the_fields_of_the_list(self) -> None:
        self.client.force_login(self.officer)
        created = self.post_json(
            "/api/v1/commissioners/",
            {
                "kind": "individual",
                "name": "周建华",
                "sending_organisation": "浙江工业大学",
                "served_enterprises": [self.enterprise_a.pk],
                "term_start": "2025-04-01",
                "term_end": "2026-03-31",
            },
        )
        self.assertEqual(created.status_code, 201, created.content)
        body = created.json()
        self.assertEqual(body["services"], 0)
        listed = self.client.get("/api/v1/commissioners/").json()["results"]
        self.assertEqual(listed, [body])

    def test_the_list_counts_services(self) -> None:
        log = ServiceLogFactory(count=3)
        ServiceLogFactory(commissioner=log.commissioner, count=2)
        self.client.force_login(self.leader)
        listed = self.client.get("/api/v1/commissioners/").json()["results"]
        self.assertEqual([c["services"] for c in listed], [5])


class AllowanceMonthTests(CastTestCase):
    def test_the_month_is_validated_as_yyyy_mm(self) -> None:
        self.client.force_login(self.officer)
        for method, query in [
            ("get", "?month=2026-13"),
            ("get", "?month=March"),
            ("get", ""),
        ]:
            with self.subTest(method=method, query=query):
                response = self.client.get(f"/api/v1/allowance-payments/{query}")
                self.assertEqual(response.status_code, 400, response.content)
                self.assertEqual(list(response.json()["errors"]), ["month"])
        refused = self.post_json("/api/v1/allowance-payments/", {"month": "2026/03"})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(list(refused.json()["errors"]), ["month"])
        ok = self.client.get("/api/v1/allowance-payments/?month=2026-03")
        self.assertEqual(ok.status_code, 200)
        paid = self.post_json("/api/v1/allowance-payments/", {"month": "2026-03"})
        self.assertEqual(paid.json(), {"month": "2026-03", "paid": 0})

    def test_the_schema_declares_the_month(self) -> None:
        schema = served_schema(self.client)
        assert schema is not None
        operation = schema["paths"]["/api/v1/allowance-payments/"]["get"]
        month = next(p for p in operation["parameters"] if p["name"] == "month")
        self.assertEqual((month["in"], month["required"]), ("query", True))
