from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from bureau.tests.base import CastTestCase
from enterprises.exports import monitoring_export
from enterprises.models import MonitoringReport

FORMULA = '=HYPERLINK("x")'


class ExportedTextIsNeverAFormulaTests(CastTestCase):
    def test_a_contact_name_like_a_formula_is_exported_as_text(self) -> None:
        self.enterprise_a.contact_name = FORMULA
        self.enterprise_a.save()
        self.client.force_login(self.officer)

        response = self.client.get("/enterprises/?export=xlsx")

        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        column = header.index("联系人") + 1
        [cell] = [
            sheet.cell(row=row, column=column)
            for row in range(2, sheet.max_row + 1)
            if sheet.cell(row=row, column=column).value == FORMULA
        ]
        self.assertEqual(cell.data_type, "s")

    def test_an_enterprise_name_like_a_formula_is_text_in_the_monitoring_report(
        self,
    ) -> None:
        report = MonitoringReport.objects.create(
            year=2025,
            quarter=3,
            org_unit=self.street_a,
            enterprises_monitored=1,
            filed_on_time=0,
            filed_late=0,
            missing=1,
            decliners=0,
            expiring=1,
            details=[
                {
                    "id": self.enterprise_a.pk,
                    "name": FORMULA,
                    "flags": ["missing", "expiring"],
                    "revenue_yoy": "-0.2000",
                    "expires_on": "2026-02-09",
                }
            ],
        )

        content = monitoring_export([report], flag_labels={"missing": "未报送"})

        sheet = load_workbook(io.BytesIO(content))["需关注企业"]
        name, flags, yoy, expires = (sheet.cell(row=2, column=c) for c in (2, 3, 4, 5))
        self.assertEqual((name.value, name.data_type), (FORMULA, "s"))
        self.assertEqual(flags.value, "未报送、expiring")
        self.assertEqual(Decimal(str(yoy.value)), Decimal("-0.2"))
        self.assertEqual(expires.value.date(), date(2026, 2, 9))
