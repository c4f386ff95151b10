"""Headless Chromium: a section clerk picks a person's employer by typing
part of its name in the searchable picker (static/js/autocomplete.js) and
saves; the talent page names the employer
(test-artifacts/talent-picker.png)."""

from __future__ import annotations

from bureau.models import Role
from bureau.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from talent.models import Talent
from tests.browser import BrowserTestCase, home_district, street, watch_console


class TalentPickerBrowserTests(BrowserTestCase):
    def test_the_employer_is_found_by_typing_and_saved(self) -> None:
        from playwright.sync_api import expect

        mishixiang = street(home_district())
        for name in ("杭州云河智能科技有限公司", "杭州云河检测技术有限公司"):
            EnterpriseFactory(name=name, org_unit=mishixiang)
        for index in range(30):
            EnterpriseFactory(
                name=f"杭州其他科技有限公司{index:02d}", org_unit=mishixiang
            )
        UserFactory(username="wangkeyuan", full_name="王科员", role=Role.STAFF)

        page = self.open_page(width=1280)
        errors = watch_console(page)
        self.log_in(page, "wangkeyuan")
        page.goto(f"{self.live_server_url}/talent/new/")
        page.fill("#id_name", "Maria Rossi")
        page.select_option("#id_nationality", "IT")
        page.click("#id_employer")
        page.keyboard.type("检测")
        option = page.locator("[role=listbox] li", has_text="杭州云河检测技术有限公司")
        option.wait_for()
        # The box's focus asks for every employer; an answer that lands after
        # the typing shows them all until the typed search answers: wait for it.
        expect(page.locator("[role=listbox] li")).to_have_count(1)
        self.shot(page, "talent-picker")
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
