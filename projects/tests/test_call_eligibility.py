"""The call pre-check judges through enterprises.selectors.eligibility_for,
as the enterprise page does; a valid 国家高新技术企业 certificate is a direct
ground (§3.3) for a call whose pre-check tier is 科技型中小企业."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from bureau.tests.base import CastTestCase
from enterprises.models import AnnualReturn, FilingStatus, Tier
from enterprises.selectors import eligibility_for
from enterprises.services import certification_create
from projects.selectors import call_eligibility
from projects.tests.factories import make_call


class TechSmeCallEligibilityTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tech_sme = Tier.objects.get(code=Tier.TECH_SME)
        cls.call = make_call(cls.officer, precheck_tier=cls.tech_sme)
        last_year = timezone.localdate().year - 1
        certification_create(
            by=None,
            enterprise=cls.enterprise_a,
            tier=Tier.objects.get(code=Tier.HNTE),
            year=last_year,
            issued_on=date(last_year, 12, 1),
            number="GR202433000001",
        )

    def add_small_return(self) -> None:
        """Within every size ceiling, but no tech staff: the score fails."""
        AnnualReturn.objects.create(
            enterprise=self.enterprise_a,
            year=timezone.localdate().year - 1,
            status=FilingStatus.ACCEPTED,
            staff_total=50,
            tech_staff=0,
            main_business_revenue=Decimal("10000000"),
            other_business_revenue=Decimal(0),
            total_assets=Decimal("8000000"),
            rd_personnel=Decimal("100000"),
        )

    def eligibility_api(self) -> dict:  # type: ignore[type-arg]
        self.client.force_login(self.ent_user)
        response = self.client.get(f"/api/v1/calls/{self.call.pk}/eligibility/")
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_it_is_eligible_through_the_hnte_direct_ground_when_the_score_fails(
        self,
    ) -> None:
        self.add_small_return()
        result = call_eligibility(call=self.call, enterprise=self.enterprise_a)
        self.assertTrue(result.eligible, result.reasons)
        body = self.eligibility_api()
        self.assertIs(body["eligible"], True)
        self.assertEqual(body["reasons"], [])
        # Industry and compliance are checks the bureau makes: shown as to be
        # verified, never as met, and they do not bar the applicant.
        self.assertEqual(len(body["pending"]), 2)
        self.assertTrue(all(p.startswith("缺少") for p in body["pending"]))

    def test_the_call_agrees_with_the_enterprise_pre_check(self) -> None:
        for with_return in (False, True):
            with self.subTest(with_return=with_return):
                if with_return:
                    self.add_small_return()
                page = eligibility_for(self.enterprise_a, self.tech_sme)
                call = call_eligibility(call=self.call, enterprise=self.enterprise_a)
                # Same verdicts: what the page marks ✗ or pending on the
                # enterprise's figures bars the call; checks are listed.
                barred = [c["message"] for c in page.failed + page.pending_data]
                self.assertEqual(call.reasons, barred)
                self.assertEqual(
                    call.pending, [c["message"] for c in page.pending_checks]
                )
                self.assertEqual(call.eligible, not barred)
                self.assertEqual(self.eligibility_api()["eligible"], not barred)

    def test_without_last_years_return_it_cannot_judge_even_for_a_hnte_holder(
        self,
    ) -> None:
        # §3.3 grants the direct ground only to an enterprise meeting §3.1
        # conditions 1–4, and the size ceilings need last year's return: the
        # call says what is missing instead of guessing.
        result = call_eligibility(call=self.call, enterprise=self.enterprise_a)
        self.assertFalse(result.eligible)
        self.assertIn("年度报表", " ".join(result.reasons))
        self.assertFalse(self.eligibility_api()["eligible"])
