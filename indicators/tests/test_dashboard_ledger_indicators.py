"""The dashboard shows the computed contract indicators by street, amount
and count in each direction, and the newly reporting R&D units (issue 15
item 2); a ranking among one district alone is not printed."""

from __future__ import annotations

import json
from decimal import Decimal

from bureau.tests.base import CastTestCase
from indicators.apps import default_indicators_ensure
from indicators.models import Indicator
from indicators.services import indicators_recompute, tech_contract_create

YEAR = 2025
SHOWN = ["contract_out", "contract_out_n", "contract_in", "contract_in_n"]


class LedgerIndicatorsOnTheDashboardTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        a, b = cls.enterprise_a, cls.enterprise_b
        for number, seller, buyer, amount in (
            ("C1", a.name, "外地公司", "1000000"),  # out, street A
            ("C2", "外地大学", a.name, "300000"),  # in, street A
            ("C3", b.name, a.name, "200000"),  # out street B, in street A
        ):
            tech_contract_create(
                by=cls.officer,
                registration_number=number,
                name="技术开发",
                kind="development",
                seller_name=seller,
                buyer_name=buyer,
                contract_amount=Decimal(amount),
                transaction_amount=Decimal(amount),
                registered_on=f"{YEAR}-05-01",
            )
        indicators_recompute(year=YEAR)

    def test_the_counts_and_new_reporting_units_are_headline(self) -> None:
        codes = ["contract_out_n", "contract_in_n", "rd_new_reporting"]
        flags = dict(
            Indicator.objects.filter(code__in=codes).values_list("code", "is_headline")
        )
        self.assertEqual(flags, dict.fromkeys(codes, True))

    def test_a_refill_after_a_flush_keeps_them_headline(self) -> None:
        from indicators.models import ComparisonGroup, DataValue, Target

        DataValue.objects.all().delete()
        Target.objects.all().delete()
        ComparisonGroup.objects.all().delete()
        Indicator.objects.exclude(kind=Indicator.Kind.RAW).delete()  # ratios first
        Indicator.objects.all().delete()
        default_indicators_ensure(sender=None)
        self.assertTrue(Indicator.objects.get(code="contract_in_n").is_headline)
        self.assertTrue(Indicator.objects.get(code="rd_new_reporting").is_headline)

    def test_the_page_shows_amount_and_count_by_direction_per_street(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(f"/dashboard/?year={YEAR}")
        self.assertEqual(response.status_code, 200)
        codes = [c["code"] for c in response.context["cards"]]
        for code in [*SHOWN, "rd_new_reporting"]:
            self.assertIn(code, codes)
        rows = {row["name"]: row for row in response.context["matrix"]}
        cells = {
            c["indicator"]: c["value"]["number"] for c in rows["米市巷街道"]["cells"]
        }
        self.assertEqual(cells["contract_out"], "100.00")
        self.assertEqual(cells["contract_out_n"], "1")
        self.assertEqual(cells["contract_in"], "50.00")
        self.assertEqual(cells["contract_in_n"], "2")
        self.assertContains(response, "技术合同登记数（吸纳）")

    def test_the_api_lists_them_by_street(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(f"/api/v1/dashboard/?year={YEAR}")
        self.assertEqual(response.status_code, 200)
        boards = {b["code"]: b for b in json.loads(response.content)["indicators"]}
        for code in [*SHOWN, "rd_new_reporting"]:
            self.assertIn(code, boards)
        counts = {s["code"]: s["value"] for s in boards["contract_in_n"]["streets"]}
        self.assertEqual(Decimal(counts[self.street_a.code]), 2)

    def test_one_district_alone_is_not_ranked(self) -> None:
        # Only our district has contract values: no "全市1个区县第1位".
        self.client.force_login(self.leader)
        response = self.client.get(f"/dashboard/?year={YEAR}")
        card = next(c for c in response.context["cards"] if c["code"] == "contract_out")
        self.assertEqual(card["peers"], 1)
        self.assertIsNone(card["rank"])
        self.assertNotContains(response, "全市1个区县")
        self.assertNotContains(response, "of 1 districts")
        api = self.client.get(f"/api/v1/dashboard/?year={YEAR}")
        board = next(
            b
            for b in json.loads(api.content)["indicators"]
            if b["code"] == "contract_out"
        )
        self.assertIsNone(board["rank"])
        self.assertTrue(all(p["rank"] is None for p in board["peers"]))
        page = self.client.get(f"/dashboard/contract_out/?year={YEAR}")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "全市1个区县")
