"""Computed indicators count from the ladder's history, not from today's
status: a 科小 registration since expired still counts in its own years."""

from __future__ import annotations

from datetime import date

from bureau.tests.base import CastTestCase
from enterprises.models import Certification, Tier
from indicators.models import DataValue
from indicators.services import indicators_recompute


class TechSmeCountTests(CastTestCase):
    def count(self, unit, year):  # type: ignore[no-untyped-def]
        row = DataValue.objects.filter(
            indicator__code="tech_sme", org_unit=unit, year=year, period_type="Y"
        ).first()
        return row.value if row else None

    def test_past_years_count_registrations_since_expired_or_revoked(self) -> None:
        tier = Tier.objects.get(code="tech_sme")
        for enterprise, status, revoked_on in (
            (self.enterprise_a, Certification.Status.EXPIRED, None),
            (self.enterprise_b, Certification.Status.REVOKED, date(2024, 6, 1)),
        ):
            Certification.objects.create(
                enterprise=enterprise,
                tier=tier,
                year=2023,
                issued_on=date(2023, 5, 1),
                expires_on=date(2024, 12, 31),
                status=status,
                revoked_on=revoked_on,
            )
        indicators_recompute(year=2023)
        indicators_recompute(year=2024)
        # 2023: both in force at year end, one per street.
        self.assertEqual(self.count(self.district, 2023), 2)
        self.assertEqual(self.count(self.street_b, 2023), 1)
        # 2024: the revoked one stopped counting on 1 June; the other ran to
        # its expiry on 31 December.
        self.assertEqual(self.count(self.district, 2024), 1)
        self.assertEqual(self.count(self.street_a, 2024), 1)
        self.assertIn(self.count(self.street_b, 2024), (None, 0))


class ComputedScheduleTests(CastTestCase):
    def test_this_years_computed_value_is_due_only_up_to_this_month(self) -> None:
        from decimal import Decimal
        from unittest import mock

        from indicators.models import Indicator, Target
        from indicators.selectors import dashboard

        new_hnte = Indicator.objects.get(code="new_hnte")
        DataValue.objects.create(
            indicator=new_hnte,
            org_unit=self.district,
            period_type="Y",
            year=2026,
            value=Decimal(55),
            source=DataValue.Source.COMPUTED,
        )
        Target.objects.create(
            indicator=new_hnte, org_unit=self.district, year=2026, value=Decimal(60)
        )
        with mock.patch(
            "indicators.selectors.dashboard.timezone.localdate",
            return_value=date(2026, 11, 22),
        ):
            board = dashboard(year=2026, codes=["new_hnte"]).boards[0]
        self.assertEqual(board.district.schedule, new_hnte.schedule_share(11))
        self.assertEqual(board.district.as_of_month, 11)
        # 55 of 60 is exactly the 11/12 due by November: on schedule, where
        # counting the year as due in full made it behind.
        self.assertEqual(board.district.status, "green")


class RecomputeOnChangeTests(CastTestCase):
    def test_recording_loans_recomputes_their_year_once(self) -> None:
        from decimal import Decimal

        from django.db import transaction

        from enterprises.services.support import loan_record

        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with transaction.atomic():
                for amount in (3_000_000, 2_000_000):
                    loan_record(
                        enterprise=self.enterprise_a,
                        by=self.officer,
                        bank="杭州银行",
                        amount=Decimal(amount),
                        granted_on=date(2025, 3, 1),
                        kind="credit",
                        term_months=12,
                    )
        # One recalculation queued (its new values then queue the dashboard
        # cache's invalidation, a callback of its own).
        recomputes = [c for c in callbacks if hasattr(c, "indicator_year")]
        self.assertEqual(len(recomputes), 1)
        value = DataValue.objects.get(
            indicator__code="tech_loans", org_unit=self.street_a, year=2025
        ).value
        self.assertEqual(value, Decimal(500))  # 万元
