"""Each role's main journey, in Chromium, through the pages a person clicks:
the enterprise applies to an open call, staff pass the formal check and
draw the experts, the expert declares and scores, the section head closes
the panel and approves in 万元, the leader reads the dashboard and downloads
the Word summary, the street liaison imports the indicator template, and
the enterprise files its quarterly report.

At every home page each work queue's count equals the rows of the lists its
links open; after every action the page says in Chinese what was done; no
visited page shows English or a raw code, nor logs a console error. Each
step is photographed to test-artifacts/journeys/<role>-<step>.png.

The data is built once with the factories and services (a
TransactionTestCase flushes between methods, so the chain is one test)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone

from bureau.models import OrgUnit, Role, User
from bureau.tests.factories import OrgUnitFactory, UserFactory
from bureau.tests.test_home_queues import shown
from enterprises.models import FilingStatus, QuarterlyReport
from enterprises.monitoring import latest_due_quarter
from enterprises.tests.factories import EnterpriseFactory
from indicators.models import DataValue
from indicators.tests.factories import target, value
from projects.models import Application
from projects.tests.factories import make_call, make_expert
from tests.browser import (
    ARTIFACTS,
    BrowserTestCase,
    leaks,
    page_text,
    watch_console,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, FilePayload, Page

SHOTS = ARTIFACTS / "journeys"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "工业视觉质检平台"


def docx_bytes(text: str) -> bytes:
    """A small real Word file (the upload check reads its content)."""
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Journey:
    """One person's tab: logged in through the login page; every page it
    shows is checked for English and raw codes and photographed."""

    def __init__(self, case: RoleJourneyTests, user: User, role: str) -> None:
        self.case = case
        self.user = user
        self.role = role
        self.context: BrowserContext = case.new_context(accept_downloads=True)
        self.page: Page = self.context.new_page()
        self.errors = watch_console(self.page)
        self.homes = 0
        case.log_in(self.page, user.username)

    @property
    def base(self) -> str:
        return self.case.live_server_url

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response)

    def body(self) -> str:
        return self.page.locator("body").inner_text()

    def shot(self, step: str) -> None:
        """Check the visible text of the page, then photograph it."""
        found = leaks(self.body()) + leaks(page_text(self.page.content()))
        self.case.assertEqual(found, [], f"{self.role}-{step}: {self.page.url}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(SHOTS / f"{self.role}-{step}.png"), full_page=True
        )

    def says(self, message: str) -> None:
        """The page's success message names what was done."""
        messages = self.page.locator(".messages li.success").all_inner_texts()
        self.case.assertTrue(
            any(message in m for m in messages), (self.role, message, messages)
        )
        self.case.assertFalse(any(m.strip() == "已办理。" for m in messages))

    def submit(self, selector: str) -> None:
        """Click a submit button and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.click(selector)

    def queues(self, expected: dict[str, int]) -> None:
        """On the home page: each `[data-queue]` has the expected count, and
        its "查看全部" links open lists of exactly that many rows (plus the
        items no list holds)."""
        self.go("/")
        found: dict[str, tuple[int, list[str]]] = {}
        for panel in self.page.locator("[data-queue]").all():
            name = panel.get_attribute("data-queue") or ""
            count = int(panel.get_attribute("data-count") or "0")
            links = [
                a.get_attribute("href") or "" for a in panel.locator("p.more a").all()
            ]
            found[name] = (count, links)
        if "my_tasks" in found:
            # 我的督办任务 (every role that owns tasks): none in these journeys.
            expected = {"my_tasks": 0, **expected}
        self.case.assertEqual(
            {name: c for name, (c, _links) in found.items()}, expected, self.role
        )
        self.homes += 1
        self.shot(f"home{self.homes}")
        lister = self.context.new_page()
        errors = watch_console(lister)
        for name, (count, links) in found.items():
            listed = 0
            for href in links:
                response = lister.goto(self.base + href)
                assert response is not None and response.status == 200, href
                html = lister.content()
                listed += shown(name, href, html)
                self.case.assertEqual(leaks(page_text(html)), [], href)
            self.case.assertEqual(
                listed + unlisted(self.user, name), count, (self.role, name, links)
            )
        lister.close()
        self.case.assertEqual(errors, [], self.role)

    def done(self) -> None:
        self.case.assertEqual(self.errors, [], self.role)
        self.context.close()


def unlisted(user: User, queue: str) -> int:
    """The queue items no list shows: reports not yet started (the street
    figures due have their own list, /work/street_figures/)."""
    if queue == "filings_due":
        from enterprises.selectors import filings_due

        return len(filings_due(user=user))
    return 0


def unit(**fields: Any) -> OrgUnit:
    return cast(OrgUnit, OrgUnitFactory(**fields))


def person(username: str, name: str, role: str, **fields: Any) -> User:
    return cast(
        User, UserFactory(username=username, full_name=name, role=role, **fields)
    )


class RoleJourneyTests(BrowserTestCase):
    # The indicators and tiers come from data migrations, which a
    # TransactionTestCase's flush would otherwise remove.
    serialized_rollback = True

    def setUp(self) -> None:
        super().setUp()
        self.year = timezone.localdate().year
        city = unit(code="330100", name="杭州市", level=OrgUnit.Level.CITY)
        self.district = unit(
            code="330105",
            name="拱墅区",
            level=OrgUnit.Level.DISTRICT,
            parent=city,
            is_home=True,
        )
        self.street = unit(code="330105001", name="米市巷街道", parent=self.district)
        self.other_street = unit(
            code="330105002", name="湖墅街道", parent=self.district
        )
        self.enterprise = EnterpriseFactory(
            org_unit=self.street, name="杭州云河智能科技有限公司"
        )
        self.ent_user = person(
            "yunhe", "赵经理", Role.ENTERPRISE, enterprise=self.enterprise
        )
        self.officer = person("wangkeyuan", "王科员", Role.STAFF)
        self.head = person("likezhang", "李科长", Role.SECTION_HEAD)
        self.leader = person("zhangjuzhang", "张局长", Role.LEADER)
        self.liaison = person(
            "jiedao", "陈联络员", Role.STREET_LIAISON, org_unit=self.street
        )
        self.expert = person("zhoujiaoshou", "周教授", Role.EXPERT)
        make_expert(self.expert, "周教授")
        make_expert(
            person("wujiaoshou", "吴教授", Role.EXPERT),
            "吴教授",
            organisation="浙江大学",
        )
        self.call = make_call(
            self.officer, required_attachments=["项目申报书", "财务报表"]
        )
        for where, amount, goal in (
            (self.district, "12000", "15000"),
            (self.street, "4500", "4000"),
            (self.other_street, "1000", "4000"),  # behind: 黑榜
        ):
            value("rd_spending", where, self.year, amount)
            target("rd_spending", where, self.year, goal)

    def test_each_role_walks_its_journey(self) -> None:
        app = self.enterprise_files_and_applies()
        self.staff_checks_and_draws(app)
        self.expert_scores(app)
        self.head_closes_the_panel_and_approves(app)
        self.leader_reads_the_dashboard()
        self.liaison_imports_the_street_figures()

    # --- The journeys -------------------------------------------------------

    def enterprise_files_and_applies(self) -> Application:
        me = Journey(self, self.ent_user, "enterprise")
        # Due: the latest quarter's report and last year's annual return.
        me.queues({"open_calls": 1, "my_actions": 0, "filings_due": 2})
        self.enterprise_files(me)
        me.queues({"open_calls": 1, "my_actions": 0, "filings_due": 1})
        # From the queue to the call, then its application form.
        me.page.click(f"[data-queue=open_calls] a[href*='{self.call.pk}']")
        me.page.wait_for_load_state()
        me.shot("call")
        me.go(f"/projects/calls/{self.call.pk}/apply/")
        me.page.fill("#id_title", TITLE)
        me.page.fill("#id_summary", "基于深度学习的产线缺陷识别")
        me.page.fill("#id_requested_amount", "80")
        budget = me.page.locator("fieldset[data-prefix=budget]")
        me.page.select_option("#id_budget-0-category", "equipment")
        me.page.fill("#id_budget-0-amount", "50")
        budget.locator("[data-add]").click()
        me.page.select_option("#id_budget-1-category", "labour")
        me.page.fill("#id_budget-1-amount", "30")
        self.assertEqual(budget.locator("[data-diff]").inner_text(), "与之相符")
        me.shot("apply-form")
        me.submit("form button.primary[type=submit]")
        me.says(f"已保存《{TITLE}》草稿")
        me.shot("draft")
        app = Application.objects.get(title=TITLE)
        self.assertEqual(app.requested_amount, Decimal("800000"))
        # The required attachments, one a PDF and one a Word file.
        for kind, name, content in (
            ("项目申报书", "申报书.pdf", PDF),
            ("财务报表", "财务报表.docx", docx_bytes("2025年度财务报表")),
        ):
            me.page.fill("#attachment-kind", kind)
            upload: FilePayload = {"name": name, "mimeType": "", "buffer": content}
            me.page.set_input_files("#attachment-file", files=[upload])
            me.submit("form[action$='/attach/'] button[type=submit]")
            me.says(f"已将{name}作为“{kind}”上传到《{TITLE}》")
        me.shot("attached")
        me.submit("form.move:has(input[value=submitted]) button[type=submit]")
        me.says(f"已将《{TITLE}》提交形式审查")
        me.shot("submitted")
        # Applied: the call leaves the queue.
        me.queues({"open_calls": 0, "my_actions": 0, "filings_due": 1})
        me.done()
        app.refresh_from_db()
        self.assertEqual(app.state, Application.State.SUBMITTED)
        return app

    def enterprise_files(self, me: Journey) -> None:
        """From the queue to the quarterly report's form: figures in 万元,
        saved and submitted."""
        year, quarter = latest_due_quarter(timezone.localdate())
        period = QuarterlyReport.period_label(year, quarter)
        me.page.click("[data-queue=filings_due] a[href*='/filings/quarterly/new/']")
        me.page.wait_for_load_state()
        self.assertEqual(
            int(me.page.locator("#id_quarter").input_value()), quarter, period
        )
        for field, figure in (
            ("revenue_ytd", "1,250.5"),
            ("profit_ytd", "180"),
            ("tax_ytd", "36.2"),
            ("rd_ytd", "96"),
            ("exports_ytd", "0"),
            ("staff", "86"),
        ):
            me.page.fill(f"#id_{field}", figure)
        me.shot("quarterly-form")
        me.submit("form[data-filing-form] button[name=submit]")
        me.says(f"已报送杭州云河智能科技有限公司{period}报表，等待科技局审核")
        me.shot("quarterly-submitted")
        report = QuarterlyReport.objects.get(
            enterprise=self.ent_user.enterprise, year=year, quarter=quarter
        )
        self.assertEqual(report.status, FilingStatus.SUBMITTED)
        self.assertEqual(report.revenue_ytd, Decimal("12505000"))

    def staff_checks_and_draws(self, app: Application) -> None:
        me = Journey(self, self.officer, "staff")
        me.queues(
            {
                "formal_check": 1,
                "filings_to_review": 1,
                "overdue_followups": 0,
                "expiring": 0,
            }
        )
        me.page.click(f"[data-queue=formal_check] a[href$='/{app.pk}/']")
        me.page.wait_for_load_state()
        me.shot("application")
        me.submit("form.move:has(input[value=under_review]) button[type=submit]")
        me.says(f"《{TITLE}》已通过形式审查，进入专家评审")
        me.submit("form[action$='/draw/'] button[type=submit]")
        me.says(f"已为《{TITLE}》抽取2名评审专家")
        me.shot("drawn")
        self.assertIn("周教授", me.body())
        self.assertIn("吴教授", me.body())
        me.queues(
            {
                "formal_check": 0,
                "filings_to_review": 1,
                "overdue_followups": 0,
                "expiring": 0,
            }
        )
        me.done()

    def expert_scores(self, app: Application) -> None:
        me = Journey(self, self.expert, "expert")
        me.queues({"reviews": 1})
        me.page.click("[data-queue=reviews] a[href*='/projects/reviews/']")
        me.page.wait_for_load_state()
        if me.page.locator("button[name=declare][value=none]").count():
            me.shot("declare")
            me.submit("button[name=declare][value=none]")
            me.says(f"您已声明与《{TITLE}》无利益冲突")
        # The attachments open once declared.
        self.assertIn("申报书.pdf", me.body())
        criteria = list(app.call.criteria.order_by("id"))
        for criterion, score in zip(criteria, ("90", "40"), strict=True):
            me.page.fill(f"#score-{criterion.pk}", score)
        me.page.fill("#review-opinion", "技术路线清晰，产业化前景好。")
        me.shot("scoring")
        me.submit("form.form-grid button.primary[type=submit]")
        # 90/100 × 0.6 + 40/50 × 0.4 = 86 points out of 100.
        me.says(f"已提交《{TITLE}》的评分")
        # Read-only now: the scores, the total and the date; no form.
        self.assertEqual(me.page.locator("[data-weighted-score]").inner_text(), "86.00")
        self.assertEqual(me.page.locator("[data-review-submitted]").count(), 1)
        self.assertEqual(me.page.locator("input[type=number]").count(), 0)
        scores = me.page.locator("table tbody").inner_text()
        self.assertIn("90", scores)
        self.assertIn("40", scores)
        me.shot("scored")
        me.queues({"reviews": 0})
        me.done()

    def head_closes_the_panel_and_approves(self, app: Application) -> None:
        me = Journey(self, self.head, "head")
        me.queues(
            {
                "decisions": 1,
                # A review is missing: not ready to close by itself.
                "panels": 0,
                "formal_check": 0,
                "filings_to_review": 1,
                "overdue_followups": 0,
            }
        )
        # From the decision waiting to its call's panel.
        me.page.click(f"[data-queue=decisions] a[href$='/{app.pk}/']")
        me.page.wait_for_load_state()
        me.shot("decision")
        me.page.click(f".page-head a[href$='/projects/calls/{self.call.pk}/']")
        me.page.wait_for_load_state()
        # The call still takes applications: closing early needs a reason.
        me.page.click("#panel details.add summary")
        me.page.fill("#close-reason", "评审专家已到位，提前组织会评")
        me.shot("panel")
        me.submit("#panel form[action$='/close-panel/'] button[type=submit]")
        # Step two: the confirmation names the application missing a review.
        confirm = me.page.locator("[data-confirm]")
        self.assertIn(self.call.title, confirm.inner_text())
        self.assertIn(f"{TITLE}（杭州云河智能科技有限公司）", confirm.inner_text())
        self.assertIn("1", confirm.inner_text())
        me.shot("close-confirm")
        me.submit("[data-confirm] button[type=submit]")
        me.says(f"已结束《{self.call.title}》的评审，1项申报缺少评审意见")
        me.shot("panel-closed")
        # The decision: 60 万元, confirmed in words.
        me.go(f"/projects/applications/{app.pk}/")
        me.page.fill("#id_approved_amount", "60")
        me.submit("form.move:has(input[value=approved]) button[type=submit]")
        confirm = me.page.locator("[data-confirm]")
        self.assertIn("60万元", confirm.inner_text())
        self.assertIn("大写", confirm.inner_text())
        self.assertEqual(
            me.page.locator("[data-amount-words]").inner_text(), "人民币陆拾万元整"
        )
        app.refresh_from_db()
        self.assertIsNone(app.approved_amount)  # nothing before the 确认
        me.shot("approve-confirm")
        me.submit("[data-confirm] button[type=submit]")
        me.says(f"已批准《{TITLE}》立项，立项金额60.00万元（人民币陆拾万元整）")
        self.assertEqual(me.page.locator("[data-approved]").inner_text(), "60.00万元")
        me.shot("approved")
        app.refresh_from_db()
        self.assertEqual(app.approved_amount, Decimal("600000"))
        me.queues(
            {
                "decisions": 0,
                "panels": 0,
                "formal_check": 0,
                "filings_to_review": 1,
                "overdue_followups": 0,
            }
        )
        me.done()

    def leader_reads_the_dashboard(self) -> None:
        me = Journey(self, self.leader, "leader")
        me.go("/")
        counts = {
            p.get_attribute("data-queue") or "": int(p.get_attribute("data-count") or 0)
            for p in me.page.locator("[data-queue]").all()
        }
        self.assertGreater(counts["headline"], 0)
        self.assertEqual(counts["lagging_streets"], 1)
        me.queues(counts)
        me.go("/dashboard/")
        me.page.wait_for_selector("[data-chart] canvas")
        self.assertGreater(me.page.locator("[data-chart] canvas").count(), 0)
        me.shot("dashboard")
        # The summary is written by a background job (at once here, as under
        # make run); its page offers the file.
        me.page.click("a[href*='/dashboard/summary/']:not([href*='half'])")
        me.page.wait_for_selector("[data-job-download]")
        me.shot("summary-job")
        with me.page.expect_download() as download_info:
            me.page.click("[data-job-download]")
        download = download_info.value
        self.assertTrue(download.suggested_filename.endswith(".docx"))
        saved = Path(download.path())
        self.assertGreater(saved.stat().st_size, 0)
        self.assertEqual(saved.read_bytes()[:2], b"PK")
        me.done()

    def liaison_imports_the_street_figures(self) -> None:
        """The street's figures due: the template downloaded, one figure
        filled in with openpyxl, imported; it leaves the queue."""
        from openpyxl import load_workbook

        from indicators.selectors.queues import street_figures_due

        due = street_figures_due(user=self.liaison)
        self.assertGreater(len(due), 1)
        me = Journey(self, self.liaison, "liaison")
        me.queues({"street_tasks": len(due), "overdue_followups": 0})
        me.go("/indicators/imports/")
        me.shot("imports")
        with me.page.expect_download() as download_info:
            me.page.click("a[href$='/indicators/imports/template/']")
        download = download_info.value
        self.assertTrue(download.suggested_filename.endswith(".xlsx"))
        template = SHOTS / "liaison-template.xlsx"
        SHOTS.mkdir(parents=True, exist_ok=True)
        download.save_as(template)
        book = load_workbook(template)
        sheet = book["数据"]
        # As a person fills it: row 1 holds the hidden column codes, row 2
        # the Chinese headers, row 3 the example, already on the street.
        self.assertEqual(
            [c.value for c in sheet[2]][:4], ["指标", "街道/单位", "统计期", "数值"]
        )
        self.assertEqual(sheet["B3"].value, "米市巷街道（330105001）")
        # The first figure due, picked from the drop-down's options.
        figure = due[0]
        options = [c.value for c in book["下拉选项"]["A"] if c.value]
        choice = next(o for o in options if o.endswith(f"（{figure.indicator.code}）"))
        sheet["A3"] = choice
        sheet["C3"] = f"{figure.year}-{figure.month:02d}"
        sheet["D3"] = 36
        filled = SHOTS / "liaison-filled.xlsx"
        book.save(filled)
        me.page.set_input_files("input[type=file]", str(filled))
        me.submit("form.filters button.primary[type=submit]")
        self.assertIn("/indicators/imports/", me.page.url)
        me.says("已导入“liaison-filled.xlsx”：新增1个指标值，替换0个")
        status = me.page.locator("#import-status").inner_text()
        self.assertIn("已导入", status)
        me.shot("imported")
        stored = DataValue.objects.get(
            indicator=figure.indicator, org_unit=self.street, year=figure.year
        )
        self.assertEqual(stored.value, Decimal("36"))
        # The figure leaves the street's queue.
        me.queues({"street_tasks": len(due) - 1, "overdue_followups": 0})
        me.done()
