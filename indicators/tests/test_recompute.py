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
        """The 科小 count is the year's entries (a flow): a registration since
        expired, or revoked after its year, still counts in its own year; one
        revoked within its year does not; the next year counts its own."""
        tier = Tier.objects.get(code="tech_sme")
        for enterprise, year, status, revoked_on in (
            (self.enterprise_a, 2023, Certification.Status.EXPIRED, None),
            (self.enterprise_b, 2023, Certification.Status.REVOKED, date(2024, 6, 1)),
            (self.enterprise_a, 2024, Certification.Status.EXPIRED, None),
            (self.enterprise_b, 2024, Certification.Status.REVOKED, date(2024, 9, 1)),
        ):
            Certification.objects.create(
                enterprise=enterprise,
                tier=tier,
                year=year,
                issued_on=date(year, 5, 1),
                expires_on=date(year, 12, 31),
                status=status,
                revoked_on=revoked_on,
            )
        indicators_recompute(year=2023)
        indicators_recompute(year=2024)
        # 2023: both entered that year, one per street.
        self.assertEqual(self.count(self.district, 2023), 2)
        self.assertEqual(self.count(self.street_b, 2023), 1)
        # 2024: b's registration of the year was revoked in the year.
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


class TechSmeFlowTests(CastTestCase):
    """The 科小 count is a flow over the evaluation batches (issue 10 §6):
    its 序时进度 follows the batch schedule, so January is not 100% due."""

    def board(self, today: date):  # type: ignore[no-untyped-def]
        from unittest import mock

        from indicators.selectors import dashboard

        with mock.patch(
            "indicators.selectors.dashboard.timezone.localdate", return_value=today
        ):
            return dashboard(year=2026, codes=["tech_sme"]).boards[0]

    def setUp(self) -> None:
        from decimal import Decimal

        from indicators.models import Indicator, Target

        self.indicator = Indicator.objects.get(code="tech_sme")
        for unit in (self.district, self.street_a, self.street_b):
            Target.objects.create(
                indicator=self.indicator, org_unit=unit, year=2026, value=Decimal(10)
            )

    def test_the_default_set_declares_it_a_flow_with_the_batch_schedule(self) -> None:
        from indicators.calc import COMPUTED_SOURCES

        self.assertEqual(self.indicator.aggregation, "sum")
        self.assertEqual(
            list(self.indicator.schedule),
            list(COMPUTED_SOURCES["tech_sme_count"].schedule),
        )
        self.assertEqual(self.indicator.name, "科技型中小企业入库数")

    def test_in_january_nothing_is_due_and_no_street_is_on_the_black_list(
        self,
    ) -> None:
        # Last year's registrations have ended; one early entry this year.
        tier = Tier.objects.get(code="tech_sme")
        for enterprise, year, issued in (
            (self.enterprise_a, 2025, date(2025, 7, 1)),
            (self.enterprise_b, 2025, date(2025, 7, 1)),
            (self.enterprise_a, 2026, date(2026, 1, 10)),
        ):
            Certification.objects.create(
                enterprise=enterprise,
                tier=tier,
                year=year,
                issued_on=issued,
                expires_on=date(year, 12, 31),
            )
        indicators_recompute(year=2026)
        board = self.board(date(2026, 1, 20))
        self.assertEqual(board.district.schedule, 0)
        self.assertEqual(board.district.as_of_month, 1)
        self.assertEqual(board.district.value, 1)
        self.assertEqual(board.district.status, "green")
        by_code = {f.code: f for f in board.streets}
        self.assertEqual(by_code[self.street_a.code].status, "green")
        from indicators.selectors.dashboard import red_black_lists

        _honour, black = red_black_lists([board])
        self.assertEqual(black, [])

    def test_after_a_batch_the_entries_count_against_the_months_share(self) -> None:
        from decimal import Decimal

        tier = Tier.objects.get(code="tech_sme")
        Certification.objects.create(
            enterprise=self.enterprise_a,
            tier=tier,
            year=2026,
            issued_on=date(2026, 7, 10),
            expires_on=date(2026, 12, 31),
        )
        indicators_recompute(year=2026)
        board = self.board(date(2026, 7, 20))
        # July: 30% of the year's entries due; street A has 1 of 10 (10%),
        # 20 points behind: on the black list; street B none.
        self.assertEqual(board.district.schedule, Decimal("0.3"))
        by_code = {f.code: f for f in board.streets}
        self.assertEqual(by_code[self.street_a.code].value, 1)
        self.assertEqual(by_code[self.street_a.code].progress, Decimal("0.1"))
        self.assertEqual(by_code[self.street_a.code].status, "red")

    def test_a_computed_indicators_aggregation_must_match_its_declaration(
        self,
    ) -> None:
        from django.core.exceptions import ValidationError

        self.indicator.aggregation = "last"
        with self.assertRaises(ValidationError):
            self.indicator.full_clean()
