"""The indicator import template speaks Chinese: headers, drop-down lists
of what the user may import, an example row the user may import; errors
name the Excel column letter and the Chinese header; the batch page shows
old → new, links to the dashboard and rolls back behind a confirmation."""

from __future__ import annotations

import io
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bureau.tests.base import CastTestCase
from bureau.tests.eager import tasks_at_once
from indicators.models import DataValue, ImportBatch
from indicators.tests.test_import_api import workbook


def saved(book) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("填好的模板.xlsx", buffer.getvalue())


class TemplateRoundTripTests(CastTestCase):
    def template(self):  # type: ignore[no-untyped-def]
        response = self.client.get(reverse("indicator-import-template-page"))
        self.assertEqual(response.status_code, 200)
        return load_workbook(io.BytesIO(response.content))

    def upload(self, file):  # type: ignore[no-untyped-def]
        with tasks_at_once():
            return self.client.post(
                reverse("indicator-imports"), {"file": file}, follow=True
            )

    def test_a_liaison_imports_the_example_row_of_their_template(self) -> None:
        self.client.force_login(self.liaison)
        book = self.template()
        sheet = book["数据"]
        self.assertTrue(sheet.row_dimensions[1].hidden)
        self.assertEqual(
            [c.value for c in sheet[1]][:4],
            ["indicator_code", "org_unit_code", "period", "value"],
        )
        self.assertEqual(
            [c.value for c in sheet[2]][:5],
            ["指标", "街道/单位", "统计期", "数值", "计量单位"],
        )
        example = [c.value for c in sheet[3]]
        self.assertIn(f"（{self.street_a.code}）", example[1])
        self.assertTrue(example[1].startswith(self.street_a.name))
        # The drop-down lists offer only what the liaison may import.
        options = book["下拉选项"]
        self.assertEqual(options.sheet_state, "hidden")
        units = [r[1] for r in options.iter_rows(min_row=2, values_only=True) if r[1]]
        self.assertEqual(units, [f"{self.street_a.name}（{self.street_a.code}）"])
        indicators = [
            r[0] for r in options.iter_rows(min_row=2, values_only=True) if r[0]
        ]
        self.assertIn(example[0], indicators)
        self.assertFalse(any("rd_intensity" in i for i in indicators))  # a ratio
        lists = {
            str(v.sqref).split(":")[0]: v.formula1
            for v in sheet.data_validations.dataValidation
        }
        self.assertIn("'下拉选项'!$A$2", lists["A3"])
        self.assertIn("'下拉选项'!$B$2", lists["B3"])
        # Fill the example row in and upload it as it is.
        sheet.cell(row=3, column=4).value = 12.5
        page = self.upload(saved(book))
        batch = ImportBatch.objects.get()
        self.assertEqual(batch.status, ImportBatch.Status.DONE, batch.errors)
        self.assertContains(page, "已导入“填好的模板.xlsx”：新增1个指标值，替换0个。")
        stored = DataValue.objects.get()
        self.assertEqual((stored.org_unit, stored.value), (self.street_a, D("12.5")))

    def test_the_bureau_example_is_for_the_district(self) -> None:
        self.client.force_login(self.officer)
        example = [c.value for c in self.template()["数据"][3]]
        self.assertIn(f"（{self.district.code}）", example[1])

    def test_errors_name_the_column_letter_and_the_chinese_header(self) -> None:
        self.client.force_login(self.liaison)
        book = self.template()
        sheet = book["数据"]
        example = [c.value for c in sheet[3]]
        for row in (4, 5):
            for column, value in enumerate(example, start=1):
                sheet.cell(row=row, column=column).value = value
        sheet.cell(row=3, column=4).value = 1
        sheet.cell(row=4, column=3).value = f"{example[2][:4]}-02"
        sheet.cell(row=4, column=4).value = 2
        sheet.cell(row=5, column=3).value = "2025-13"  # row 5: a bad period
        sheet.cell(row=5, column=4).value = "三"  # and not a number
        with tasks_at_once():
            page = self.client.post(reverse("indicator-imports"), {"file": saved(book)})
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "第5行 C列（统计期）", status_code=400)
        self.assertContains(page, "第5行 D列（数值）", status_code=400)
        self.assertFalse(DataValue.objects.exists())
        with tasks_at_once():
            api = self.client.post("/api/v1/indicator-imports/", {"file": saved(book)})
        first = api.json()["errors"][0]
        self.assertEqual(
            (first["row"], first["letter"], first["label"]), (5, "C", "统计期")
        )

    def test_messages_name_indicators_not_codes(self) -> None:
        self.client.force_login(self.officer)
        with tasks_at_once():
            page = self.client.post(
                reverse("indicator-imports"),
                {"file": workbook(("rd_intensity", "330105", "2025", 2.5))},
            )
        self.assertContains(page, "第2行 A列（指标）", status_code=400)
        self.assertContains(page, "是比率指标", status_code=400)
        self.assertNotContains(page, "指标rd_", status_code=400)


class BatchPageTests(CastTestCase):
    def upload(self, *rows):  # type: ignore[no-untyped-def]
        with tasks_at_once():
            self.client.post(reverse("indicator-imports"), {"file": workbook(*rows)})
        return ImportBatch.objects.order_by("-pk").first()

    def test_the_page_lists_old_and_new_and_rolls_back_after_confirming(self) -> None:
        self.client.force_login(self.officer)
        self.upload(("tech_contracts", self.street_a.code, "2025-07", 100))
        batch = self.upload(
            ("tech_contracts", self.street_a.code, "2025-07", 150),
            ("tech_contracts", self.street_b.code, "2025-07", 70),
        )
        url = reverse("indicator-import-page", args=[batch.pk])
        with self.assertNumQueries(5):  # session, user, batch, values, old values
            page = self.client.get(url)
        rows = page.context["changes"]
        self.assertEqual(
            [(c.value.org_unit.code, c.old, c.value.value) for c in rows],
            [
                (self.street_a.code, D("100"), D("150")),
                (self.street_b.code, None, D("70")),
            ],
        )
        self.assertContains(page, "→ 150")
        self.assertContains(page, "新增")
        self.assertContains(page, f'href="{reverse("dashboard")}?year=2025"')
        self.assertContains(page, "撤销本次导入")
        rollback = reverse("indicator-import-rollback-page", args=[batch.pk])
        ask = self.client.post(rollback)
        self.assertEqual(ask.status_code, 200)
        self.assertContains(ask, "数据.xlsx")
        self.assertContains(ask, 'name="confirmed" value="1"')
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.DONE)
        done = self.client.post(rollback, {"confirmed": "1"}, follow=True)
        self.assertContains(done, "已撤销导入“数据.xlsx”：删除新增值1个，恢复原值1个。")
        self.assertEqual(
            list(DataValue.objects.values_list("value", flat=True)), [D("100")]
        )

    def test_a_liaison_sees_their_batch_without_the_rollback(self) -> None:
        self.client.force_login(self.liaison)
        batch = self.upload(("tech_contracts", self.street_a.code, "2025-07", 5))
        page = self.client.get(reverse("indicator-import-page", args=[batch.pk]))
        self.assertContains(page, "→ 5")
        self.assertNotContains(page, "撤销本次导入")
