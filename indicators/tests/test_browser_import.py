"""Headless Chromium: a street liaison downloads the import template, fills
in its example row and imports it; the section clerk opens the batch, sees
old → new and rolls it back through the confirmation page
(test-artifacts/indicator-import-*.png)."""

from __future__ import annotations

from openpyxl import load_workbook

from bureau.models import Role
from bureau.tests.factories import UserFactory
from indicators.models import DataValue, ImportBatch
from tests.browser import ARTIFACTS, BrowserTestCase, home_district, street


class ImportJourneyBrowserTests(BrowserTestCase):
    def test_the_liaison_imports_the_template_and_staff_roll_it_back(self) -> None:
        mishixiang = street(home_district())
        UserFactory(
            username="zhaolianluo",
            full_name="赵联络员",
            role=Role.STREET_LIAISON,
            org_unit=mishixiang,
        )
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)

        page = self.open_page("zhaolianluo", width=1280)
        page.goto(f"{self.live_server_url}/indicators/imports/")
        template = self.download(
            page, "text=下载模板", ARTIFACTS / "indicator-import-template.xlsx"
        )
        book = load_workbook(template)
        sheet = book["数据"]
        assert [c.value for c in sheet[2]][:4] == [
            "指标",
            "街道/单位",
            "统计期",
            "数值",
        ]
        assert sheet.cell(row=3, column=2).value == "米市巷街道（330105001）"
        sheet.cell(row=3, column=4).value = 36
        filled = ARTIFACTS / "indicator-import-filled.xlsx"
        book.save(filled)
        page.set_input_files("input[type=file]", str(filled))
        page.click("button.primary")
        page.wait_for_url(f"{self.live_server_url}/indicators/imports/*/")
        body = page.locator("body").inner_text()
        assert "已导入“indicator-import-filled.xlsx”：新增1个指标值，替换0个。" in body
        assert "米市巷街道" in body and "→ 36" in body, body
        assert "撤销本次导入" not in body  # a liaison never rolls back
        self.shot(page, "indicator-import-batch")
        batch_url = page.url
        page.context.close()

        page = self.open_page("wangkeyuan", width=1280)
        page.goto(batch_url)
        page.click("text=撤销本次导入")
        page.wait_for_selector("text=确认撤销导入")
        self.shot(page, "indicator-import-confirm")
        assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
        page.click("text=确认撤销导入")
        page.wait_for_url(batch_url)
        body = page.locator("body").inner_text()
        assert "已撤销导入“indicator-import-filled.xlsx”" in body, body
        assert not DataValue.objects.exists()
        page.context.close()
