"""The enterprise figures other apps read (enterprises.selectors.figures):
per-street counts and the street drill-down behind an indicator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bureau.tests.base import CastTestCase
from enterprises.models import Certification, Loan, Tier
from enterprises.selectors import (
    awards_by_street,
    holders_by_street,
    loans_by_street,
    street_certifications,
    street_loans,
    tier_choices,
)


class FiguresTests(CastTestCase):
    def setUp(self) -> None:
        tech_sme = Tier.objects.get(code="tech_sme")
        for enterprise, status in (
            (self.enterprise_a, Certification.Status.ACTIVE),
            (self.enterprise_b, Certification.Status.REVOKED),
        ):
            Certification.objects.create(
                enterprise=enterprise,
                tier=tech_sme,
                year=2024,
                issued_on=date(2024, 4, 1),
                expires_on=date(2025, 3, 31),
                status=status,
                revoked_on=date(2024, 9, 1) if status == "revoked" else None,
            )
        for enterprise, amount in (
            (self.enterprise_a, 1_000_000),
            (self.enterprise_a, 500_000),
            (self.enterprise_b, 2_000_000),
        ):
            Loan.objects.create(
                enterprise=enterprise,
                bank="杭州银行",
                amount=Decimal(amount),
                granted_on=date(2024, 5, 1),
                kind=Loan.Kind.CREDIT,
                term_months=12,
            )

    def test_counts_per_street(self) -> None:
        a, b = self.street_a.pk, self.street_b.pk
        self.assertEqual(awards_by_street(tier_code="tech_sme", year=2024), {a: 1})
        self.assertEqual(
            holders_by_street(tier_code="tech_sme", on=date(2024, 6, 30)), {a: 1, b: 1}
        )
        self.assertEqual(
            holders_by_street(tier_code="tech_sme", on=date(2024, 12, 31)), {a: 1}
        )
        self.assertEqual(
            loans_by_street(year=2024), {a: Decimal(1_500_000), b: Decimal(2_000_000)}
        )
        self.assertEqual(loans_by_street(year=2023), {})

    def test_the_street_drill_down(self) -> None:
        code = self.street_b.code
        in_june = street_certifications(
            street_code=code, tier_code="tech_sme", on=date(2024, 6, 30)
        )
        self.assertEqual([c.enterprise for c in in_june], [self.enterprise_b])
        self.assertFalse(
            street_certifications(street_code=code, tier_code="tech_sme", year=2024)
        )
        with self.assertRaises(ValueError):
            street_certifications(street_code=code, tier_code="tech_sme")
        loans = street_loans(street_code=code, year=2024)
        self.assertEqual([loan.amount for loan in loans], [Decimal(2_000_000)])

    def test_tier_choices_leave_inactive_tiers_out_unless_asked(self) -> None:
        Tier.objects.filter(code="tech_sme").update(is_active=False)
        self.assertNotIn("tech_sme", {t.code for t in tier_choices()})
        self.assertIn("tech_sme", {t.code for t in tier_choices(include_inactive=True)})
