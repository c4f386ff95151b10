from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from bureau.models import Notification
from bureau.tests.base import CastTestCase
from enterprises.models import FilingStatus, MonitoringReport, QuarterlyReport, Tier
from enterprises.monitoring import latest_due_quarter, parse_period
from enterprises.services import quarterly_monitoring_run
from enterprises.tests.factories import EnterpriseFactory, award

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2025, 11, 1)


def file(enterprise, year, quarter, revenue, submitted):  # type: ignore[no-untyped-def]
    return QuarterlyReport.objects.create(
        enterprise=enterprise,
        year=year,
        quarter=quarter,
        revenue_ytd=Decimal(revenue),
        status=FilingStatus.SUBMITTED,
        submitted_at=datetime.combine(submitted, datetime.min.time(), SHANGHAI),
    )


class QuarterlyMonitoringTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sme, hnte = Tier.objects.get(code="tech_sme"), Tier.objects.get(code="hnte")
        cls.on_time = cls.enterprise_a  # street A
        cls.late = EnterpriseFactory(org_unit=cls.street_a, name="迟报公司")
        cls.silent = EnterpriseFactory(org_unit=cls.street_b, name="未报公司")
        cls.off_ladder = EnterpriseFactory(org_unit=cls.street_b, name="不在梯队公司")
        for e in (cls.on_time, cls.late, cls.silent):
            award(e, sme, date(2025, 3, 1))
        # The on-time filer also holds a 高企 certificate expiring in 2026-02.
        award(cls.on_time, hnte, date(2023, 2, 10))
        file(cls.on_time, 2025, 3, "8000000", date(2025, 10, 15))
        file(cls.on_time, 2024, 3, "10000000", date(2024, 10, 15))  # → −20%
        file(cls.late, 2025, 3, "5000000", date(2025, 10, 28))
        file(cls.late, 2024, 3, "4000000", date(2024, 10, 10))  # → +25%
        file(cls.off_ladder, 2025, 3, "1", date(2025, 10, 1))

    def test_it_flags_missing_late_declining_and_expiring(self) -> None:
        summary = quarterly_monitoring_run(year=2025, quarter=3, today=TODAY)
        self.assertEqual(
            (
                summary.monitored,
                summary.on_time,
                summary.late,
                summary.missing,
                summary.decliners,
                summary.expiring,
            ),
            (3, 1, 1, 1, 1, 1),
        )
        a = MonitoringReport.objects.get(year=2025, quarter=3, org_unit=self.street_a)
        self.assertEqual(
            (a.enterprises_monitored, a.filed_on_time, a.filed_late), (2, 1, 1)
        )
        by_name = {d["name"]: d for d in a.details}
        self.assertEqual(by_name[self.on_time.name]["flags"], ["declining", "expiring"])
        self.assertEqual(by_name[self.on_time.name]["revenue_yoy"], "-0.2000")
        self.assertEqual(by_name["迟报公司"]["flags"], ["late"])
        b = MonitoringReport.objects.get(year=2025, quarter=3, org_unit=self.street_b)
        self.assertEqual(b.missing, 1)
        self.assertEqual([d["name"] for d in b.details], ["未报公司"])

    def test_running_twice_changes_nothing_and_notifies_once(self) -> None:
        self.liaison.email = "liaison@example.com"
        self.liaison.save(update_fields=["email"])
        quarterly_monitoring_run(year=2025, quarter=3, today=TODAY)
        first = list(MonitoringReport.objects.values())
        notes = Notification.objects.count()
        self.assertGreater(notes, 0)
        self.assertTrue(Notification.objects.filter(recipient=self.liaison).exists())
        summary = quarterly_monitoring_run(year=2025, quarter=3, today=TODAY)
        self.assertFalse(summary.created)
        again = list(MonitoringReport.objects.values())
        for row in first + again:
            row.pop("generated_at")
        self.assertEqual(first, again)
        self.assertEqual(Notification.objects.count(), notes)

    def test_a_quarter_before_its_deadline_is_refused(self) -> None:
        with self.assertRaisesMessage(ValueError, "not due until 2025-10-20"):
            quarterly_monitoring_run(year=2025, quarter=3, today=date(2025, 10, 20))

    def test_periods(self) -> None:
        self.assertEqual(parse_period("2025q3"), (2025, 3))
        with self.assertRaises(ValueError):
            parse_period("2025Q5")
        self.assertEqual(latest_due_quarter(date(2025, 10, 21)), (2025, 3))
        self.assertEqual(latest_due_quarter(date(2025, 10, 20)), (2025, 2))
        self.assertEqual(latest_due_quarter(date(2026, 1, 5)), (2025, 3))

    def test_the_command(self) -> None:
        out = StringIO()
        call_command("run_quarterly_monitoring", "2024Q3", stdout=out)
        self.assertIn("2024Q3", out.getvalue())
        with self.assertRaisesMessage(CommandError, "not a quarter"):
            call_command("run_quarterly_monitoring", "2024-09", stdout=StringIO())

    def test_pages_are_scoped_and_export_to_excel(self) -> None:
        quarterly_monitoring_run(year=2025, quarter=3, today=TODAY)
        self.client.force_login(self.liaison)  # street A only
        page = self.client.get("/monitoring/2025Q3/")
        self.assertContains(page, "迟报公司")
        self.assertNotContains(page, "未报公司")
        self.client.force_login(self.officer)
        page = self.client.get("/monitoring/2025Q3/")
        self.assertContains(page, "未报公司")
        self.assertContains(page, "-20.0%")
        export = self.client.get("/monitoring/2025Q3/?export=xlsx")
        book = load_workbook(BytesIO(export.content))
        rows = list(book["需关注企业"].iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("街道/园区", "企业名称", "情况"))
        self.assertEqual(len(rows), 4)
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/monitoring/2025Q3/").status_code, 403)
        self.assertEqual(self.client.get("/monitoring/").status_code, 403)


class MonitoringPageWordingTests(CastTestCase):
    def test_the_page_names_no_command(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/monitoring/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "run_quarterly_monitoring")
