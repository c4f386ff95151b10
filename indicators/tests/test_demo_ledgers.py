"""The demo ledgers cover the dashboard's default year: the R&D statistics
ledger of the current year is seeded beside the two before it, so the
dashboard's R&D-statistics indicators by street are not empty on it."""

from __future__ import annotations

from bureau.tests.base import CastTestCase
from enterprises.tests.factories import EnterpriseFactory
from indicators.demo import seed_ledgers
from indicators.models import RDReportingUnit


class DemoLedgerTests(CastTestCase):
    def test_the_current_years_ledger_is_seeded_and_idempotent(self) -> None:
        for n in range(6):
            EnterpriseFactory(
                org_unit=self.street_a if n % 2 else self.street_b,
                is_above_scale=n < 3,
            )
        seed_ledgers(by=self.officer, years=[2024, 2025, 2026])
        years = set(RDReportingUnit.objects.values_list("year", flat=True))
        self.assertEqual(years, {2024, 2025, 2026})
        current = RDReportingUnit.objects.filter(year=2026)
        self.assertTrue(current.filter(status__in=RDReportingUnit.REPORTING).exists())
        # Last year's amounts carried to the current year's rows.
        self.assertTrue(current.filter(last_year_amount__isnull=False).exists())
        # The oldest ledger is complete: nothing pending.
        self.assertFalse(
            RDReportingUnit.objects.filter(year=2024, status="pending").exists()
        )
        count = RDReportingUnit.objects.count()
        seed_ledgers(by=self.officer, years=[2024, 2025, 2026])
        self.assertEqual(RDReportingUnit.objects.count(), count)
