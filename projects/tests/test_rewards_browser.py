"""In Chromium: a section head approves a reward batch in two steps (the
second restating the total in 大写); staff filter the entitlement list by
street, choose the page with the header checkbox, mark them paid after one
confirmation and land on the list as they left it. Screenshots go to
test-artifacts/rewards-*.png."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.utils import timezone

from bureau.models import OrgUnit, Role
from bureau.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from enterprises.tests.factories import EnterpriseFactory
from projects.models import Entitlement, Programme, RewardBatch, RewardRule
from tests.helpers import require_service

# As tests/test_browser_smoke.py launches it.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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


class RewardBrowserTests(StaticLiveServerTestCase):
    host = "127.0.0.1"
    playwright: Any
    browser: Any

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

    def setUp(self) -> None:
        city = OrgUnitFactory(code="330100", name="杭州市", level=OrgUnit.Level.CITY)
        district = OrgUnitFactory(
            code="330105",
            name="拱墅区",
            level=OrgUnit.Level.DISTRICT,
            parent=city,
            is_home=True,
        )
        self.street_a = OrgUnitFactory(
            code="330105001", name="米市巷街道", parent=district
        )
        street_b = OrgUnitFactory(code="330105002", name="湖墅街道", parent=district)
        UserFactory(username="likezhang", full_name="李科长", role=Role.SECTION_HEAD)
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)
        programme = Programme.objects.create(
            name="研发投入奖励",
            level=Programme.Level.DISTRICT,
            kind=Programme.Kind.REWARD,
        )
        rule = RewardRule.objects.create(
            programme=programme,
            name="新认定国家高新技术企业奖励",
            kind=RewardRule.Kind.NEW_TIER,
            target="hnte",
            amount=Decimal(200_000),
        )
        self.year = timezone.localdate().year - 1
        batch = RewardBatch.objects.create(year=self.year, built_at=timezone.now())
        for street in (self.street_a, self.street_a, street_b):
            Entitlement.objects.create(
                batch=batch,
                rule=rule,
                enterprise=EnterpriseFactory(org_unit=street),
                amount=Decimal(200_000),
                reason="新认定国家高新技术企业",
            )

    def login(self, username: str) -> Any:
        page = self.browser.new_page(
            viewport={"width": 1366, "height": 900}, locale="zh-CN"
        )
        page.goto(f"{self.live_server_url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/")
        return page

    def test_approve_in_two_steps_then_pay_a_street_in_bulk(self) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        page = self.login("likezhang")
        page.goto(f"{self.live_server_url}/rewards/{self.year}/")
        page.click("form[action$='/approve/'] button")
        page.wait_for_load_state()
        body = page.locator("main").inner_text()
        assert "人民币陆拾万元整" in body, body
        assert f"{self.year}年度政策奖补" in body, body
        page.screenshot(path=str(ARTIFACTS / "rewards-approve-confirm.png"))
        page.click("button.danger")
        page.wait_for_load_state()
        message = page.locator(".messages").inner_text()
        assert "3家企业" in message and "60万元" in message, message
        page.close()

        page = self.login("wangkeyuan")
        page.goto(f"{self.live_server_url}/rewards/entitlements/")
        page.select_option("#id_street", str(self.street_a.pk))
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state()
        filtered = page.url
        assert f"street={self.street_a.pk}" in filtered, filtered
        page.check("thead input[data-select-all]")
        assert page.locator("input[name=ids]:checked").count() == 2
        page.click("#bulk-pay button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".confirm-items li").count() == 2
        assert "人民币肆拾万元整" in page.locator("main").inner_text()
        page.screenshot(path=str(ARTIFACTS / "rewards-bulk-pay-confirm.png"))
        page.click("button.danger")
        page.wait_for_load_state()
        assert page.url == filtered, page.url
        message = page.locator(".messages").inner_text()
        assert "已发放2笔政策奖励，合计40万元" in message, message
        page.screenshot(path=str(ARTIFACTS / "rewards-after-bulk-pay.png"))
        page.close()
        assert Entitlement.objects.filter(paid_at__isnull=False).count() == 2
