from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine
from django.conf import settings
from django.test import override_settings

from bureau.tests.base import CastTestCase
from enterprises.models import (
    AnnualReturn,
    Certification,
    EligibilitySnapshot,
    FilingStatus,
    Tier,
)
from enterprises.selectors import closest_to_qualifying, enterprise_next_tier_assessment
from enterprises.services import (
    certification_expiry,
    certifications_expire,
    eligibility_snapshots_refresh,
    hnte_annual_report_record,
    hnte_missed_reports_revoke,
)
from enterprises.tests.factories import EnterpriseFactory, award


def add_return(enterprise, year, **figures):  # type: ignore[no-untyped-def]
    defaults = {
        "main_business_revenue": Decimal("40000000"),
        "total_income": Decimal("41000000"),
        "hightech_income": Decimal("30000000"),
        "rd_personnel": Decimal("1500000"),
        "rd_direct": Decimal("400000"),
        "staff_total": Decimal("100"),
        "tech_staff": Decimal("20"),
        "total_assets": Decimal("50000000"),
        "net_assets": Decimal("30000000"),
        "ip_invention": 1,
        "ip_software": 3,
        "tech_transfers": 2,
        "status": FilingStatus.ACCEPTED,
    }
    defaults.update(figures)
    return AnnualReturn.objects.create(enterprise=enterprise, year=year, **defaults)


class ExpiryTests(CastTestCase):
    def test_expiry_follows_the_tier_rule(self) -> None:
        hnte = Tier.objects.get(code="hnte")
        sme = Tier.objects.get(code="tech_sme")
        xuri = Tier.objects.get(code="xuri")
        self.assertEqual(
            certification_expiry(hnte, issued_on=date(2023, 12, 8), year=2023),
            date(2026, 12, 7),
        )
        with override_settings(
            LADDER={**settings.LADDER, "certificate_end_minus_one_day": False}
        ):
            self.assertEqual(
                certification_expiry(hnte, issued_on=date(2023, 12, 8), year=2023),
                date(2026, 12, 8),
            )
        self.assertEqual(
            certification_expiry(sme, issued_on=date(2025, 5, 1), year=2025),
            date(2025, 12, 31),
        )
        self.assertIsNone(
            certification_expiry(xuri, issued_on=date(2025, 5, 1), year=2025)
        )
        self.assertEqual(
            certification_expiry(hnte, issued_on=date(2024, 2, 29), year=2024),
            date(2027, 2, 27),
        )

    def test_expired_certifications_are_marked_and_it_is_idempotent(self) -> None:
        sme = Tier.objects.get(code="tech_sme")
        cert = award(self.enterprise_a, sme, date(2024, 6, 1))
        self.assertEqual(certifications_expire(today=date(2025, 1, 1)), 1)
        self.assertEqual(certifications_expire(today=date(2025, 1, 1)), 0)
        cert.refresh_from_db()
        self.assertEqual(cert.status, Certification.Status.EXPIRED)


class HighTechAnnualReportTests(CastTestCase):
    def test_two_missed_reports_revoke_and_one_does_not(self) -> None:
        hnte = Tier.objects.get(code="hnte")
        cert = award(self.enterprise_a, hnte, date(2023, 12, 8))
        hnte_annual_report_record(
            certification=cert,
            year=2023,
            submitted_on=date(2024, 5, 20),
            by=self.officer,
        )
        # 2024's report was due 2025-05-31 and never came: one miss.
        self.assertEqual(hnte_missed_reports_revoke(today=date(2025, 6, 1)), [])
        # A late 2025 report (due 2026-05-31) still counts as missed.
        hnte_annual_report_record(
            certification=cert,
            year=2025,
            submitted_on=date(2026, 6, 15),
            by=self.officer,
        )
        revoked = hnte_missed_reports_revoke(today=date(2026, 6, 16))
        self.assertEqual(revoked, [cert])
        cert.refresh_from_db()
        self.assertEqual(cert.status, Certification.Status.REVOKED)
        self.assertIn("2024、2025", cert.revocation_reason)
        self.assertEqual(hnte_missed_reports_revoke(today=date(2026, 6, 17)), [])


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
class StoredAssessmentTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.founded_on = date(2018, 5, 1)
        cls.enterprise_a.high_tech_field = "electronics"
        cls.enterprise_a.save()
        sme = Tier.objects.get(code="tech_sme")
        award(cls.enterprise_a, sme, date(2026, 1, 10))
        # 3-year R&D: 3 × 190万 = 570万 over 3 × 4000万 → 4.75% < 5%.
        for year in (2023, 2024, 2025):
            add_return(cls.enterprise_a, year)

    def test_the_next_tier_is_assessed_with_gaps_in_chinese(self) -> None:
        assessment = enterprise_next_tier_assessment(enterprise=self.enterprise_a)
        self.assertEqual(assessment.tier_code, "hnte")
        failed = {c["code"]: c for c in assessment.failed}
        self.assertEqual(set(failed), {"rd_expense_ratio"})
        self.assertIn(
            "近三年研发费用占销售收入比例4.75%", failed["rd_expense_ratio"]["message"]
        )
        self.assertIn("还差0.25个百分点", failed["rd_expense_ratio"]["message"])
        # The expert score, the core-technology judgement and the incident
        # check are not in the data: pending, never ✓.
        self.assertEqual(
            [c["code"] for c in assessment.pending],
            ["core_tech_field", "innovation_score", "no_major_incident"],
        )
        self.assertIs(assessment.eligible, False)  # the R&D ratio is missed

    def test_the_other_category_is_capped_before_assessing(self) -> None:
        AnnualReturn.objects.filter(enterprise=self.enterprise_a).update(
            rd_other=Decimal("5000000")
        )
        assessment = enterprise_next_tier_assessment(enterprise=self.enterprise_a)
        rd = next(
            c
            for c in assessment.result["conditions"]
            if c["code"] == "rd_expense_ratio"
        )
        # other capped at 25% of 190万 = 47.5万 → 237.5万 / 4000万 = 5.9375%
        self.assertEqual(rd["actual"], "0.059375")

    def test_snapshots_rank_the_closest_and_are_idempotent(self) -> None:
        far = EnterpriseFactory(org_unit=self.street_b, founded_on=date(2019, 1, 1))
        for year in (2023, 2024, 2025):
            add_return(
                far,
                year,
                rd_personnel=Decimal("100000"),
                rd_direct=Decimal("0"),
                tech_staff=Decimal("5"),
            )
        sme = Tier.objects.get(code="tech_sme")
        award(far, sme, date(2026, 1, 10))
        # Each 科小 is pre-checked for 高企 (the next rung) and 新雏鹰 (a side
        # tier above it).
        self.assertEqual(eligibility_snapshots_refresh(), 4)
        self.assertEqual(eligibility_snapshots_refresh(), 4)
        self.assertEqual(
            EligibilitySnapshot.objects.filter(tier__code="hnte").count(), 2
        )
        ordered = list(closest_to_qualifying(user=self.officer, tier_code="hnte"))
        self.assertEqual(
            [s.enterprise_id for s in ordered], [self.enterprise_a.pk, far.pk]
        )
        self.assertEqual(ordered[0].failed_count, 1)
        self.assertGreater(ordered[1].failed_count, 1)
        # Scoped: the liaison of street A sees only enterprise A.
        scoped = closest_to_qualifying(user=self.liaison, tier_code="hnte")
        self.assertEqual([s.enterprise_id for s in scoped], [self.enterprise_a.pk])


class FunnelTests(CastTestCase):
    def test_counts_and_conversion_within_one_two_three_years(self) -> None:
        xuri, chuying, sme, hnte = (
            Tier.objects.get(code=c) for c in ("xuri", "chuying", "tech_sme", "hnte")
        )
        a, b = self.enterprise_a, self.enterprise_b
        award(a, xuri, date(2021, 4, 1), echelon=1)
        award(b, xuri, date(2021, 4, 1), echelon=2)
        award(a, sme, date(2022, 5, 1))
        award(a, hnte, date(2023, 12, 1))
        # b was a 雏鹰 before joining 旭日: not a conversion.
        award(b, chuying, date(2020, 6, 1))
        self.client.force_login(self.leader)
        body = self.client.get(
            "/api/v1/ladder/funnel/?first_year=2021&last_year=2024"
        ).json()
        self.assertEqual(
            body["counts"]["xuri"]["2021"], {"awarded": 2, "first": 2, "held": 2}
        )
        self.assertEqual(
            body["counts"]["tech_sme"]["2022"], {"awarded": 1, "first": 1, "held": 1}
        )
        self.assertEqual(
            body["counts"]["tech_sme"]["2023"]["held"], 0
        )  # evaluation year
        self.assertEqual(body["counts"]["hnte"]["2024"]["held"], 1)
        cohort = next(
            c for c in body["conversion"] if c["tier"] == "xuri" and c["year"] == 2021
        )
        self.assertEqual(cohort["cohort"], 2)
        self.assertEqual(cohort["reached"]["tech_sme"], {"1": 1, "2": 1, "3": 1})
        self.assertEqual(cohort["reached"]["hnte"], {"1": 0, "2": 1, "3": 1})
        self.assertEqual(cohort["reached"]["chuying"], {"1": 0, "2": 0, "3": 0})

    def test_enterprise_users_and_experts_may_not_read_it(self) -> None:
        for user in (self.ent_user, self.expert):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/api/v1/ladder/funnel/").status_code, 403)
        self.client.force_login(self.officer)
        bad = self.client.get("/api/v1/ladder/funnel/?first_year=2025&last_year=2020")
        self.assertEqual(bad.status_code, 400)
