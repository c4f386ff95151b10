from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils import translation
from openpyxl import load_workbook

from bureau.tests.base import CastTestCase
from enterprises.tests.factories import EnterpriseFactory
from talent.exports import allowance_payments_xlsx
from talent.models import Degree
from talent.selectors import allowance_month
from talent.services import allowance_grant, allowances_mark_due, talent_create
from talent.tests.factories import AllowanceRuleFactory


class AllowancePaymentsXlsxTests(CastTestCase):
    def test_it_stores_names_that_look_like_formulas_as_text(self) -> None:
        employer = EnterpriseFactory(name='=HYPERLINK("http://x","点我")')
        person = talent_create(
            by=self.officer,
            name="=1+2",
            degree=Degree.DOCTORATE,
            employer=employer,
        )
        rule = AllowanceRuleFactory(monthly_amount=Decimal("5000.50"), months=1)
        allowance_grant(
            by=self.officer, talent=person, rule=rule, first_month=date(2026, 1, 1)
        )
        allowances_mark_due(month=date(2026, 1, 1))
        with translation.override("zh-hans"):
            content = allowance_payments_xlsx(
                month=date(2026, 1, 1),
                payments=allowance_month(month=date(2026, 1, 1)),
            )
        sheet = load_workbook(BytesIO(content)).active
        name, _, employer_cell, degree, month, amount, status = sheet[2]
        self.assertEqual(name.value, "=1+2")
        self.assertEqual(name.data_type, "s")
        self.assertEqual(employer_cell.data_type, "s")
        self.assertTrue(employer_cell.value.startswith("=HYPERLINK"))
        self.assertEqual(degree.value, "博士")
        self.assertEqual(month.value, "2026-01")
        self.assertEqual(amount.value, 5000.5)
        self.assertEqual(status.value, "待发放")
        self.assertEqual(sheet.freeze_panes, "A2")
