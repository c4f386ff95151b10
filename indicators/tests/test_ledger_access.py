"""The ledgers' pages and API agree for every role of the cast: the same
status (200/403/404) and the same rows (a liaison their street's)."""

from __future__ import annotations

from decimal import Decimal

from bureau.tests.agreement import PageApiAgreement, Route, api_ids, context_ids
from bureau.tests.base import CastTestCase
from indicators.models import Achievement
from indicators.services import achievement_save, rd_unit_create, tech_contract_create

YEAR = 2025


class LedgerAccessAgreementTests(PageApiAgreement, CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for number, enterprise in (("A1", cls.enterprise_a), ("B1", cls.enterprise_b)):
            contract = tech_contract_create(
                by=cls.officer,
                registration_number=number,
                name="技术开发",
                kind="development",
                seller_name=enterprise.name,
                buyer_name="外地公司",
                contract_amount=Decimal(100000),
                transaction_amount=Decimal(100000),
                registered_on="2025-04-01",
            )
            achievement_save(
                achievement=Achievement(),
                by=cls.officer,
                contracts=[contract],
                title=f"成果{number}",
                owner=enterprise,
                stage=Achievement.Stage.TRANSFERRING,
            )
        cls.unit_a = rd_unit_create(
            by=cls.officer, year=YEAR, unit_name=cls.enterprise_a.name
        )
        cls.unit_b = rd_unit_create(
            by=cls.officer, year=YEAR, unit_name=cls.enterprise_b.name
        )

    def routes(self) -> list[Route]:
        routes = [
            Route(
                "contract list",
                "/indicators/contracts/",
                "/api/v1/tech-contracts/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "achievement list",
                "/indicators/achievements/",
                "/api/v1/achievements/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "R&D statistics ledger",
                f"/indicators/rd-statistics/?year={YEAR}",
                f"/api/v1/rd-statistics/?year={YEAR}",
                context_ids("page"),
                api_ids,
            ),
        ]
        for name in ("unit_a", "unit_b"):
            pk = getattr(self, name).pk
            routes.append(
                Route(
                    f"recording {name}'s status",
                    lambda c, pk=pk: c.post(
                        f"/indicators/rd-statistics/{pk}/",
                        {"status": "no_activity", "note": "停产整顿"},
                    ),
                    lambda c, pk=pk: c.post(
                        f"/api/v1/rd-statistics/{pk}/status/",
                        {"status": "no_activity", "note": "停产整顿"},
                        content_type="application/json",
                    ),
                    success_redirect=True,
                )
            )
        return routes

    def test_the_walk_saw_every_answer(self) -> None:
        """The cast covers 200, 403 and 404 on a unit's status."""
        seen = set()
        for role in self.roles:
            self.client.force_login(getattr(self, role))
            seen.add(
                self.post_json(
                    f"/api/v1/rd-statistics/{self.unit_b.pk}/status/",
                    {"status": "pending"},
                ).status_code
            )
        self.assertEqual(seen, {200, 403, 404})


class AchievementApiTests(CastTestCase):
    def test_staff_record_one_linked_to_a_contract(self) -> None:
        contract = tech_contract_create(
            by=self.officer,
            registration_number="K1",
            name="许可",
            kind="license",
            seller_name=self.enterprise_a.name,
            buyer_name="外地公司",
            contract_amount=Decimal(500000),
            transaction_amount=Decimal(500000),
            registered_on="2025-04-01",
        )
        self.client.force_login(self.officer)
        response = self.post_json(
            "/api/v1/achievements/",
            {
                "title": "高导热陶瓷基板",
                "owner": self.enterprise_a.pk,
                "stage": "industrialised",
                "way": "license",
                "contracts": ["K1"],
                "new_output_value": "3200000.00",
                "jobs": 12,
                "industrialised_on": "2025-10-01",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["contracts"], ["K1"])
        self.assertEqual(list(Achievement.objects.get().contracts.all()), [contract])

    def test_industrialised_needs_its_date_and_unknown_contracts_are_refused(
        self,
    ) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            "/api/v1/achievements/",
            {
                "title": "成果",
                "owner": self.enterprise_a.pk,
                "stage": "industrialised",
                "contracts": ["NOPE"],
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("contracts", response.json()["errors"])
        response = self.post_json(
            "/api/v1/achievements/",
            {"title": "成果", "owner": self.enterprise_a.pk, "stage": "industrialised"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("industrialised_on", response.json()["errors"])

    def test_the_form_keeps_what_was_typed_on_an_unknown_owner(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/indicators/achievements/new/",
            {"title": "新型涂层", "owner": "不存在的公司", "stage": "waiting"},
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("owner", form.errors)
        self.assertEqual(form["title"].value(), "新型涂层")


class AchievementListQueryTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(5):
            contract = tech_contract_create(
                by=cls.officer,
                registration_number=f"Q{n}",
                name="技术服务",
                kind="service",
                seller_name=cls.enterprise_a.name,
                buyer_name="外地公司",
                contract_amount=Decimal(1000),
                transaction_amount=Decimal(1000),
                registered_on="2025-04-01",
            )
            achievement_save(
                achievement=Achievement(),
                by=cls.officer,
                contracts=[contract],
                title=f"成果{n}",
                owner=cls.enterprise_a if n % 2 else cls.enterprise_b,
            )

    def test_the_api_list_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.officer)
        self.client.get("/api/v1/achievements/")
        # session, user, count, page with owners and streets, their contracts
        with self.assertNumQueries(5):
            response = self.client.get("/api/v1/achievements/")
        self.assertEqual(response.json()["count"], 5)

    def test_the_page_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.liaison)
        self.client.get("/indicators/achievements/")
        # session, user, streets of the filter, count, page, their contracts
        with self.assertNumQueries(6):
            response = self.client.get("/indicators/achievements/")
        self.assertEqual(response.context["page"].paginator.count, 2)
