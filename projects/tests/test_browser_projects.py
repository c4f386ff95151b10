"""In a real browser (Debian chromium, launched by tests/browser.py): a
section head types 60 in the approval amount, confirms, and the page shows
60.00万元; an enterprise's budget table adds a row in place, keeps a running
total against the requested amount and takes rows pasted from Excel.
Screenshots go to test-artifacts/."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from bureau.models import Role
from bureau.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from projects.models import Application, ReviewAssignment
from projects.tests.factories import make_application, make_call, make_expert
from tests.browser import BrowserTestCase, home_district, street, watch_console


class ProjectFormsInTheBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        self.enterprise = EnterpriseFactory(
            org_unit=street(home_district()), name="杭州云河智能科技有限公司"
        )
        self.officer = UserFactory(username="wangkeyuan", role=Role.STAFF)
        self.head = UserFactory(
            username="likezhang", full_name="李科长", role=Role.SECTION_HEAD
        )
        self.ent_user = UserFactory(
            username="yunhe", role=Role.ENTERPRISE, enterprise=self.enterprise
        )
        self.call = make_call(self.officer)

    def test_a_section_head_types_sixty_and_approves_sixty_wan(self) -> None:
        expert = make_expert(UserFactory(role=Role.EXPERT), "周教授")
        app = make_application(
            self.call,
            self.ent_user,
            title="智能传感器研发",
            state=Application.State.UNDER_REVIEW,
            requested_amount=Decimal("800000"),
        )
        ReviewAssignment.objects.create(
            application=app,
            expert=expert,
            submitted_at=timezone.now(),
            weighted_score=Decimal("82"),
        )
        self.call.panel_closed_at = timezone.now()
        self.call.save(update_fields=["panel_closed_at"])

        page = self.open_page("likezhang")
        page.goto(f"{self.live_server_url}/projects/applications/{app.pk}/")
        page.fill("#id_approved_amount", "60")
        page.click("form.move:has(input[value=approved]) button[type=submit]")
        page.wait_for_selector("[data-confirm]")
        self.assertEqual(
            page.locator("[data-amount-words]").inner_text(), "人民币陆拾万元整"
        )
        self.assertIn("智能传感器研发", page.locator(".confirm-subject").inner_text())
        self.assertIn("杭州云河智能科技有限公司", page.locator("body").inner_text())
        app.refresh_from_db()
        self.assertIsNone(app.approved_amount)  # nothing before the 确认
        self.shot(page, "projects-approve-confirm", full_page=False)
        page.click("[data-confirm] button[type=submit]")
        page.wait_for_selector("[data-approved]")
        self.assertEqual(page.locator("[data-approved]").inner_text(), "60.00万元")
        self.assertIn("已批准《智能传感器研发》立项", page.locator("body").inner_text())
        app.refresh_from_db()
        self.assertEqual(app.approved_amount, Decimal("600000.00"))
        self.shot(page, "projects-approved")
        page.goto(f"{self.live_server_url}/projects/ledger/")
        self.assertIn("60.00", page.locator("table").inner_text())
        page.close()

    def test_the_budget_table_adds_rows_in_place_with_a_running_total(self) -> None:
        page = self.open_page()
        errors = watch_console(page)
        self.log_in(page, "yunhe")
        page.goto(f"{self.live_server_url}/projects/calls/{self.call.pk}/apply/")
        url = page.url
        page.fill("#id_title", "工业视觉质检平台")
        page.fill("#id_summary", "缺陷识别")
        page.fill("#id_requested_amount", "20")
        budget = page.locator("fieldset[data-prefix=budget]")
        page.select_option("#id_budget-0-category", "equipment")
        page.fill("#id_budget-0-amount", "12")
        self.assertIn("还差 8.00 万元", budget.locator("[data-diff]").inner_text())
        budget.locator("[data-add]").click()
        self.assertEqual(page.url, url)  # in place, no round trip
        self.assertEqual(budget.locator("[data-row]").count(), 2)
        page.select_option("#id_budget-1-category", "labour")
        page.fill("#id_budget-1-amount", "8")
        self.assertEqual(budget.locator("[data-total]").inner_text(), "20.00")
        self.assertEqual(budget.locator("[data-diff]").inner_text(), "与之相符")

        # Two rows copied from Excel, pasted into the second row's first cell.
        page.evaluate(
            """() => {
              const box = document.getElementById("id_budget-1-category");
              const data = new DataTransfer();
              data.setData("text/plain", "劳务费\\t5\\t两人\\n材料费\\t3\\t试剂\\n");
              box.dispatchEvent(new ClipboardEvent("paste",
                {clipboardData: data, bubbles: true, cancelable: true}));
            }"""
        )
        self.assertEqual(budget.locator("[data-row]").count(), 3)
        self.assertEqual(page.input_value("#id_budget-2-category"), "materials")
        self.assertEqual(page.input_value("#id_budget-2-note"), "试剂")
        self.assertEqual(page.locator("#id_budget-TOTAL_FORMS").input_value(), "3")
        self.assertEqual(budget.locator("[data-total]").inner_text(), "20.00")

        # Remove the first row: the others are renumbered in place.
        budget.locator("[data-row]").first.locator("[data-remove]").click()
        self.assertEqual(budget.locator("[data-row]").count(), 2)
        self.assertEqual(page.input_value("#id_budget-0-category"), "labour")
        self.assertIn("还差 12.00 万元", budget.locator("[data-diff]").inner_text())
        page.fill("#id_budget-1-amount", "15")
        self.shot(page, "projects-budget-table")
        page.click("form button.primary[type=submit]")
        page.wait_for_selector("h1")
        app = Application.objects.get()
        self.assertEqual(
            sorted(app.budget_lines.values_list("category", "amount")),
            [("labour", Decimal("50000.00")), ("materials", Decimal("150000.00"))],
        )
        self.assertEqual(errors, [])
        page.close()
