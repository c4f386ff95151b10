"""The filing review list (filters, sorting, bulk 通过, Excel), the detail
beside last year's with 通过/退回, and the grouped forms in 万元."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import (
    AnnualReturn,
    Enterprise,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.selectors.filings import filings_to_review
from enterprises.services import filings_accept
from enterprises.tests.factories import EnterpriseFactory, award

SUBMITTED_AT = datetime(2026, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def quarterly(
    enterprise: Enterprise,
    year: int = 2026,
    quarter: int = 3,
    status: str = FilingStatus.SUBMITTED,
    **figures: Any,
) -> QuarterlyReport:
    return QuarterlyReport.objects.create(
        enterprise=enterprise,
        year=year,
        quarter=quarter,
        status=status,
        submitted_at=SUBMITTED_AT if status != FilingStatus.DRAFT else None,
        **figures,
    )


def messages_of(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class FilingListTests(CastTestCase):
    url = "/filings/quarterly/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.name = "杭州云河科技有限公司"
        cls.enterprise_a.save(update_fields=["name"])
        award(cls.enterprise_a, Tier.objects.get(code=Tier.HNTE), date(2025, 12, 1))
        cls.a_q3 = quarterly(cls.enterprise_a, revenue_ytd=Decimal("52000000"))
        cls.a_q2 = quarterly(cls.enterprise_a, quarter=2, status=FilingStatus.ACCEPTED)
        cls.b_q3 = quarterly(cls.enterprise_b, revenue_ytd=Decimal("1000000"))

    def ids(self, query: str = "") -> list[int]:
        response = self.client.get(self.url + query)
        self.assertEqual(response.status_code, 200)
        return [f.pk for f in response.context["page"].object_list]

    def test_it_filters_by_name_code_street_period_state_and_tier(self) -> None:
        self.client.force_login(self.officer)
        a, a2, b = self.a_q3.pk, self.a_q2.pk, self.b_q3.pk
        self.assertCountEqual(self.ids(), [a, a2, b])
        self.assertCountEqual(self.ids("?q=云河"), [a, a2])
        code = self.enterprise_b.credit_code
        self.assertCountEqual(self.ids(f"?q={code.lower()}"), [b])
        self.assertCountEqual(self.ids(f"?street={self.street_b.pk}"), [b])
        self.assertCountEqual(self.ids("?period=2026Q2"), [a2])
        self.assertCountEqual(self.ids("?state=submitted"), [a, b])
        self.assertCountEqual(self.ids(f"?tier={Tier.HNTE}"), [a, a2])
        self.assertCountEqual(self.ids("?tier=none"), [b])
        # Nonsense is ignored, never an error page.
        self.assertCountEqual(self.ids("?state=x&period=soon&street=abc"), [a, a2, b])

    def test_it_offers_the_periods_present_in_chinese(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get(self.url)
        self.assertContains(page, '<option value="2026Q3">2026年第三季度</option>')
        self.assertContains(page, '<option value="2026Q2">2026年第二季度</option>')
        self.assertNotContains(page, "2026Q1")

    def test_it_sorts_by_whitelisted_keys_only(self) -> None:
        self.client.force_login(self.officer)
        by_revenue = self.ids("?state=submitted&sort=-revenue")
        self.assertEqual(by_revenue, [self.a_q3.pk, self.b_q3.pk])
        self.assertEqual(
            self.ids("?state=submitted&sort=revenue"), [self.b_q3.pk, self.a_q3.pk]
        )
        # An unknown key falls back to the default, never to an ORM lookup.
        self.assertEqual(len(self.ids("?sort=enterprise__users__password")), 3)

    def test_the_liaison_reads_only_its_street(self) -> None:
        self.client.force_login(self.liaison)
        self.assertCountEqual(self.ids(), [self.a_q3.pk, self.a_q2.pk])
        page = self.client.get(self.url)
        self.assertNotContains(page, 'name="ids"')
        self.assertNotContains(page, "批量通过")
        # Another street is not offered; its id is ignored, never widens.
        self.assertCountEqual(
            self.ids(f"?street={self.street_b.pk}"), [self.a_q3.pk, self.a_q2.pk]
        )

    def test_the_queue_links_work_and_count_what_the_list_shows(self) -> None:
        self.client.force_login(self.officer)
        shown = self.client.get(self.url + "?state=submitted").context["page"]
        waiting = filings_to_review(user=self.officer, model=QuarterlyReport)
        self.assertEqual(waiting.count(), shown.paginator.count)
        self.client.force_login(self.liaison)
        street = self.client.get(self.url + f"?street={self.street_a.pk}")
        self.assertEqual(street.context["page"].paginator.count, 2)

    def test_roles_that_never_read_filings_are_refused(self) -> None:
        for user in (self.admin, self.auditor, self.expert):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_pager_keeps_the_filters(self) -> None:
        for _n in range(55):
            quarterly(EnterpriseFactory(org_unit=self.street_b))
        self.client.force_login(self.officer)
        page = self.client.get(self.url + f"?state=submitted&street={self.street_b.pk}")
        self.assertContains(
            page, f"state=submitted&amp;street={self.street_b.pk}&amp;page=2"
        )
        second = self.client.get(
            self.url + f"?state=submitted&street={self.street_b.pk}&page=2"
        )
        self.assertEqual(len(second.context["page"].object_list), 6)

    def test_the_list_has_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.officer)
        url = self.url + "?state=submitted"
        # session, user, streets, periods, tiers, count, page (enterprise,
        # street and current tier joined or as subqueries): 7, whatever the
        # number of rows.
        with self.assertNumQueries(7):
            self.client.get(url)
        for n in range(60):
            enterprise = EnterpriseFactory(org_unit=self.street_b)
            award(enterprise, Tier.objects.get(code=Tier.TECH_SME), date(2026, 5, 1))
            quarterly(enterprise, revenue_ytd=Decimal(n))
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertEqual(response.context["page"].paginator.count, 62)
        with self.assertNumQueries(7):
            self.client.get(url + "&sort=street&page=2")

    def test_the_export_is_the_filtered_list_in_wan(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(self.url + "?q=云河&state=submitted&export=xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        self.assertIn("营业收入（累计，万元）", header)
        self.assertIn("季末从业人员（人）", header)
        self.assertEqual(
            header[:5], ("企业", "统一社会信用代码", "街道/园区", "当前梯队", "期间")
        )
        self.assertEqual(len(rows), 2)
        row = dict(zip(header, rows[1], strict=True))
        self.assertEqual(row["企业"], "杭州云河科技有限公司")
        self.assertEqual(row["营业收入（累计，万元）"], 5200)
        self.assertEqual(row["状态"], "待审核")
        self.assertEqual(row["期间"], "2026年第三季度")
        annual = AnnualReturn.objects.create(
            enterprise=self.enterprise_a,
            year=2025,
            main_business_revenue=Decimal("30000000"),
            other_business_revenue=Decimal("1000000"),
            rd_personnel=Decimal("1500000"),
        )
        book = self.client.get("/filings/annual/?export=xlsx")
        rows = list(
            load_workbook(io.BytesIO(book.content))
            .worksheets[0]
            .iter_rows(values_only=True)
        )
        row = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(row["期间"], "2025年度")
        self.assertEqual(row["销售收入（万元）"], 3100)
        self.assertEqual(row["研究开发费用（万元）"], 150)
        self.assertEqual(row["状态"], "草稿")
        self.assertEqual(annual.sales_revenue, Decimal("31000000"))
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get(self.url + "?export=xlsx").status_code, 403)


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class BulkApproveTests(CastTestCase):
    url = "/filings/quarterly/approve/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.name = "杭州云河科技有限公司"
        cls.enterprise_a.save(update_fields=["name"])
        cls.a = quarterly(cls.enterprise_a)
        cls.b = quarterly(cls.enterprise_b)
        cls.done = quarterly(cls.enterprise_b, quarter=2, status=FilingStatus.ACCEPTED)

    def test_one_confirmation_lists_the_items_then_all_are_approved(self) -> None:
        self.client.force_login(self.officer)
        back = "/filings/quarterly/?state=submitted&page=1"
        data = {"ids": [self.a.pk, self.b.pk, self.done.pk], "next": back}
        first = self.client.post(self.url, data)
        self.assertEqual(first.status_code, 200)
        self.assertContains(first, "杭州云河科技有限公司2026年第三季度报表")
        self.assertContains(first, self.enterprise_b.name)
        self.assertContains(first, "不是待审核状态")  # the accepted one is named
        self.assertContains(first, 'name="confirmed" value="1"')
        self.assertEqual(
            QuarterlyReport.objects.filter(status=FilingStatus.SUBMITTED).count(), 2
        )
        second = self.client.post(self.url, {**data, "confirmed": "1"})
        self.assertRedirects(second, back, fetch_redirect_response=False)
        self.assertFalse(
            QuarterlyReport.objects.filter(status=FilingStatus.SUBMITTED).exists()
        )
        events = AuditEvent.objects.filter(action="quarterly_report.accept")
        self.assertCountEqual(
            events.values_list("object_id", flat=True),
            [str(self.a.pk), str(self.b.pk)],
        )
        (message,) = messages_of(second)
        self.assertIn("已批量通过2份季度报表", message)
        self.assertIn("杭州云河科技有限公司2026年第三季度报表", message)

    def test_it_returns_to_the_list_not_elsewhere(self) -> None:
        self.client.force_login(self.officer)
        for evil in (
            "https://evil.example/",
            "//evil.example/",
            "/admin/",
            "/filings/quarterly/../../admin/",
        ):
            with self.subTest(next=evil):
                response = self.client.post(
                    self.url, {"ids": [self.a.pk], "next": evil, "confirmed": "1"}
                )
                self.assertRedirects(
                    response, "/filings/quarterly/", fetch_redirect_response=False
                )

    def test_nothing_ticked_says_what_to_do(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(self.url, {"ids": [self.done.pk]})
        self.assertEqual(response.status_code, 302)
        self.assertIn("请至少勾选一份待审核的报表", messages_of(response)[0])

    def test_readers_may_not_approve(self) -> None:
        for user in (self.leader, self.liaison, self.ent_user):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.post(
                    self.url, {"ids": [self.a.pk], "confirmed": "1"}
                )
                self.assertEqual(response.status_code, 403)
        self.a.refresh_from_db()
        self.assertEqual(self.a.status, FilingStatus.SUBMITTED)

    def test_the_service_is_all_or_nothing(self) -> None:
        from bureau.lib.exceptions import ApplicationError

        with self.assertRaises(ApplicationError):
            filings_accept(
                model=QuarterlyReport, ids=[self.a.pk, self.done.pk], by=self.officer
            )
        self.a.refresh_from_db()
        self.assertEqual(self.a.status, FilingStatus.SUBMITTED)

    def test_139_reports_are_approved_in_a_few_queries(self) -> None:
        ids = [self.a.pk, self.b.pk]
        for _n in range(137):
            ids.append(quarterly(EnterpriseFactory(org_unit=self.street_a)).pk)
        with CaptureQueriesContext(connection) as queries:
            done = filings_accept(model=QuarterlyReport, ids=ids, by=self.officer)
        self.assertEqual(len(done), 139)
        self.assertLess(len(queries), 12)
        self.assertEqual(
            AuditEvent.objects.filter(action="quarterly_report.accept").count(), 139
        )

    def test_the_api_approves_in_bulk_in_yuan_terms(self) -> None:
        self.client.force_login(self.head)
        url = "/api/v1/quarterly-reports/approve/"
        refused = self.post_json(url, {"ids": [self.a.pk, self.done.pk]})
        self.assertEqual(refused.status_code, 409, refused.content)
        ok = self.post_json(url, {"ids": [self.a.pk, self.b.pk]})
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertCountEqual(ok.json()["approved"], [self.a.pk, self.b.pk])
        self.client.force_login(self.liaison)
        self.assertEqual(self.post_json(url, {"ids": [self.a.pk]}).status_code, 403)


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class FilingDetailTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.name = "杭州云河科技有限公司"
        cls.enterprise_a.save(update_fields=["name"])
        cls.last = quarterly(
            cls.enterprise_a,
            year=2025,
            status=FilingStatus.ACCEPTED,
            revenue_ytd=Decimal("40000000"),
        )
        cls.report = quarterly(cls.enterprise_a, revenue_ytd=Decimal("52000000"))
        cls.url = f"/filings/quarterly/{cls.report.pk}/"

    def test_figures_are_in_wan_beside_last_year_with_the_change(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get(self.url)
        self.assertNotContains(page, "52000000")
        self.assertContains(page, "5,200.00")
        self.assertContains(page, "4,000.00")
        self.assertContains(page, "+1,200.00")
        self.assertContains(page, "+30.0%")
        self.assertContains(page, "2025年第三季度")
        self.assertContains(page, ">通过</button>")
        self.assertContains(page, ">退回</button>")

    def test_approving_confirms_then_names_the_filing(self) -> None:
        self.client.force_login(self.officer)
        review = f"/filings/quarterly/{self.report.pk}/review/"
        back = "/filings/quarterly/?street=1&page=2"
        first = self.client.post(review, {"accept": "1", "next": back})
        self.assertContains(first, "杭州云河科技有限公司2026年第三季度报表")
        self.assertContains(first, "5,200万元")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, FilingStatus.SUBMITTED)
        second = self.client.post(
            review, {"accept": "1", "next": back, "confirmed": "1"}
        )
        self.assertRedirects(second, back, fetch_redirect_response=False)
        self.assertEqual(
            messages_of(second), ["已通过杭州云河科技有限公司2026年第三季度报表。"]
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, FilingStatus.ACCEPTED)

    def test_returning_needs_a_reason_shown_beside_the_box(self) -> None:
        self.client.force_login(self.officer)
        review = f"/filings/quarterly/{self.report.pk}/review/"
        bare = self.client.post(review, {"accept": "0", "reason": " "})
        self.assertEqual(bare.status_code, 200)
        self.assertContains(bare, "请填写退回原因")
        returned = self.client.post(review, {"accept": "0", "reason": "营收口径有误"})
        self.assertEqual(returned.status_code, 302)
        self.assertEqual(
            messages_of(returned),
            ["已退回杭州云河科技有限公司2026年第三季度报表，退回原因：营收口径有误"],
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, FilingStatus.RETURNED)

    def test_liaison_and_leader_read_only(self) -> None:
        for user in (self.liaison, self.leader):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(self.url)
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "5,200.00")
                self.assertNotContains(page, ">通过</button>")
                self.assertNotContains(page, 'name="revenue_ytd"')
                review = f"/filings/quarterly/{self.report.pk}/review/"
                self.assertEqual(
                    self.client.post(review, {"accept": "1"}).status_code, 403
                )
                self.assertEqual(
                    self.client.post(self.url, {"revenue_ytd": "1"}).status_code, 403
                )
        other = quarterly(self.enterprise_b)
        self.client.force_login(self.liaison)
        self.assertEqual(
            self.client.get(f"/filings/quarterly/{other.pk}/").status_code, 404
        )

    def test_a_closed_filing_refuses_changes_with_409(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(self.url, {"revenue_ytd": "1"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "不能再修改", status_code=409)


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class FilingFormTests(CastTestCase):
    def test_the_annual_form_is_grouped_defaults_the_year_and_takes_wan(self) -> None:
        self.client.force_login(self.ent_user)
        page = self.client.get("/filings/annual/new/")
        html = page.content.decode()
        legends = ["基本情况", "人员情况", "研究开发费用", "收入情况", "知识产权"]
        positions = [html.index(f"<legend>{name}</legend>") for name in legends]
        self.assertEqual(positions, sorted(positions))
        self.assertContains(page, '<option value="2025" selected>2025年度</option>')
        self.assertContains(page, 'data-computed="sales_revenue"')
        self.assertContains(page, "filing-form.js")
        self.assertNotIn("<script>", html)
        self.assertNotIn("onclick", html)
        response = self.client.post(
            "/filings/annual/new/",
            {
                "year": "2025",
                "main_business_revenue": "3,000",
                "other_business_revenue": "100",
                "total_income": "3150",
                "hightech_income": "2500",
                "rd_personnel": "120.5",
                "staff_total": "80",
                "tech_staff": "16",
                "total_assets": "4000",
                "net_assets": "2000",
                "save": "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content)
        filing = AnnualReturn.objects.get()
        self.assertEqual(filing.main_business_revenue, Decimal("30000000.00"))
        self.assertEqual(filing.rd_personnel, Decimal("1205000.00"))
        self.assertEqual(filing.profit, Decimal(0))  # left blank: nought
        self.assertIsNone(filing.rd_super_deduction)
        self.assertEqual(
            messages_of(response),
            [f"已将{self.enterprise_a.name}2025年度年报保存为草稿。"],
        )
        # Shown back in 万元, not raw 元.
        edit = self.client.get(f"/filings/annual/{filing.pk}/")
        self.assertContains(edit, 'value="3,000"')
        self.assertNotContains(edit, "30000000")

    def test_an_error_keeps_every_value_with_a_summary_at_the_top(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            "/filings/annual/new/",
            {
                "year": "2025",
                "main_business_revenue": "3000",
                "total_income": "3100",
                "staff_total": "10",
                "tech_staff": "20",
                "total_assets": "六十",
                "submit": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="六十"')
        self.assertContains(response, 'value="3000"')
        self.assertContains(response, "data-error-summary")
        self.assertContains(response, 'href="#id_total_assets"')
        self.assertContains(response, "请更正以下")
        self.assertFalse(AnnualReturn.objects.exists())

    def test_the_quarterly_form_speaks_of_quarter_end_not_annual_averages(
        self,
    ) -> None:
        self.client.force_login(self.ent_user)
        page = self.client.get("/filings/quarterly/new/")
        self.assertContains(page, "季末最后一天的从业人员人数")
        self.assertNotContains(page, "全年平均数。")
        self.assertContains(page, '<option value="3" selected>第三季度</option>')
        self.assertContains(page, '<option value="2026" selected>2026</option>')

    def test_submitting_names_the_filing(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            "/filings/quarterly/new/",
            {"year": "2026", "quarter": "3", "revenue_ytd": "900", "submit": ""},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            messages_of(response),
            [f"已报送{self.enterprise_a.name}2026年第三季度报表，等待科技局审核。"],
        )
        report = QuarterlyReport.objects.get()
        self.assertEqual(report.revenue_ytd, Decimal("9000000.00"))
        self.assertEqual(report.status, FilingStatus.SUBMITTED)


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class ApproveWhatTheFiltersFindTests(CastTestCase):
    def test_it_confirms_the_filings_found_and_approves_only_those(self) -> None:
        found = [quarterly(EnterpriseFactory(org_unit=self.street_b)) for _ in range(3)]
        elsewhere = quarterly(self.enterprise_a)
        self.client.force_login(self.officer)
        back = f"/filings/quarterly/?street={self.street_b.pk}&page=1"
        first = self.client.post(
            "/filings/quarterly/approve/",
            {
                "scope": "filtered",
                "filters": f"street={self.street_b.pk}&period=2026Q3&state=",
                "next": back,
            },
        )
        self.assertEqual(first.status_code, 200)
        self.assertContains(first, "将通过以下3份季度报表")
        for report in found:
            self.assertContains(first, f'name="ids" value="{report.pk}"')
        self.assertNotContains(first, 'name="scope"')
        # Submitted after the confirmation was shown: not approved with them.
        late = quarterly(EnterpriseFactory(org_unit=self.street_b), quarter=2)
        reposted = {
            "ids": [str(r.pk) for r in found],
            "next": back,
            "confirmed": "1",
        }
        second = self.client.post("/filings/quarterly/approve/", reposted)
        self.assertRedirects(second, back, fetch_redirect_response=False)
        self.assertEqual(
            set(
                QuarterlyReport.objects.filter(
                    status=FilingStatus.ACCEPTED
                ).values_list("pk", flat=True)
            ),
            {r.pk for r in found},
        )
        for report in (elsewhere, late):
            report.refresh_from_db()
            self.assertEqual(report.status, FilingStatus.SUBMITTED)
