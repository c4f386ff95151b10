"""The project pages' forms and lists: money typed in 万元, confirmations of
what cannot be undone, forms that keep what was typed, table editors, the
application list (search, filters, export, bulk formal check), the ledger's
合计 rows and the home's chart, and a message naming every action."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook

from bureau.tests.base import CastTestCase
from projects.models import Application, Disbursement, ReviewAssignment
from projects.services.money import contract_record, milestone_achieve
from projects.tests.factories import make_application, make_call, make_expert


def table(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    """A table editor's POST: the management form and one entry per cell."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class ProjectFormTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.officer)
        cls.expert_profile = make_expert(cls.expert, "周教授")

    def reviewed(self, **changes: Any) -> Application:
        """An application under review with one submitted review, its panel
        closed (so the approval rule is met whatever it asks)."""
        app = make_application(
            self.call,
            self.ent_user,
            state=Application.State.UNDER_REVIEW,
            requested_amount=Decimal("800000"),
            content="一、立项依据\n二、研究内容",
            **changes,
        )
        ReviewAssignment.objects.create(
            application=app,
            expert=self.expert_profile,
            submitted_at=timezone.now(),
            weighted_score=Decimal("80"),
        )
        self.call.panel_closed_at = timezone.now()
        self.call.save(update_fields=["panel_closed_at"])
        return app

    def approved(self, amount: str = "600000") -> Application:
        app = self.reviewed()
        app.state = Application.State.APPROVED
        app.approved_amount = Decimal(amount)
        app.save()
        return app


class ApprovalInWanTests(ProjectFormTestCase):
    def test_sixty_approves_six_hundred_thousand_after_a_confirmation(self) -> None:
        app = self.reviewed()
        self.client.force_login(self.head)
        url = f"/projects/applications/{app.pk}/transition/"
        ask = self.client.post(
            url, {"to": "approved", "approved_amount": "60", "comment": "同意"}
        )
        self.assertEqual(ask.status_code, 200)
        self.assertContains(ask, "人民币陆拾万元整")
        self.assertContains(ask, "600,000.00")
        self.assertContains(ask, f"《{app.title}》")
        self.assertContains(ask, app.enterprise.name)
        app.refresh_from_db()
        self.assertEqual(app.state, Application.State.UNDER_REVIEW)  # not yet

        done = self.client.post(
            url,
            {
                "to": "approved",
                "approved_amount": "60",
                "comment": "同意",
                "confirmed": "1",
            },
            follow=True,
        )
        app.refresh_from_db()
        self.assertEqual(app.approved_amount, Decimal("600000.00"))
        self.assertContains(done, "60.00万元")
        self.assertIn(
            f"已批准《{app.title}》立项，立项金额60.00万元（人民币陆拾万元整）。",
            messages_of(done),
        )
        ledger = self.client.get("/projects/ledger/")
        self.assertContains(ledger, "60.00")

    def test_an_amount_above_the_request_is_said_beside_the_box_as_typed(
        self,
    ) -> None:
        app = self.reviewed()
        self.client.force_login(self.head)
        response = self.client.post(
            f"/projects/applications/{app.pk}/transition/",
            {"to": "approved", "approved_amount": "90"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'value="90"', status_code=400)
        self.assertContains(response, "立项金额：", status_code=400)
        app.refresh_from_db()
        self.assertIsNone(app.approved_amount)

    def test_a_broken_rule_keeps_the_amount_typed(self) -> None:
        app = self.reviewed()
        ReviewAssignment.objects.filter(application=app).update(submitted_at=None)
        self.client.force_login(self.head)
        response = self.client.post(
            f"/projects/applications/{app.pk}/transition/",
            {"to": "approved", "approved_amount": "60"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "尚无专家完成评审", status_code=409)
        self.assertContains(response, 'value="60"', status_code=409)
        self.assertNotContains(response, 'name="confirmed"', status_code=409)

    def test_a_rejection_is_confirmed_and_named(self) -> None:
        app = self.reviewed()
        self.client.force_login(self.head)
        url = f"/projects/applications/{app.pk}/transition/"
        ask = self.client.post(url, {"to": "rejected", "comment": "创新性不足"})
        self.assertContains(ask, "创新性不足")
        self.assertContains(ask, 'name="confirmed" value="1"')
        done = self.client.post(
            url,
            {"to": "rejected", "comment": "创新性不足", "confirmed": "1"},
            follow=True,
        )
        self.assertIn(f"已对《{app.title}》作出不予通过决定。", messages_of(done))

    def test_a_rejection_without_a_reason_is_refused_before_asking(self) -> None:
        app = self.reviewed()
        self.client.force_login(self.head)
        response = self.client.post(
            f"/projects/applications/{app.pk}/transition/",
            {"to": "rejected"},
            follow=True,
        )
        self.assertNotContains(response, 'name="confirmed"')
        app.refresh_from_db()
        self.assertEqual(app.state, Application.State.UNDER_REVIEW)


class ContractFormTests(ProjectFormTestCase):
    def post_contract(self, app: Application, **changes: str) -> Any:
        data = {
            "number": "GS-2026-01",
            "start_on": "2026-01-01",
            "end_on": "2027-12-31",
            "deliverables": "样机一台",
            **table(
                "milestones",
                [
                    {
                        "title": "中期",
                        "due_on": "2026-12-31",
                        "amount": "30",
                        "deliverable": "中试",
                    },
                    {"title": "验收", "due_on": "2027-12-31", "amount": "30"},
                ],
            ),
            **changes,
        }
        return self.client.post(f"/projects/applications/{app.pk}/contract/", data)

    def test_a_missing_field_keeps_what_was_typed_in_chinese(self) -> None:
        app = self.approved()
        self.client.force_login(self.officer)
        response = self.post_contract(app, start_on="")
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn("开始日期：该字段是必填项。", html)
        self.assertNotIn("* start_on", html)
        self.assertIn('value="GS-2026-01"', html)
        self.assertIn("样机一台", html)
        self.assertIn('value="中期"', html)
        self.assertIn('value="验收"', html)
        self.assertIn('<label for="id_start_on">开始日期</label>', html)
        self.assertFalse(hasattr(Application.objects.get(pk=app.pk), "contract"))

    def test_a_bad_row_is_named_by_its_number_and_field(self) -> None:
        app = self.approved()
        self.client.force_login(self.officer)
        response = self.post_contract(app, **{"milestones-1-amount": "三十"})
        self.assertContains(response, "第2行 拨付金额：", status_code=400)
        self.assertContains(response, 'value="三十"', status_code=400)

    def test_tranches_that_do_not_add_up_are_said_in_wan(self) -> None:
        app = self.approved()
        self.client.force_login(self.officer)
        response = self.post_contract(app, **{"milestones-1-amount": "20"})
        self.assertContains(
            response, "各期拨付合计50万元，与立项金额60万元不符。", status_code=400
        )

    def test_the_contract_is_recorded_with_tranches_in_wan(self) -> None:
        app = self.approved()
        self.client.force_login(self.officer)
        response = self.post_contract(app)
        self.assertEqual(response.status_code, 302)
        amounts = list(
            Disbursement.objects.filter(application=app).values_list(
                "amount", flat=True
            )
        )
        self.assertEqual(amounts, [Decimal("300000.00"), Decimal("300000.00")])
        page = self.client.get(f"/projects/applications/{app.pk}/")
        self.assertIn(
            f"已录入《{app.title}》的任务书：2个节点，拨付合计60.00万元。",
            [str(m) for m in page.context["messages"]],
        )


class TrancheTests(ProjectFormTestCase):
    def setUp(self) -> None:
        self.app = self.approved()
        contract_record(
            application=self.app,
            by=self.officer,
            start_on=date(2026, 1, 1),
            end_on=date(2027, 12, 31),
            deliverables="样机",
            milestones=[
                {"title": "中期", "due_on": date(2026, 6, 30), "amount": "480000"},
                {"title": "验收", "due_on": date(2027, 6, 30), "amount": "120000"},
            ],
        )
        self.app.state = Application.State.CONTRACTED
        self.app.save()
        self.second = Disbursement.objects.get(application=self.app, amount=120000)

    def test_milestone_achieved_says_so(self) -> None:
        self.client.force_login(self.officer)
        assert self.second.milestone is not None
        response = self.client.post(
            f"/projects/money/milestone/{self.second.milestone.pk}/", follow=True
        )
        self.assertIn(
            f"已确认《{self.app.title}》的节点「验收」完成。", messages_of(response)
        )

    def test_paying_is_confirmed_with_the_enterprise_tranche_and_amount(
        self,
    ) -> None:
        assert self.second.milestone is not None
        milestone_achieve(milestone=self.second.milestone, by=self.officer)
        self.client.force_login(self.officer)
        url = f"/projects/money/disbursement/{self.second.pk}/"
        ask = self.client.post(url, {"action": "pay"})
        self.assertContains(ask, self.app.enterprise.name)
        self.assertContains(ask, "第2期")
        self.assertContains(ask, "人民币壹拾贰万元整")
        self.second.refresh_from_db()
        self.assertEqual(self.second.status, "planned")
        done = self.client.post(url, {"action": "pay", "confirmed": "1"}, follow=True)
        self.second.refresh_from_db()
        self.assertEqual(self.second.status, "paid")
        self.assertIn(
            f"已向{self.app.enterprise.name}发放第2期资金 12.00万元。",
            messages_of(done),
        )

    def test_paying_before_the_milestone_is_refused_before_asking(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get(f"/projects/applications/{self.app.pk}/")
        self.assertNotContains(page, 'value="pay"')  # no button before the milestone
        response = self.client.post(
            f"/projects/money/disbursement/{self.second.pk}/",
            {"action": "pay"},
            follow=True,
        )
        self.assertNotContains(response, 'name="confirmed"')
        self.assertTrue(any("节点" in m for m in messages_of(response)))
        self.second.refresh_from_db()
        self.assertEqual(self.second.status, "planned")

    def test_withholding_is_confirmed_with_the_reason(self) -> None:
        self.client.force_login(self.officer)
        url = f"/projects/money/disbursement/{self.second.pk}/"
        ask = self.client.post(url, {"action": "withhold", "reason": "进度滞后"})
        self.assertContains(ask, "进度滞后")
        self.assertContains(ask, "第2期")
        done = self.client.post(
            url,
            {"action": "withhold", "reason": "进度滞后", "confirmed": "1"},
            follow=True,
        )
        self.second.refresh_from_db()
        self.assertEqual(self.second.status, "withheld")
        self.assertIn(
            f"已暂缓向{self.app.enterprise.name}拨付第2期资金 12.00万元。",
            messages_of(done),
        )


class ApplyFormTests(ProjectFormTestCase):
    def test_a_bad_budget_row_keeps_every_value_and_names_the_row(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            f"/projects/calls/{self.call.pk}/apply/",
            {
                "title": "工业视觉质检平台",
                "summary": "缺陷识别",
                "content": "研究内容",
                "requested_amount": "20",
                **table(
                    "budget",
                    [
                        {"category": "equipment", "amount": "12", "note": "服务器"},
                        {"category": "", "amount": "8"},
                    ],
                ),
                **table("team", [{"name": "李工", "organisation": "云河智能"}]),
            },
        )
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn("预算科目 第2行 科目：该字段是必填项。", html)
        self.assertIn('value="服务器"', html)
        self.assertIn('value="李工"', html)
        self.assertIn('value="20"', html)
        self.assertIn("研究内容", html)
        self.assertFalse(Application.objects.exists())

    def test_rows_in_wan_reach_the_service_in_yuan(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            f"/projects/calls/{self.call.pk}/apply/",
            {
                "title": "工业视觉质检平台",
                "summary": "缺陷识别",
                "content": "一、立项依据",
                "requested_amount": "20",
                **table(
                    "budget",
                    [
                        {"category": "equipment", "amount": "12.5"},
                        {"category": "", "amount": "", "note": ""},  # blank row
                        {"category": "labour", "amount": "7.5"},
                    ],
                ),
                **table("team", []),
            },
        )
        app = Application.objects.get()
        self.assertRedirects(response, f"/projects/applications/{app.pk}/")
        self.assertEqual(app.requested_amount, Decimal("200000.00"))
        self.assertEqual(
            sorted(app.budget_lines.values_list("amount", flat=True)),
            [Decimal("75000.00"), Decimal("125000.00")],
        )
        page = self.client.get(f"/projects/applications/{app.pk}/")
        self.assertContains(page, "一、立项依据")  # 项目内容 is shown
        self.assertContains(page, "项目内容")


class ApplicationListTests(ProjectFormTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a = make_application(cls.call, cls.ent_user, title="智能传感器研发")
        cls.b = make_application(cls.call, cls.outsider, title="储能电站预警装置")
        cls.c = make_application(
            cls.call,
            cls.outsider,
            title="已立项的项目",
            state=Application.State.APPROVED,
            approved_amount=Decimal("100000"),
        )

    def titles(self, response: Any) -> list[str]:
        return [a.title for a in response.context["applications"]]

    def test_search_by_title_enterprise_and_credit_code(self) -> None:
        self.client.force_login(self.officer)
        url = "/projects/applications/"
        self.assertEqual(
            self.titles(self.client.get(url, {"q": "传感器"})), [self.a.title]
        )
        code = self.enterprise_b.credit_code
        self.assertEqual(
            set(self.titles(self.client.get(url, {"q": code}))),
            {self.b.title, self.c.title},
        )
        self.assertEqual(
            set(self.titles(self.client.get(url, {"q": self.enterprise_a.name}))),
            {self.a.title},
        )

    def test_filters_and_sorting(self) -> None:
        self.client.force_login(self.officer)
        url = "/projects/applications/"
        by_street = self.client.get(url, {"street": self.street_a.pk})
        self.assertEqual(self.titles(by_street), [self.a.title])
        by_state = self.client.get(url, {"state": "approved"})
        self.assertEqual(self.titles(by_state), [self.c.title])
        self.assertEqual(
            len(self.titles(self.client.get(url, {"year": self.call.year}))), 3
        )
        self.assertEqual(self.titles(self.client.get(url, {"year": 1999})), [])
        by_title = self.titles(self.client.get(url, {"sort": "title"}))
        self.assertEqual(by_title, sorted(by_title))
        self.assertContains(self.client.get(url), 'data-count="3"')

    def test_the_list_pins_its_queries(self) -> None:
        # session, user, count, the calls and streets of the filters, the page
        self.client.force_login(self.officer)
        url = "/projects/applications/"
        self.client.get(url, {"state": "submitted"})  # session holds the query
        with self.assertNumQueries(6):
            self.client.get(url, {"state": "submitted"})
        for n in range(5):
            make_application(self.call, self.outsider, title=f"更多项目{n}")
        with self.assertNumQueries(6):
            self.client.get(url, {"state": "submitted"})

    def test_excel_export_of_the_filtered_list_in_wan(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(
            "/projects/applications/", {"q": "储能", "export": "xlsx"}
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("申请金额（万元）", rows[0])
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][0], "储能电站预警装置")
        self.assertEqual(rows[1][rows[0].index("申请金额（万元）")], 20)

    def test_bulk_formal_check_asks_once_and_keeps_the_filters(self) -> None:
        self.client.force_login(self.officer)
        url = "/projects/applications/?state=submitted&sort=title&page=1"
        ids = [str(self.a.pk), str(self.b.pk), str(self.c.pk)]
        ask = self.client.post(url, {"action": "formal_pass", "ids": ids})
        self.assertEqual(ask.status_code, 200)
        self.assertContains(ask, "2项申报通过形式审查")
        self.assertContains(ask, self.a.title)
        self.assertNotContains(ask, self.c.title)  # not waiting for the check
        self.assertEqual(Application.objects.filter(state="under_review").count(), 0)
        done = self.client.post(
            url, {"action": "formal_pass", "ids": ids, "confirmed": "1"}
        )
        self.assertRedirects(done, url, fetch_redirect_response=False)
        self.assertEqual(
            set(
                Application.objects.filter(state="under_review").values_list(
                    "pk", flat=True
                )
            ),
            {self.a.pk, self.b.pk},
        )
        page = self.client.get(url)
        self.assertTrue(any("已将2项申报通过形式审查" in m for m in messages_of(page)))

    def test_the_detail_leads_back_to_the_same_filters_and_page(self) -> None:
        self.client.force_login(self.officer)
        self.client.get("/projects/applications/", {"state": "submitted", "page": "1"})
        page = self.client.get(f"/projects/applications/{self.a.pk}/")
        self.assertContains(
            page, 'href="/projects/applications/?state=submitted&amp;page=1"'
        )

    def test_the_bulk_action_is_for_staff_only(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.post(
            "/projects/applications/", {"action": "formal_pass", "ids": [self.a.pk]}
        )
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.ent_user)
        response = self.client.get("/projects/applications/")
        self.assertEqual(self.titles(response), [self.a.title])  # its own only


class LedgerAndHomeTests(ProjectFormTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for amount in ("600000", "250000"):
            make_application(
                cls.call,
                cls.ent_user,
                state=Application.State.APPROVED,
                approved_amount=Decimal(amount),
                requested_amount=Decimal(amount),
            )
        make_application(cls.call, cls.outsider)

    def test_ledger_has_totals_and_a_year_select(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get("/projects/ledger/")
        html = response.content.decode()
        self.assertIn(f"{self.call.year}年合计", html)
        self.assertIn("85.00", html)
        self.assertIn(f'<option value="{self.call.year}"', html)
        self.assertNotIn('type="number"', html)

    def test_ledger_export_in_wan_with_the_pages_names(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get("/projects/ledger/", {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][4], "立项金额（万元）")
        self.assertEqual(rows[0][5], "已发放（万元）")
        self.assertEqual(rows[-1][2], "合计")
        self.assertEqual(rows[-1][4], 85)
        self.assertEqual(rows[-2][2], f"{self.call.year}年合计")

    def test_home_shows_counts_by_state_as_a_chart_and_a_table(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/projects/")
        html = response.content.decode()
        self.assertIn("data-state-chart", html)
        self.assertIn("js/projects-chart.js", html)
        self.assertIn("vendor/echarts/echarts.min.js", html)
        self.assertIn('data-values="[1, 2]"', html)
        self.assertNotIn("<script>", html)


class EditFormTests(ProjectFormTestCase):
    def setUp(self) -> None:
        self.app = make_application(
            self.call,
            self.ent_user,
            state=Application.State.DRAFT,
            requested_amount=Decimal("200000"),
        )
        self.app.budget_lines.create(category="equipment", amount=Decimal("150000"))

    def test_the_tables_start_from_what_is_stored_in_wan(self) -> None:
        self.client.force_login(self.ent_user)
        page = self.client.get(f"/projects/applications/{self.app.pk}/")
        self.assertContains(page, 'name="budget-0-amount" value="15"')
        self.assertContains(page, 'name="requested_amount" value="20"')
        self.assertContains(page, 'name="budget-TOTAL_FORMS" value="2"')

    def test_a_bad_edit_comes_back_open_with_the_values_typed(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            f"/projects/applications/{self.app.pk}/edit/",
            {
                "title": "新名称",
                "summary": "摘要",
                "requested_amount": "二十",
                **table("budget", [{"category": "travel", "amount": "3"}]),
                **table("team", [{"name": "", "organisation": "云河智能"}]),
            },
        )
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn('value="二十"', html)
        self.assertIn('value="新名称"', html)
        self.assertIn("项目成员 第1行 姓名：该字段是必填项。", html)
        self.assertIn('<details class="panel add" open>', html)
        self.app.refresh_from_db()
        self.assertNotEqual(self.app.title, "新名称")

    def test_a_good_edit_replaces_the_lines_and_says_so(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            f"/projects/applications/{self.app.pk}/edit/",
            {
                "title": "新名称",
                "summary": "摘要",
                "requested_amount": "20",
                **table(
                    "budget",
                    [
                        {"category": "travel", "amount": "3"},
                        {"category": "labour", "amount": "17"},
                    ],
                ),
                **table("team", []),
            },
            follow=True,
        )
        self.assertIn("已保存《新名称》。", messages_of(response))
        self.assertEqual(
            sorted(self.app.budget_lines.values_list("amount", flat=True)),
            [Decimal("30000.00"), Decimal("170000.00")],
        )
