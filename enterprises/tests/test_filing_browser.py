"""Headless Chromium: a staff member filters the quarterly review list by
street and period, ticks the page, approves after one confirmation and lands
on the same filtered list (test-artifacts/filings-*.png); an enterprise sees
the form's totals computed as it types."""

from __future__ import annotations

from bureau.models import OrgUnit, Role
from bureau.tests.factories import UserFactory
from enterprises.models import FilingStatus, QuarterlyReport
from enterprises.tests.factories import EnterpriseFactory
from tests.browser import BrowserTestCase, home_district, street, watch_console


class FilingReviewBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        district = home_district()
        self.street_a = street(district)
        street_b = street(district, "330105002", "湖墅街道")
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

    def test_staff_filter_by_street_and_period_and_bulk_approve(self) -> None:
        page = self.open_page("wangkeyuan")
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
        self.shot(page, "filings-list")
        page.click("[data-bulk-submit]")
        page.wait_for_load_state()
        items = page.locator(".confirm-items li").all_inner_texts()
        assert len(items) == 3, items
        assert "杭州云河科技有限公司02025年第三季度报表" in items, items
        self.shot(page, "filings-confirm")
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
        page = self.open_page()
        errors = watch_console(page)
        self.log_in(page, "chenzy")
        page.goto(f"{self.live_server_url}/filings/annual/new/")
        page.fill("#id_main_business_revenue", "3,000")
        page.fill("#id_other_business_revenue", "100")
        page.fill("#id_rd_personnel", "124")
        sales = page.locator('output[data-computed="sales_revenue"]').inner_text()
        ratio = page.locator('output[data-computed="rd_sales_ratio"]').inner_text()
        assert sales == "3,100.00 万元", sales
        assert ratio == "4.0%", ratio
        self.shot(page, "filings-form")
        page.close()
        assert not errors, errors
