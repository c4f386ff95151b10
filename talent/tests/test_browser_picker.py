"""Headless Chromium: a section clerk picks a person's employer by typing
part of its name in the searchable picker (static/js/autocomplete.js) and
saves; the talent page names the employer
(test-artifacts/talent-picker.png)."""

from __future__ import annotations

import os

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from bureau.models import OrgUnit, Role
from bureau.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from enterprises.tests.factories import EnterpriseFactory
from talent.models import Talent
from tests.helpers import require_service
from tests.test_browser_smoke import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _cjk_fonts


class TalentPickerBrowserTests(StaticLiveServerTestCase):
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

    def test_the_employer_is_found_by_typing_and_saved(self) -> None:
        district = OrgUnitFactory(
            code="330105", name="拱墅区", level=OrgUnit.Level.DISTRICT, is_home=True
        )
        street = OrgUnitFactory(
            code="330105001",
            name="米市巷街道",
            level=OrgUnit.Level.STREET,
            parent=district,
        )
        for name in ("杭州云河智能科技有限公司", "杭州云河检测技术有限公司"):
            EnterpriseFactory(name=name, org_unit=street)
        for index in range(30):
            EnterpriseFactory(name=f"杭州其他科技有限公司{index:02d}", org_unit=street)
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)

        page = self.browser.new_page(
            viewport={"width": 1280, "height": 900}, locale="zh-CN"
        )
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{self.live_server_url}/login/")
        page.fill("#id_username", "wangkeyuan")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/")
        page.goto(f"{self.live_server_url}/talent/new/")
        page.fill("#id_name", "Maria Rossi")
        page.select_option("#id_nationality", "IT")
        page.click("#id_employer")
        page.keyboard.type("检测")
        option = page.locator("[role=listbox] li", has_text="杭州云河检测技术有限公司")
        option.wait_for()
        assert page.locator("[role=listbox] li").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "talent-picker.png"), full_page=True)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        assert page.input_value("#id_employer") == "杭州云河检测技术有限公司"
        page.click("button.primary")
        page.wait_for_url(f"{self.live_server_url}/talent/*/")
        body = page.locator("body").inner_text()
        assert "已将Maria Rossi登记入人才库。" in body, body
        assert "杭州云河检测技术有限公司" in body
        assert "意大利" in body
        assert Talent.objects.get().employer.name == "杭州云河检测技术有限公司"
        assert not errors, errors
        page.close()
