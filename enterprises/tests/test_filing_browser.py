"""Headless Chromium: a staff member filters the quarterly review list by
street and period, ticks the page, approves after one confirmation and lands
on the same filtered list (test-artifacts/filings-*.png); an enterprise sees
the form's totals computed as it types."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from bureau.models import OrgUnit, Role
from bureau.tests.factories import PASSWORD, OrgUnitFactory, UserFactory
from enterprises.models import FilingStatus, QuarterlyReport
from enterprises.tests.factories import EnterpriseFactory
from tests.helpers import require_service

# As tests/test_browser_smoke.py launches it (not imported from there, so the
# type check of the apps does not pull in the project-level tests).
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


class FilingReviewBrowserTests(StaticLiveServerTestCase):
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
        self.mine = [
            self.report(self.street_a, f"杭州云河科技有限公司{n}") for n in range(3)
        ]
        self.others = [
            self.report(street_b, "杭州湖墅科技有限公司"),
            self.report(self.street_a, "杭州米市科技有限公司", quarter=2),
        ]
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)

    def report(self, street: OrgUnit, name: str, quarter: int = 3) -> QuarterlyReport:
        return QuarterlyReport.objects.create(
            enterprise=EnterpriseFactory(org_unit=street, name=name),
            year=2025,
            quarter=quarter,
            status=FilingStatus.SUBMITTED,
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

    def test_staff_filter_by_street_and_period_and_bulk_approve(self) -> None:
        page = self.login("wangkeyuan")
        page.goto(f"{self.live_server_url}/filings/quarterly/")
        page.select_option("#id_street", label="米市巷街道")
        page.select_option("#id_period", label="2025年第三季度")
        page.select_option("#id_state", label="待审核")
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state()
        filtered = page.url
        assert page.locator("[data-count]").get_attribute("data-count") == "3"
        assert page.locator("[data-bulk-submit]").is_disabled()
        page.check("[data-tick-all]")
        assert page.locator("[data-bulk-count]").inner_text() == "已选 3 份"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "filings-list.png"), full_page=True)
        page.click("[data-bulk-submit]")
        page.wait_for_load_state()
        items = page.locator(".confirm-items li").all_inner_texts()
        assert len(items) == 3, items
        assert "杭州云河科技有限公司02025年第三季度报表" in items, items
        page.screenshot(path=str(ARTIFACTS / "filings-confirm.png"), full_page=True)
        page.click(".confirm-actions button[type=submit]")
        page.wait_for_load_state()
        assert page.url == filtered, page.url
        message = page.locator(".messages li").first.inner_text()
        assert message.startswith("已批量通过3份季度报表"), message
        page.close()
        statuses = {
            r.pk: r.status
            for r in QuarterlyReport.objects.filter(
                pk__in=[r.pk for r in self.mine + self.others]
            )
        }
        assert all(statuses[r.pk] == FilingStatus.ACCEPTED for r in self.mine)
        assert all(statuses[r.pk] == FilingStatus.SUBMITTED for r in self.others)

    def test_the_form_computes_totals_as_the_enterprise_types(self) -> None:
        enterprise = self.mine[0].enterprise
        UserFactory(username="chenzy", role=Role.ENTERPRISE, enterprise=enterprise)
        page = self.login("chenzy")
        errors: list[str] = []
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.location.get("url", "").endswith("/favicon.ico")
                and errors.append(m.text)
            ),
        )
        page.goto(f"{self.live_server_url}/filings/annual/new/")
        page.fill("#id_main_business_revenue", "3,000")
        page.fill("#id_other_business_revenue", "100")
        page.fill("#id_rd_personnel", "124")
        sales = page.locator('output[data-computed="sales_revenue"]').inner_text()
        ratio = page.locator('output[data-computed="rd_sales_ratio"]').inner_text()
        assert sales == "3,100.00 万元", sales
        assert ratio == "4.0%", ratio
        page.screenshot(path=str(ARTIFACTS / "filings-form.png"), full_page=True)
        page.close()
        assert not errors, errors
