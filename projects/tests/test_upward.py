"""Projects won from higher levels: recommending upward, the higher level's
decision, mid-term check and acceptance (409 where the state forbids),
the hit rate and funds from above (computed indicators), scoping, the
outcome table and import, the reserve, and the API."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent
from bureau.tests.agreement import PageApiAgreement, Route, api_ids, context_ids
from bureau.tests.base import CastTestCase
from enterprises.tests.factories import EnterpriseFactory
from indicators.models import DataValue, Indicator
from indicators.services.computed import indicators_recompute
from projects.models import Application, ReserveProject, UpwardProject
from projects.selectors import hit_rate, upward_figures
from projects.selectors.figures import approved_funds_above_district
from projects.selectors.upward import upward_funds_by_street
from projects.services.upward import (
    OutcomeImportError,
    recommendation_create,
    reserve_promote,
    reserve_save,
    upward_acceptance_record,
    upward_midterm_record,
    upward_outcome_record,
    upward_outcomes_import,
)
from projects.tests.factories import make_application, make_call, make_programme

U = UpwardProject.State
TODAY = timezone.localdate()
EARLIER = TODAY - timedelta(days=60)


class UpwardTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.province = make_programme(name="省重点研发计划", level="provincial")
        cls.call = make_call(
            cls.officer, programme=cls.province, title="2026年省重点研发计划申报"
        )
        cls.app_a = make_application(cls.call, cls.ent_user, title="视觉质检平台")
        cls.app_b = make_application(cls.call, cls.outsider, title="储能预警装置")

    def recommend(self, *apps: Application, number: str = "拱科〔2026〕12号"):  # type: ignore[no-untyped-def]
        return recommendation_create(
            by=self.officer,
            call=self.call,
            applications=list(apps),
            document_number=number,
            recommended_on=EARLIER,
        )

    def project(self, app: Application) -> UpwardProject:
        return UpwardProject.objects.get(application=app)

    def approve(self, app: Application, funds: str = "500000", match: str = "100000"):  # type: ignore[no-untyped-def]
        return upward_outcome_record(
            by=self.officer,
            project=self.project(app),
            outcome="approved",
            decided_on=EARLIER + timedelta(days=10),
            higher_document_number="浙科发〔2026〕8号",
            funds_from_above=Decimal(funds),
            local_match=Decimal(match),
        )


class RecommendTests(UpwardTestCase):
    def test_recommend_creates_projects_and_audits(self) -> None:
        batch = self.recommend(self.app_a, self.app_b)
        self.assertEqual(batch.projects.count(), 2)
        self.assertEqual(
            set(batch.projects.values_list("state", flat=True)), {U.RECOMMENDED}
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="recommendation.create").exists()
        )
        self.assertEqual(
            AuditEvent.objects.filter(action="upward.recommend").count(), 2
        )

    def test_district_programme_is_refused_409(self) -> None:
        district_call = make_call(self.officer, title="区级计划")
        app = make_application(district_call, self.ent_user)
        with self.assertRaises(ApplicationError) as caught:
            recommendation_create(
                by=self.officer,
                call=district_call,
                applications=[app],
                document_number="X1",
                recommended_on=EARLIER,
            )
        self.assertEqual(caught.exception.code, "district_programme")

    def test_twice_is_409_and_nothing_is_kept(self) -> None:
        self.recommend(self.app_a)
        with self.assertRaises(ApplicationError) as caught:
            self.recommend(self.app_a, self.app_b, number="拱科〔2026〕13号")
        self.assertEqual(caught.exception.code, "already_recommended")
        self.assertFalse(UpwardProject.objects.filter(application=self.app_b).exists())

    def test_draft_application_is_409(self) -> None:
        self.app_b.state = Application.State.DRAFT
        self.app_b.save()
        with self.assertRaises(ApplicationError) as caught:
            self.recommend(self.app_b)
        self.assertEqual(caught.exception.code, "not_recommendable")


class OutcomeTests(UpwardTestCase):
    def test_approve_records_document_and_money(self) -> None:
        self.recommend(self.app_a)
        project = self.approve(self.app_a)
        self.assertEqual(project.state, U.APPROVED)
        self.assertEqual(project.funds_from_above, Decimal("500000"))
        self.assertEqual(project.higher_document_number, "浙科发〔2026〕8号")
        self.assertTrue(AuditEvent.objects.filter(action="upward.approve").exists())

    def test_second_outcome_is_409(self) -> None:
        self.recommend(self.app_a)
        self.approve(self.app_a)
        with self.assertRaises(ApplicationError) as caught:
            upward_outcome_record(
                by=self.officer,
                project=self.project(self.app_a),
                outcome="not_approved",
                decided_on=TODAY,
            )
        self.assertEqual(caught.exception.code, "already_decided")

    def test_approval_needs_document_and_funds(self) -> None:
        self.recommend(self.app_a)
        with self.assertRaises(ValidationError) as caught:
            upward_outcome_record(
                by=self.officer,
                project=self.project(self.app_a),
                outcome="approved",
                decided_on=TODAY,
            )
        self.assertEqual(
            set(caught.exception.message_dict),
            {"higher_document_number", "funds_from_above"},
        )

    def test_decision_before_recommendation_is_refused(self) -> None:
        self.recommend(self.app_a)
        with self.assertRaises(ValidationError) as caught:
            upward_outcome_record(
                by=self.officer,
                project=self.project(self.app_a),
                outcome="not_approved",
                decided_on=EARLIER - timedelta(days=1),
            )
        self.assertIn("decided_on", caught.exception.message_dict)


class RunningProjectTests(UpwardTestCase):
    def test_midterm_and_acceptance_only_while_running(self) -> None:
        self.recommend(self.app_a)
        project = self.project(self.app_a)
        with self.assertRaises(ApplicationError) as caught:
            upward_midterm_record(
                by=self.officer,
                project=project,
                midterm_on=TODAY,
                midterm_result="pass",
            )
        self.assertEqual(caught.exception.code, "not_running")
        self.approve(self.app_a)
        upward_midterm_record(
            by=self.officer, project=project, midterm_on=TODAY, midterm_result="rectify"
        )
        # Asked to rectify: no acceptance until a later check passes.
        with self.assertRaises(ApplicationError) as caught:
            upward_acceptance_record(
                by=self.officer,
                project=project,
                acceptance_on=TODAY,
                acceptance_result="passed",
            )
        self.assertEqual(caught.exception.code, "rectification_pending")
        upward_midterm_record(
            by=self.officer, project=project, midterm_on=TODAY, midterm_result="pass"
        )
        with self.assertRaises(ApplicationError):
            upward_midterm_record(
                by=self.officer,
                project=project,
                midterm_on=TODAY,
                midterm_result="good",
            )
        upward_acceptance_record(
            by=self.officer,
            project=project,
            acceptance_on=TODAY,
            acceptance_result="postponed",
        )
        self.assertEqual(project.state, U.APPROVED)
        upward_acceptance_record(
            by=self.officer,
            project=project,
            acceptance_on=TODAY,
            acceptance_result="passed",
            new_output_value=Decimal("12000000"),
            new_jobs=35,
            patents_filed=6,
            patents_granted=2,
        )
        self.assertEqual(project.state, U.ACCEPTED)
        with self.assertRaises(ApplicationError):
            upward_acceptance_record(
                by=self.officer,
                project=project,
                acceptance_on=TODAY,
                acceptance_result="failed",
            )
        figures = upward_figures(self.call.year)
        self.assertEqual(figures["accepted"], 1)
        self.assertEqual(figures["new_jobs"], 35)
        self.assertEqual(figures["new_output_value"], Decimal("12000000"))


class FiguresTests(UpwardTestCase):
    def test_hit_rate_arithmetic(self) -> None:
        self.assertIsNone(hit_rate(0, 0))
        self.assertEqual(hit_rate(1, 3), Decimal("0.3333"))
        self.assertEqual(hit_rate(2, 2), Decimal("1.0000"))

    def test_figures_by_level_and_indicators_by_street(self) -> None:
        third = make_application(
            self.call,
            self.ent_user,
            title="第三个项目",
            enterprise=EnterpriseFactory(org_unit=self.street_a),
        )
        self.recommend(self.app_a, self.app_b, third)
        self.approve(self.app_a, funds="500000")
        self.approve(third, funds="300000", match="0")
        upward_outcome_record(
            by=self.officer,
            project=self.project(self.app_b),
            outcome="not_approved",
            decided_on=TODAY,
        )
        figures = upward_figures(self.call.year)
        self.assertEqual(figures["recommended"], 3)
        self.assertEqual(figures["approved"], 2)
        self.assertEqual(figures["hit_rate"], Decimal("0.6667"))
        self.assertEqual(figures["levels"]["provincial"]["recommended"], 3)
        self.assertEqual(figures["levels"]["national"]["recommended"], 0)
        self.assertEqual(figures["funds_from_above"], Decimal("800000"))
        self.assertEqual(figures["local_match"], Decimal("100000"))
        self.assertEqual(
            upward_funds_by_street(year=self.call.year),
            {self.street_a.pk: Decimal("800000")},
        )
        self.assertEqual(
            approved_funds_above_district(year=self.call.year), Decimal("800000")
        )
        indicators_recompute(year=self.call.year)

        def value(code: str, unit) -> Decimal:  # type: ignore[no-untyped-def]
            return DataValue.objects.get(
                indicator__code=code, org_unit=unit, year=self.call.year
            ).value

        self.assertEqual(value("upward_funds", self.street_a), Decimal("80"))
        self.assertEqual(value("upward_funds", self.district), Decimal("80"))
        self.assertEqual(value("upward_recommended", self.street_b), Decimal(1))
        self.assertEqual(value("upward_approved", self.district), Decimal(2))
        self.assertEqual(value("project_funds", self.district), Decimal("80"))
        rate = Indicator.objects.get(code="upward_hit_rate")
        self.assertEqual(rate.numerator.code, "upward_approved")
        self.assertEqual(rate.denominator.code, "upward_recommended")


class ScopingTests(UpwardTestCase):
    def test_liaison_sees_their_street_only(self) -> None:
        self.recommend(self.app_a, self.app_b)
        mine, theirs = self.project(self.app_a), self.project(self.app_b)
        self.client.force_login(self.liaison)
        self.assertEqual(
            self.client.get(f"/projects/upward/{mine.pk}/").status_code, 200
        )
        self.assertEqual(
            self.client.get(f"/projects/upward/{theirs.pk}/").status_code, 404
        )
        self.assertEqual(
            self.client.get(f"/api/v1/higher-level-projects/{theirs.pk}/").status_code,
            404,
        )
        ids = [
            row["id"]
            for row in self.client.get("/api/v1/higher-level-projects/").json()[
                "results"
            ]
        ]
        self.assertEqual(ids, [mine.pk])
        # A reader may never record an outcome: 403 after the 404 check.
        response = self.post_json(
            f"/api/v1/higher-level-projects/{mine.pk}/outcome/",
            {"outcome": "not_approved", "decided_on": TODAY.isoformat()},
        )
        self.assertEqual(response.status_code, 403)

    def test_enterprise_user_may_not_open_the_pages(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/projects/upward/").status_code, 403)
        self.assertEqual(
            self.client.get("/api/v1/higher-level-projects/").status_code, 403
        )


class ApiTests(UpwardTestCase):
    def test_create_then_outcome_then_409(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            "/api/v1/higher-level-projects/",
            {
                "call": self.call.pk,
                "applications": [self.app_a.pk],
                "document_number": "拱科〔2026〕20号",
                "recommended_on": EARLIER.isoformat(),
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["projects"][0]["id"]
        body = {
            "outcome": "approved",
            "decided_on": TODAY.isoformat(),
            "higher_document_number": "浙科发〔2026〕9号",
            "funds_from_above": "800000.00",
        }
        url = f"/api/v1/higher-level-projects/{pk}/outcome/"
        response = self.post_json(url, body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["funds_from_above"], "800000.00")
        self.assertEqual(response.json()["local_match"], "0.00")
        self.assertEqual(self.post_json(url, body).status_code, 409)

    def test_list_query_count_is_flat(self) -> None:
        self.recommend(self.app_a, self.app_b)
        self.client.force_login(self.officer)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(
                    self.client.get("/api/v1/higher-level-projects/").status_code, 200
                )
            return len(ctx.captured_queries)

        few = count()
        for i in range(4):
            app = make_application(
                self.call,
                self.ent_user,
                enterprise=EnterpriseFactory(org_unit=self.street_a),
            )
            self.recommend(app, number=f"N{i}")
        self.assertEqual(count(), few)
        with self.assertNumQueries(few):
            self.client.get("/api/v1/higher-level-projects/")


class PagesTests(UpwardTestCase):
    def test_outcome_table_asks_once_more_then_records(self) -> None:
        batch = self.recommend(self.app_a, self.app_b)
        a, b = self.project(self.app_a), self.project(self.app_b)
        self.client.force_login(self.officer)
        url = f"/projects/upward/recommendations/{batch.pk}/"
        page = self.client.get(url)
        self.assertContains(page, "推荐名单")
        data = {
            "outcome-TOTAL_FORMS": "2",
            "outcome-INITIAL_FORMS": "2",
            "outcome-0-project": str(a.pk),
            "outcome-0-outcome": "approved",
            "outcome-0-decided_on": TODAY.isoformat(),
            "outcome-0-higher_document_number": "浙科发〔2026〕8号",
            "outcome-0-funds_from_above": "50",
            "outcome-0-local_match": "10",
            "outcome-1-project": str(b.pk),
            "outcome-1-outcome": "",
        }
        confirm = self.client.post(url, data)
        self.assertContains(confirm, "伍拾万元")  # 大写 of 50万元
        a.refresh_from_db()
        self.assertEqual(a.state, U.RECOMMENDED)
        done = self.client.post(url, {**data, "confirmed": "1"})
        self.assertEqual(done.status_code, 302)
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertEqual(a.state, U.APPROVED)
        self.assertEqual(a.funds_from_above, Decimal("500000"))
        self.assertEqual(a.local_match, Decimal("100000"))
        self.assertEqual(b.state, U.RECOMMENDED)

    def test_outcome_table_keeps_typed_values_on_error(self) -> None:
        batch = self.recommend(self.app_a)
        a = self.project(self.app_a)
        self.client.force_login(self.officer)
        response = self.client.post(
            f"/projects/upward/recommendations/{batch.pk}/",
            {
                "outcome-TOTAL_FORMS": "1",
                "outcome-INITIAL_FORMS": "1",
                "outcome-0-project": str(a.pk),
                "outcome-0-outcome": "approved",
                "outcome-0-decided_on": TODAY.isoformat(),
                "outcome-0-funds_from_above": "50",
                "confirmed": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "请填写上级立项文号")
        self.assertContains(response, 'value="50"')
        a.refresh_from_db()
        self.assertEqual(a.state, U.RECOMMENDED)

    def test_list_export_and_query_count(self) -> None:
        self.recommend(self.app_a, self.app_b)
        self.client.force_login(self.officer)
        page = self.client.get("/projects/upward/")
        self.assertContains(page, "视觉质检平台")
        export = self.client.get("/projects/upward/?export=xlsx")
        sheet = load_workbook(io.BytesIO(export.content)).active
        self.assertEqual(sheet.cell(1, 1).value, "编号")
        self.assertEqual(sheet.max_row, 3)
        with CaptureQueriesContext(connection) as first:
            self.client.get("/projects/upward/")
        for i in range(3):
            app = make_application(
                self.call,
                self.ent_user,
                enterprise=EnterpriseFactory(org_unit=self.street_a),
            )
            self.recommend(app, number=f"M{i}")
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get("/projects/upward/")


def _outcome_book(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "编号",
            "立项结果",
            "立项日期",
            "上级文号",
            "上级资助（万元）",
            "区级配套（万元）",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


class ImportTests(UpwardTestCase):
    def test_errors_are_listed_and_nothing_written(self) -> None:
        self.recommend(self.app_a, self.app_b)
        a, b = self.project(self.app_a), self.project(self.app_b)
        book = _outcome_book(
            [
                [a.pk, "立项", TODAY, "浙科发〔2026〕8号", 50, 10],
                [b.pk, "通过", TODAY, "", "", ""],
                [99999, "未立项", TODAY, "", "", ""],
                [a.pk, "未立项", "明天", "", "abc", ""],
            ]
        )
        with self.assertRaises(OutcomeImportError) as caught:
            upward_outcomes_import(
                by=self.officer,
                file=book,
                visible=UpwardProject.objects.all(),
            )
        found = {(e.row, e.column) for e in caught.exception.errors}
        self.assertEqual(found, {(3, "立项结果"), (4, "编号"), (5, "编号")})
        a.refresh_from_db()
        self.assertEqual(a.state, U.RECOMMENDED)

    def test_service_errors_name_the_row(self) -> None:
        self.recommend(self.app_a, self.app_b)
        a, b = self.project(self.app_a), self.project(self.app_b)
        book = _outcome_book(
            [
                [a.pk, "立项", TODAY, "浙科发〔2026〕8号", 50, 10],
                [b.pk, "立项", TODAY, "", 20, ""],
            ]
        )
        with self.assertRaises(OutcomeImportError) as caught:
            upward_outcomes_import(
                by=self.officer, file=book, visible=UpwardProject.objects.all()
            )
        self.assertEqual(
            [(e.row, e.column) for e in caught.exception.errors], [(3, "上级文号")]
        )
        a.refresh_from_db()
        self.assertEqual(a.state, U.RECOMMENDED)  # all or nothing

    def test_good_file_records_every_row(self) -> None:
        self.recommend(self.app_a, self.app_b)
        a, b = self.project(self.app_a), self.project(self.app_b)
        book = _outcome_book(
            [
                [a.pk, "立项", TODAY, "浙科发〔2026〕8号", "50", 10],
                [b.pk, "未立项", TODAY, "", "", ""],
            ]
        )
        result = upward_outcomes_import(
            by=self.officer, file=book, visible=UpwardProject.objects.all()
        )
        self.assertEqual((result.approved, result.not_approved), (1, 1))
        a.refresh_from_db()
        self.assertEqual(a.funds_from_above, Decimal("500000"))


class ReserveTests(UpwardTestCase):
    def test_promote_to_draft_application_once(self) -> None:
        reserve = reserve_save(
            by=self.officer,
            reserve=ReserveProject(
                enterprise=EnterpriseFactory(org_unit=self.street_a),
                title="氢燃料电池双极板",
                summary="精密加工",
                target_level="provincial",
                target_programme=self.province,
                expected_year=TODAY.year,
                planned_amount=Decimal("300000"),
            ),
        )
        app = reserve_promote(by=self.officer, reserve=reserve, call=self.call)
        self.assertEqual(app.state, Application.State.DRAFT)
        self.assertEqual(app.requested_amount, Decimal("300000"))
        reserve.refresh_from_db()
        self.assertEqual(reserve.status, ReserveProject.Status.PROMOTED)
        with self.assertRaises(ApplicationError):
            reserve_promote(by=self.officer, reserve=reserve, call=self.call)

    def test_programme_of_another_level_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            reserve_save(
                by=self.officer,
                reserve=ReserveProject(
                    enterprise=self.enterprise_a,
                    title="x",
                    summary="y",
                    target_level="national",
                    target_programme=self.province,
                    expected_year=TODAY.year,
                    planned_amount=Decimal("1"),
                ),
            )


class UpwardAgreementTests(PageApiAgreement, UpwardTestCase):
    """Every role gets the same answer (and rows) from the pages and the API."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        recommendation_create(
            by=cls.officer,
            call=cls.call,
            applications=[cls.app_a, cls.app_b],
            document_number="拱科〔2026〕30号",
            recommended_on=EARLIER,
        )
        cls.mine = UpwardProject.objects.get(application=cls.app_a)
        cls.theirs = UpwardProject.objects.get(application=cls.app_b)

    def routes(self) -> list[Route]:
        return [
            Route(
                "higher-level project list",
                "/projects/upward/",
                "/api/v1/higher-level-projects/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "project of street A",
                f"/projects/upward/{self.mine.pk}/",
                f"/api/v1/higher-level-projects/{self.mine.pk}/",
            ),
            Route(
                "project of street B",
                f"/projects/upward/{self.theirs.pk}/",
                f"/api/v1/higher-level-projects/{self.theirs.pk}/",
            ),
        ]


class MorePageTests(UpwardTestCase):
    def test_recommend_page_creates_the_list(self) -> None:
        self.client.force_login(self.officer)
        url = f"/projects/upward/calls/{self.call.pk}/recommend/"
        page = self.client.get(url)
        self.assertContains(page, "视觉质检平台")
        response = self.client.post(
            url,
            {
                "document_number": "拱科〔2026〕50号",
                "recommended_on": EARLIER.isoformat(),
                "applications": [self.app_a.pk],
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.project(self.app_a).state, U.RECOMMENDED)
        # The application is no longer offered; the liaison may not recommend.
        self.assertNotContains(self.client.get(url), "视觉质检平台")
        self.client.force_login(self.liaison)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_recommend_page_says_when_nothing_is_left(self) -> None:
        from projects.selectors import recommendable_applications

        self.recommend(*recommendable_applications(call=self.call))
        self.client.force_login(self.officer)
        page = self.client.get(f"/projects/upward/calls/{self.call.pk}/recommend/")
        self.assertContains(page, "本批次暂无可推荐的申报项目。")

    def test_import_page_lists_errors_by_row_and_column(self) -> None:
        self.recommend(self.app_a)
        self.client.force_login(self.officer)
        book = _outcome_book([[self.project(self.app_a).pk, "通过", TODAY, "", "", ""]])
        book.name = "outcomes.xlsx"
        response = self.client.post("/projects/upward/import/", {"file": book})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "立项结果")
        self.assertContains(response, "请填写“立项”或“未立项”")
