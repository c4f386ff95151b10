"""In Chromium: a section head approves a reward batch in two steps (the
second restating the total in 大写); staff filter the entitlement list by
street, choose the page with the header checkbox, mark them paid after one
confirmation and land on the list as they left it. Screenshots go to
test-artifacts/rewards-*.png."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from bureau.models import Role
from bureau.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from projects.models import Entitlement, Programme, RewardBatch, RewardRule
from tests.browser import BrowserTestCase, home_district, street


class RewardBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        district = home_district()
        self.street_a = street(district)
        street_b = street(district, "330105002", "湖墅街道")
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
        for unit in (self.street_a, self.street_a, street_b):
            Entitlement.objects.create(
                batch=batch,
                rule=rule,
                enterprise=EnterpriseFactory(org_unit=unit),
                amount=Decimal(200_000),
                reason="新认定国家高新技术企业",
            )

    def test_approve_in_two_steps_then_pay_a_street_in_bulk(self) -> None:
        page = self.open_page("likezhang")
        page.goto(f"{self.live_server_url}/rewards/{self.year}/")
        page.click("form[action$='/approve/'] button")
        page.wait_for_load_state()
        body = page.locator("main").inner_text()
        assert "人民币陆拾万元整" in body, body
        assert f"{self.year}年度政策奖补" in body, body
        self.shot(page, "rewards-approve-confirm", full_page=False)
        page.click("button.danger")
        page.wait_for_load_state()
        message = page.locator(".messages").inner_text()
        assert "3家企业" in message and "60万元" in message, message
        page.close()

        page = self.open_page("wangkeyuan")
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
        self.shot(page, "rewards-bulk-pay-confirm", full_page=False)
        page.click("button.danger")
        page.wait_for_load_state()
        assert page.url == filtered, page.url
        message = page.locator(".messages").inner_text()
        assert "已发放2笔政策奖励，合计40万元" in message, message
        self.shot(page, "rewards-after-bulk-pay", full_page=False)
        page.close()
        assert Entitlement.objects.filter(paid_at__isnull=False).count() == 2
