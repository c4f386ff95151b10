"""Headless Chromium logs in as a staff user and photographs the Chinese home
page (test-artifacts/smoke-home.png)."""

from __future__ import annotations

from bureau.models import OrgUnit, Role
from bureau.tests.factories import OrgUnitFactory, UserFactory
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, BrowserTestCase, cjk_fonts

# Older browser tests import the launch from here; it lives in tests/browser.py.
_cjk_fonts = cjk_fonts
__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "BrowserSmokeTests", "_cjk_fonts"]


class BrowserSmokeTests(BrowserTestCase):
    def test_a_staff_user_logs_in_and_sees_the_chinese_home_page(self) -> None:
        city = OrgUnitFactory(code="330100", name="杭州市", level=OrgUnit.Level.CITY)
        OrgUnitFactory(
            code="330105",
            name="拱墅区",
            level=OrgUnit.Level.DISTRICT,
            parent=city,
            is_home=True,
        )
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)

        page = self.browser.new_page(
            viewport={"width": 1366, "height": 768}, locale="zh-CN"
        )
        page.goto(f"{self.live_server_url}/")
        assert "/login/" in page.url
        assert page.locator("h1").inner_text() == "登录"
        self.log_in(page, "wangkeyuan")
        heading = page.locator("h1").inner_text()
        assert heading == "您好，王科员", heading
        body = page.locator("body").inner_text()
        assert "待形式审查的申报" in body
        assert "杭州市拱墅区" in body
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "smoke-home.png"), full_page=True)
        page.close()
