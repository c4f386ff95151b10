"""Headless Chromium: a staff user whose role needs two-factor login enrols
an authenticator at first login (QR code, key, recovery codes), logs out and
logs in again with a code (test-artifacts/mfa-*.png)."""

from __future__ import annotations

import os
from base64 import b32decode

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import override_settings
from django_otp.oath import totp

from bureau.models import OrgUnit, Role
from bureau.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from tests.helpers import require_service
from tests.test_browser_smoke import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _cjk_fonts


def code_from_key(key: str, step_ahead: int = 0) -> str:
    raw = key.replace(" ", "")
    secret = b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(secret, step=30, t0=0, digits=6, drift=step_ahead):06d}"


@override_settings(MFA_REQUIRED_ROLES=["staff"])
class BrowserMfaTests(StaticLiveServerTestCase):
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

    def test_a_staff_user_enrols_then_logs_in_with_a_code(self) -> None:
        city = OrgUnitFactory(code="330100", name="杭州市", level=OrgUnit.Level.CITY)
        OrgUnitFactory(
            code="330105",
            name="拱墅区",
            level=OrgUnit.Level.DISTRICT,
            parent=city,
            is_home=True,
        )
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)
        ARTIFACTS.mkdir(exist_ok=True)
        base = self.live_server_url
        page = self.browser.new_page(
            viewport={"width": 1366, "height": 900}, locale="zh-CN"
        )
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        page.goto(f"{base}/login/")
        page.fill("#id_username", "wangkeyuan")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/login/enrol/")
        assert page.locator("h1").inner_text() == "设置两步验证"
        assert page.locator(".mfa-qr svg").count() == 1
        key = page.locator(".mfa-secret").inner_text()
        page.screenshot(path=str(ARTIFACTS / "mfa-enrol.png"), full_page=True)
        page.fill("#id_code", code_from_key(key))
        page.click("button[type=submit]")
        assert page.locator("h1").inner_text() == "恢复码"
        assert page.locator(".mfa-codes li").count() == 10
        page.screenshot(path=str(ARTIFACTS / "mfa-recovery.png"), full_page=True)
        page.click("a.button.primary")
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text() == "您好，王科员"

        page.click("form[action='/logout/'] button")
        page.goto(f"{base}/")
        assert "/login/" in page.url
        page.fill("#id_username", "wangkeyuan")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/login/code/")
        assert page.locator("h1").inner_text() == "两步验证"
        page.fill("#id_code", "000000")
        page.click("button[type=submit]")
        assert "验证码错误或已过期" in page.locator("body").inner_text()
        page.screenshot(path=str(ARTIFACTS / "mfa-verify.png"), full_page=True)
        # django-otp waits a second after a wrong code before it checks again.
        page.wait_for_timeout(1500)
        # The enrolment used this step's code; the next step's is accepted.
        page.fill("#id_code", code_from_key(key, step_ahead=1))
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text() == "您好，王科员"
        page.goto(f"{base}/account/")
        assert "我的账号" in page.locator("h1").inner_text()
        assert "本浏览器" in page.locator("body").inner_text()
        page.screenshot(path=str(ARTIFACTS / "mfa-account.png"), full_page=True)
        assert errors == [], errors
        page.close()
