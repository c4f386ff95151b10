"""Values and targets are named for people (the audit log shows them)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from indicators.models import DataValue, Indicator
from indicators.services import value_set


class ValueNameTests(CastTestCase):
    def test_the_audit_log_names_a_value_by_indicator_unit_and_period(self) -> None:
        indicator = Indicator.objects.get(code="tech_contracts")
        with translation.override("zh-hans"):
            value = value_set(
                indicator=indicator,
                unit=self.street_a,
                year=2025,
                period=(DataValue.PeriodType.QUARTER, 3),
                value=Decimal("120"),
                by=self.officer,
            )
            self.assertEqual(
                str(value), f"{indicator.name} · 米市巷街道 · 2025年第三季度"
            )
        event = AuditEvent.objects.filter(object_type="indicators.datavalue").get()
        self.assertNotIn("tech_contracts", event.object_repr)
        self.assertIn("米市巷街道", event.object_repr)

    def test_periods_read_as_a_chinese_report_writes_them(self) -> None:
        with translation.override("zh-hans"):
            for period_type, period, text in (
                (DataValue.PeriodType.YEAR, 0, "2025年"),
                (DataValue.PeriodType.QUARTER, 2, "2025年第二季度"),
                (DataValue.PeriodType.MONTH, 7, "2025年7月"),
            ):
                with self.subTest(text=text):
                    value = DataValue(year=2025, period_type=period_type, period=period)
                    self.assertEqual(value.period_text, text)
