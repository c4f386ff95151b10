"""Headless Chromium logs in as a staff user and photographs the Chinese home
page (test-artifacts/smoke-home.png)."""

from __future__ import annotations

from bureau.models import Role
from bureau.tests.factories import UserFactory
from tests.browser import BrowserTestCase, home_district


class BrowserSmokeTests(BrowserTestCase):
    def test_a_staff_user_logs_in_and_sees_the_chinese_home_page(self) -> None:
        home_district()
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)

        page = self.open_page(height=768)
        page.goto(f"{self.live_server_url}/")
        assert "/login/" in page.url
        assert page.locator("h1").inner_text() == "登录"
        self.log_in(page, "wangkeyuan")
        heading = page.locator("h1").inner_text()
        assert heading == "您好，王科员", heading
        body = page.locator("body").inner_text()
        assert "待形式审查的申报" in body
        assert "杭州市拱墅区" in body
        self.shot(page, "smoke-home")
        page.close()
