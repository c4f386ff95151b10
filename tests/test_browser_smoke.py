"""Headless Chromium logs in as a staff user and photographs the Chinese home
page (test-artifacts/smoke-home.png)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from bureau.models import OrgUnit, Role
from bureau.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from tests.helpers import require_service

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _cjk_fonts() -> str:
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh-cn", "family"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except FileNotFoundError:
        return ""
    return result.stdout.strip()


class BrowserSmokeTests(StaticLiveServerTestCase):
    host = "127.0.0.1"
    playwright: Any
    browser: Any

    @classmethod
    def setUpClass(cls) -> None:
        require_service(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
        # Without a CJK font Chinese renders as boxes: fontconfig must know one.
        require_service(bool(_cjk_fonts()), "a Chinese font (fonts-wqy-microhei)")
        # Playwright's sync API runs an event loop in this thread.
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
        page.fill("#id_username", "wangkeyuan")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/")
        heading = page.locator("h1").inner_text()
        assert heading == "您好，王科员", heading
        body = page.locator("body").inner_text()
        assert "待形式审查的申报" in body
        assert "杭州市拱墅区" in body
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "smoke-home.png"), full_page=True)
        page.close()
