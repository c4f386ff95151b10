"""The leadership dashboard pages: who sees what, the figures on them, the
drill-down to enterprises, the Excel export, and a constant query count."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.urls import reverse

from bureau.models import BackgroundJob
from bureau.tests.base import CastTestCase
from bureau.tests.eager import tasks_at_once
from bureau.tests.factories import OrgUnitFactory
from enterprises.models import AnnualReturn, Certification, FilingStatus, Tier
from enterprises.tests.factories import EnterpriseFactory
from indicators.tests.factories import target, value

YEAR = 2025


def rd_spending(case: type[CastTestCase]) -> None:
    """R&D spending (万元) of the district (both years) and its two streets;
    the district passes 1亿元, so it reads in 亿元."""
    value("rd_spending", case.district, YEAR - 1, "10000")
    value("rd_spending", case.district, YEAR, "12000")
    value("rd_spending", case.street_a, YEAR, "4500")
    value("rd_spending", case.street_b, YEAR, "2000")
    target("rd_spending", case.district, YEAR, "15000")


class DashboardPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        rd_spending(cls)
        value("rd_spending", cls.peer, YEAR, "30000")
        value("gdp", cls.district, YEAR - 1, "500000")
        value("gdp", cls.district, YEAR, "520000")
        target("rd_spending", cls.street_a, YEAR, "4000")  # ahead: 红榜
        target("rd_spending", cls.street_b, YEAR, "4000")  # behind: 黑榜

    def test_it_shows_headline_figures_with_target_and_rank(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(f"/dashboard/?year={YEAR}")
        self.assertEqual(response.status_code, 200)
        card = next(c for c in response.context["cards"] if c["code"] == "rd_spending")
        self.assertEqual(card["value"], {"number": "1.20", "unit": "亿元"})
        self.assertEqual(card["target"], {"number": "1.50", "unit": "亿元"})
        self.assertEqual(card["progress"], "80.0%")
        self.assertEqual(card["yoy"], "+20.0%")
        self.assertEqual(card["rank"], 2)  # behind the peer's 3亿元
        intensity = next(
            c for c in response.context["cards"] if c["code"] == "rd_intensity"
        )
        # 12000 / 520000 = 2.31%, up 0.31 points on 2.00%.
        self.assertEqual(intensity["value"], {"number": "2.31", "unit": "%"})
        self.assertEqual(intensity["yoy"], "+0.31个百分点")
        self.assertContains(response, "全社会R&amp;D经费支出")
        self.assertContains(
            response, "/dashboard/rd_spending/?year=2025&amp;street=330105001"
        )
        self.assertContains(response, 'id="dashboard-data"')
        self.assertContains(response, "vendor/echarts/echarts.min.js")
        self.assertNotContains(response, "cdn")

    def test_it_lists_streets_ahead_and_behind_schedule(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(f"/dashboard/?year={YEAR}")
        honour = [(i["unit"], i["code"]) for i in response.context["honour_list"]]
        black = [(i["unit"], i["code"]) for i in response.context["black_list"]]
        self.assertEqual(honour, [("米市巷街道", "rd_spending")])
        self.assertEqual(black, [("湖墅街道", "rd_spending")])
        self.assertEqual(
            [row["name"] for row in response.context["matrix"]],
            ["米市巷街道", "湖墅街道"],
        )

    def test_it_defaults_to_the_latest_year_with_district_data(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/dashboard/")
        self.assertEqual(response.context["year"], YEAR)
        self.assertIn(YEAR - 1, response.context["years"])

    def test_bureau_roles_see_it(self) -> None:
        for user in (self.officer, self.head, self.leader):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/dashboard/").status_code, 200)

    def test_enterprise_users_and_experts_are_refused(self) -> None:
        for user in (self.ent_user, self.expert, self.admin):
            self.client.force_login(user)
            for url in (
                "/dashboard/",
                "/dashboard/rd_spending/",
                "/dashboard/export/",
                "/dashboard/summary/",
            ):
                self.assertEqual(self.client.get(url).status_code, 403, (user, url))

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get("/dashboard/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])

    def test_a_liaison_sees_only_their_own_street(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get(f"/dashboard/?year={YEAR}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [row["name"] for row in response.context["matrix"]], ["米市巷街道"]
        )
        self.assertNotContains(response, "湖墅街道")
        own = self.client.get(f"/dashboard/rd_spending/?year={YEAR}&street=330105001")
        self.assertEqual(own.status_code, 200)
        other = self.client.get(f"/dashboard/rd_spending/?year={YEAR}&street=330105002")
        self.assertEqual(other.status_code, 404)
        self.assertEqual(self.client.get("/dashboard/summary/").status_code, 403)

    def test_a_bad_year_is_a_bad_request(self) -> None:
        self.client.force_login(self.leader)
        for year in ("20x5", "1999", "3000"):
            response = self.client.get(f"/dashboard/?year={year}")
            self.assertEqual(response.status_code, 400, year)

    def test_it_answers_only_get(self) -> None:
        self.client.force_login(self.leader)
        self.assertEqual(self.client.post("/dashboard/").status_code, 405)
        self.assertEqual(self.client.post("/dashboard/export/").status_code, 405)

    def test_the_query_count_does_not_grow_with_streets_or_values(self) -> None:
        self.client.force_login(self.leader)
        # session, user, years with district data; then the dashboard
        # selector: indicators with their components (one read), org units,
        # the default comparison group, values (with when they were entered:
        # one read), targets.
        with self.assertNumQueries(8):
            self.client.get(f"/dashboard/?year={YEAR}")
        for n in range(3, 9):
            street = OrgUnitFactory(
                code=f"330105{n:03d}", name=f"街道{n}", parent=self.district
            )
            for code in ("rd_spending", "ent_rd", "ent_revenue", "tech_contracts"):
                value(code, street, YEAR, "1000")
                value(code, street, YEAR - 1, "900")
            target("rd_spending", street, YEAR, "1200")
        value("tech_contracts", self.district, YEAR, "50000", month=6)
        with self.assertNumQueries(8):
            response = self.client.get(f"/dashboard/?year={YEAR}")
        self.assertEqual(len(response.context["matrix"]), 8)


class DrillDownTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        value("rd_spending", cls.district, YEAR, "12000")
        value("rd_spending", cls.street_a, YEAR, "4500")
        value("rd_spending", cls.street_b, YEAR, "2000")
        value("rd_spending", cls.peer, YEAR, "9000")
        AnnualReturn.objects.create(
            enterprise=cls.enterprise_a,
            year=YEAR - 1,
            status=FilingStatus.ACCEPTED,
            main_business_revenue=Decimal("50000000"),
            rd_personnel=Decimal("1500000"),
            rd_direct=Decimal("1000000"),
        )
        # A later draft return is not used.
        AnnualReturn.objects.create(
            enterprise=cls.enterprise_a,
            year=YEAR,
            status=FilingStatus.DRAFT,
            main_business_revenue=Decimal("1"),
            rd_personnel=Decimal("999999999"),
        )
        cls.quiet = EnterpriseFactory(
            org_unit=cls.street_a, name="杭州无年报科技有限公司"
        )
        Certification.objects.create(
            enterprise=cls.enterprise_a,
            tier=Tier.objects.get(code="hnte"),
            year=YEAR,
            issued_on=date(YEAR, 12, 1),
            expires_on=date(YEAR + 3, 11, 30),
            number="GR2025330001",
        )

    def test_it_ranks_streets_and_districts(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(f"/dashboard/rd_spending/?year={YEAR}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [(s["name"], s["rank"]) for s in response.context["streets"]],
            [("米市巷街道", 1), ("湖墅街道", 2)],
        )
        self.assertEqual(
            [(p["name"], p["is_home"]) for p in response.context["peers"]],
            [("拱墅区", True), ("西湖区", False)],
        )
        self.assertContains(response, "?year=2025&amp;street=330105001")

    def test_a_street_lists_its_enterprises_with_their_latest_accepted_return(
        self,
    ) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(
            f"/dashboard/rd_spending/?year={YEAR}&street=330105001"
        )
        self.assertEqual(response.status_code, 200)
        rows = response.context["rows"]
        self.assertEqual(
            [r["enterprise"].pk for r in rows], [self.enterprise_a.pk, self.quiet.pk]
        )
        # 250万元 of R&D on 5000万元 of revenue, from the accepted 2024 return.
        self.assertEqual(rows[0]["period"], YEAR - 1)
        self.assertEqual(rows[0]["cells"], ["250.00", "5,000.00", "5.00%"])
        self.assertEqual(rows[1]["cells"], ["—", "—", "—"])
        self.assertNotContains(response, self.enterprise_b.name)

    def test_new_high_tech_enterprises_are_listed_by_certificate(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(f"/dashboard/new_hnte/?year={YEAR}&street=330105001")
        self.assertContains(response, "GR2025330001")
        self.assertContains(response, self.enterprise_a.name)

    def test_an_indicator_without_enterprise_figures_says_so(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(
            f"/dashboard/tech_contracts/?year={YEAR}&street=330105001"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["enterprise_basis"])

    def test_unknown_indicators_and_streets_are_not_found(self) -> None:
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get("/dashboard/nothing/").status_code, 404)
        self.assertEqual(
            self.client.get("/dashboard/rd_spending/?street=999").status_code, 404
        )


class ExportTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        rd_spending(cls)

    def sheets(self, user) -> dict:  # type: ignore[no-untyped-def]
        from openpyxl import load_workbook

        self.client.force_login(user)
        response = self.client.get(f"/dashboard/export/?year={YEAR}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        workbook = load_workbook(io.BytesIO(response.content))
        return {ws.title: list(ws.values) for ws in workbook.worksheets}

    def test_it_exports_the_dashboard_with_chinese_headers(self) -> None:
        sheets = self.sheets(self.leader)
        self.assertEqual(
            list(sheets), ["全区指标", "街道园区", "区县排名", "红黑榜", "拱墅区历年"]
        )
        header, *rows = sheets["全区指标"]
        self.assertEqual(
            header[:6], ("指标", "单位", "数值", "目标", "完成率", "序时进度")
        )
        rd = next(r for r in rows if r[0] == "全社会R&D经费支出")
        self.assertEqual(rd[1:5], ("万元", 12000, 15000, 0.8))
        self.assertAlmostEqual(rd[6], 0.2)
        streets = {r[2] for r in sheets["街道园区"][1:]}
        self.assertEqual(streets, {"米市巷街道", "湖墅街道"})

    def test_a_liaisons_export_holds_only_their_street(self) -> None:
        sheets = self.sheets(self.liaison)
        self.assertEqual({r[2] for r in sheets["街道园区"][1:]}, {"米市巷街道"})


class SummaryDownloadTests(CastTestCase):
    def test_a_job_writes_the_word_draft_for_download(self) -> None:
        self.client.force_login(self.head)
        with tasks_at_once():
            response = self.client.get(f"/dashboard/summary/?year={YEAR}&half=1")
        job = BackgroundJob.objects.get(owner=self.head)
        self.assertRedirects(response, reverse("job-page", args=[job.pk]))
        self.assertEqual(job.params, {"year": [str(YEAR)], "half": ["1"]})
        self.assertEqual(job.title, f"{YEAR}年上半年工作总结（Word）")
        page = self.client.get(response["Location"])
        self.assertContains(page, f"工作总结-{YEAR}-上半年.docx")
        download = self.client.get(reverse("job-download", args=[job.pk]))
        self.assertEqual(
            download["Content-Type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        self.assertIn("2025", download["Content-Disposition"])
        self.assertEqual(b"".join(download.streaming_content)[:2], b"PK")
        # The summary is the head's: a leader who may read summaries too
        # does not see it.
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(response["Location"]).status_code, 404)

    def test_only_the_first_half_can_be_asked_for(self) -> None:
        self.client.force_login(self.leader)
        response = self.client.get(f"/dashboard/summary/?year={YEAR}&half=2")
        self.assertEqual(response.status_code, 400)
