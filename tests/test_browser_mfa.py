"""Headless Chromium: a staff user whose role needs two-factor login enrols
an authenticator at first login (QR code, key, recovery codes), logs out and
logs in again with a code (test-artifacts/mfa-*.png)."""

from __future__ import annotations

from base64 import b32decode

from django.test import override_settings
from django_otp.oath import totp

from bureau.models import Role
from bureau.tests.factories import UserFactory
from tests.browser import BrowserTestCase, home_district, watch_console


def code_from_key(key: str, step_ahead: int = 0) -> str:
    raw = key.replace(" ", "")
    secret = b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(secret, step=30, t0=0, digits=6, drift=step_ahead):06d}"


@override_settings(MFA_REQUIRED_ROLES=["staff"])
class BrowserMfaTests(BrowserTestCase):
    def test_a_staff_user_enrols_then_logs_in_with_a_code(self) -> None:
        home_district()
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)
        base = self.live_server_url
        page = self.open_page()
        errors = watch_console(page)

        self.log_in(page, "wangkeyuan", lands_on="/login/enrol/")
        assert page.locator("h1").inner_text() == "设置两步验证"
        assert page.locator(".mfa-qr svg").count() == 1
        key = page.locator(".mfa-secret").inner_text()
        self.shot(page, "mfa-enrol")
        page.fill("#id_code", code_from_key(key))
        page.click("button[type=submit]")
        assert page.locator("h1").inner_text() == "恢复码"
        assert page.locator(".mfa-codes li").count() == 10
        self.shot(page, "mfa-recovery")
        page.click("a.button.primary")
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text() == "您好，王科员"

        page.click("form[action='/logout/'] button")
        page.goto(f"{base}/")
        assert "/login/" in page.url
        self.log_in(page, "wangkeyuan", lands_on="/login/code/")
        assert page.locator("h1").inner_text() == "两步验证"
        page.fill("#id_code", "000000")
        page.click("button[type=submit]")
        assert "验证码错误或已过期" in page.locator("body").inner_text()
        self.shot(page, "mfa-verify")
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
        self.shot(page, "mfa-account")
        assert errors == [], errors
        page.close()
