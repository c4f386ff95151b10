"""季度监测 from the page (issue 13 item 6): staff start a quarter, the
Celery task runs (eagerly in tests and under `make run`), the run is
audited, the page follows its progress; and the demo seed runs the latest
due quarter so the page is populated."""

from __future__ import annotations

from datetime import date
from unittest import mock

from django.utils import timezone

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.demo import seed_enterprises
from enterprises.models import MonitoringReport, QuarterlyReport, Tier
from enterprises.monitoring import due_quarters, latest_due_quarter
from enterprises.services.monitoring import monitoring_run_update
from enterprises.tests.factories import award


class MonitoringStartTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year, cls.quarter = latest_due_quarter(timezone.localdate())
        sme = Tier.objects.get(code="tech_sme")
        for enterprise in (cls.enterprise_a, cls.enterprise_b):
            award(enterprise, sme, date(cls.year, 1, 10))

    @property
    def period(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def test_staff_see_the_start_form_others_do_not(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get("/monitoring/")
        self.assertContains(page, "data-monitoring-start")
        self.assertContains(page, f'value="{self.period}"')
        self.assertContains(page, "开始监测")
        for user in (self.leader, self.liaison):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.get("/monitoring/")
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, "data-monitoring-start")

    def test_starting_runs_the_quarter_and_opens_its_reports(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post("/monitoring/run/", {"period": self.period})
        self.assertRedirects(
            response,
            f"/monitoring/{self.period}/",
            fetch_redirect_response=False,
        )
        self.assertEqual(
            MonitoringReport.objects.filter(
                year=self.year, quarter=self.quarter
            ).count(),
            2,  # street A and street B
        )
        page = self.client.get(response.url)
        label = QuarterlyReport.period_label(self.year, self.quarter)
        self.assertContains(page, f"已完成{label}监测：监测2家企业，未报2家")
        self.assertContains(page, "米市巷街道")
        for action in ("monitoring.start", "monitoring.run"):
            with self.subTest(action=action):
                event = AuditEvent.objects.get(action=action)
                self.assertEqual(event.actor_id, self.officer.pk)

    def test_a_quarter_not_yet_due_is_refused(self) -> None:
        self.client.force_login(self.officer)
        year = timezone.localdate().year + 1
        response = self.client.post("/monitoring/run/", {"period": f"{year}Q1"})
        self.assertRedirects(response, "/monitoring/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/monitoring/"), "申报截止日期已过的季度")
        self.assertFalse(MonitoringReport.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="monitoring.start").exists())

    def test_a_run_that_cannot_be_queued_says_so(self) -> None:
        self.client.force_login(self.officer)
        with mock.patch(
            "enterprises.tasks.quarterly_monitoring.delay",
            side_effect=ConnectionError("redis down"),
        ):
            response = self.client.post("/monitoring/run/", {"period": self.period})
        self.assertTrue(response.url.startswith("/monitoring/runs/"))
        page = self.client.get(response.url)
        self.assertContains(page, 'data-run-state="failed"')
        self.assertContains(page, "监测未能完成")
        self.assertNotContains(page, "hx-trigger")
        self.assertFalse(MonitoringReport.objects.exists())

    def test_only_staff_may_start(self) -> None:
        for user in (self.leader, self.liaison, self.ent_user, self.expert):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                response = self.client.post("/monitoring/run/", {"period": self.period})
                self.assertEqual(response.status_code, 403)
        self.assertFalse(MonitoringReport.objects.exists())

    def test_the_run_page_shows_progress_until_done(self) -> None:
        monitoring_run_update(
            "abc123",
            state="running",
            year=self.year,
            quarter=self.quarter,
            by=self.officer.pk,
            done=3,
            total=10,
        )
        self.client.force_login(self.officer)
        page = self.client.get("/monitoring/runs/abc123/")
        self.assertContains(page, "<progress")
        self.assertContains(page, 'value="27"')  # 90% of the way for 3 of 10
        self.assertContains(page, 'hx-trigger="every 1s"')
        fragment = self.client.get("/monitoring/runs/abc123/", HTTP_HX_REQUEST="true")
        self.assertContains(fragment, "<progress")
        monitoring_run_update(
            "abc123",
            state="done",
            summary={
                "monitored": 2,
                "missing": 2,
                "late": 0,
                "decliners": 0,
                "expiring": 0,
            },
        )
        done = self.client.get("/monitoring/runs/abc123/", HTTP_HX_REQUEST="true")
        self.assertEqual(done["HX-Redirect"], f"/monitoring/{self.period}/")
        self.assertEqual(self.client.get("/monitoring/runs/nope/").status_code, 404)
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get("/monitoring/runs/abc123/").status_code, 403)


class MonitoringSeedTests(CastTestCase):
    def test_the_demo_seed_runs_the_latest_due_quarter(self) -> None:
        today = timezone.localdate()
        with mock.patch("enterprises.demo.registry.COUNT", 8):
            seed_enterprises(staff=[self.officer], featured=[], today=today)
        year, quarter = latest_due_quarter(today)
        self.assertTrue(
            MonitoringReport.objects.filter(year=year, quarter=quarter).exists()
        )
        self.client.force_login(self.officer)
        page = self.client.get("/monitoring/")
        self.assertContains(page, f"/monitoring/{year}Q{quarter}/")
        self.assertEqual(due_quarters(today)[0], (year, quarter))
