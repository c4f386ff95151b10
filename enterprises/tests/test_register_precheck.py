"""The pre-check on stored data reads the registers when they are kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from bureau.tests.base import CastTestCase
from enterprises.models import AnnualReturn, Enterprise, FilingStatus, Tier
from enterprises.selectors.eligibility import (
    eligibility_for,
    eligibility_inputs_all,
)
from enterprises.services.ip import ip_item_create
from enterprises.services.staff import staff_roster_import
from enterprises.tests.test_staff_roster import ROSTER, staff_file

TODAY = timezone.localdate()
YEAR = TODAY.year - 1


class RegisterPrecheckTests(CastTestCase):
    def setUp(self) -> None:
        Enterprise.objects.filter(pk=self.enterprise_a.pk).update(
            founded_on=date(2015, 1, 1)
        )
        self.enterprise_a.refresh_from_db()
        AnnualReturn.objects.create(
            enterprise=self.enterprise_a,
            year=YEAR,
            status=FilingStatus.ACCEPTED,
            main_business_revenue=Decimal("10000000"),
            total_assets=Decimal("10000000"),
            staff_total=Decimal("100"),
            tech_staff=Decimal("5"),
            ip_utility=7,
            rd_super_deduction=Decimal("700000"),
        )
        self.tier = Tier.objects.get(code=Tier.TECH_SME)

    def sme_scores(self) -> dict:  # type: ignore[type-arg]
        result = eligibility_for(self.enterprise_a, self.tier, on=TODAY).result
        assert result is not None
        return result["scores"]

    def test_without_registers_the_return_decides(self) -> None:
        scores = self.sme_scores()
        # 5% S&T staff → 0 points; 7 Class Ⅱ items → 24.
        self.assertEqual((scores["tech_staff"], scores["ip"]), (0, 24))

    def test_the_register_and_the_roster_replace_the_returns_counts(self) -> None:
        ip_item_create(
            enterprise=self.enterprise_a,
            by=None,
            ip_type="invention",
            number="ZL1",
            title="一种方法",
            status="granted",
            granted_on=date(2022, 1, 1),
        )
        staff_roster_import(
            enterprise=self.enterprise_a,
            year=YEAR,
            file=staff_file(*ROSTER),
            by=self.officer,
        )
        scores = self.sme_scores()
        # One Class Ⅰ item → 30; 科小 S&T staff 4 of 5 (≥ 30%) → 20.
        self.assertEqual((scores["tech_staff"], scores["ip"]), (20, 30))

    def test_the_nightly_loader_keeps_a_constant_number_of_queries(self) -> None:
        for enterprise in (self.enterprise_a, self.enterprise_b):
            for n in range(3):
                ip_item_create(
                    enterprise=enterprise,
                    by=None,
                    ip_type="utility",
                    number=f"N{n}",
                    title="装置",
                    status="granted",
                    granted_on=date(2022, 1, 1),
                )
        # Certifications, revocations, returns, institutions, recorded checks,
        # and the three registers.
        with self.assertNumQueries(8):
            inputs = eligibility_inputs_all(on=TODAY)
        self.assertEqual(len(inputs[self.enterprise_b.pk].ip_items or []), 3)
        self.assertIsNone(inputs[self.enterprise_a.pk].transfers)
