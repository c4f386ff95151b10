"""Headless Chromium: a street liaison downloads the import template, fills
in its example row and imports it; the section clerk opens the batch, sees
old → new and rolls it back through the confirmation page
(test-artifacts/indicator-import-*.png)."""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from openpyxl import load_workbook

from bureau.models import OrgUnit, Role
from bureau.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from indicators.models import DataValue, ImportBatch
from tests.helpers import require_service
from tests.test_browser_smoke import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _cjk_fonts


class ImportJourneyBrowserTests(StaticLiveServerTestCase):
    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls) -> None:
        require_service(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
        require_service(bool(_cjk_fonts()), "a Chinese font (fonts-wqy-microhei)")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

    @classmethod
    def tearDownClass(cls) -> None:
        if hasattr(cls, "browser"):
            cls.browser.close()
            cls.playwright.stop()
        super().tearDownClass()

    def login(self, username: str):  # type: ignore[no-untyped-def]
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
            accept_downloads=True,
        )
        page = context.new_page()
        page.goto(f"{self.live_server_url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/")
        return page

    def test_the_liaison_imports_the_template_and_staff_roll_it_back(self) -> None:
        district = OrgUnitFactory(
            code="330105", name="拱墅区", level=OrgUnit.Level.DISTRICT, is_home=True
        )
        street = OrgUnitFactory(
            code="330105001",
            name="米市巷街道",
            level=OrgUnit.Level.STREET,
            parent=district,
        )
        UserFactory(
            username="zhaolianluo",
            full_name="赵联络员",
            role=Role.STREET_LIAISON,
            org_unit=street,
        )
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)
        ARTIFACTS.mkdir(exist_ok=True)

        page = self.login("zhaolianluo")
        page.goto(f"{self.live_server_url}/indicators/imports/")
        with page.expect_download() as download:
            page.click("text=下载模板")
        template = Path(ARTIFACTS / "indicator-import-template.xlsx")
        download.value.save_as(template)
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
        filled = Path(ARTIFACTS / "indicator-import-filled.xlsx")
        book.save(filled)
        page.set_input_files("input[type=file]", str(filled))
        page.click("button.primary")
        page.wait_for_url(f"{self.live_server_url}/indicators/imports/*/")
        body = page.locator("body").inner_text()
        assert "已导入“indicator-import-filled.xlsx”：新增1个指标值，替换0个。" in body
        assert "米市巷街道" in body and "→ 36" in body, body
        assert "撤销本次导入" not in body  # a liaison never rolls back
        page.screenshot(
            path=str(ARTIFACTS / "indicator-import-batch.png"), full_page=True
        )
        batch_url = page.url
        page.context.close()

        page = self.login("wangkeyuan")
        page.goto(batch_url)
        page.click("text=撤销本次导入")
        page.wait_for_selector("text=确认撤销导入")
        page.screenshot(
            path=str(ARTIFACTS / "indicator-import-confirm.png"), full_page=True
        )
        assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
        page.click("text=确认撤销导入")
        page.wait_for_url(batch_url)
        body = page.locator("body").inner_text()
        assert "已撤销导入“indicator-import-filled.xlsx”" in body, body
        assert not DataValue.objects.exists()
        page.context.close()
