from __future__ import annotations

from decimal import Decimal

import time_machine
from django.core import mail

from bureau.models import AuditEvent, Notification
from bureau.tests.base import CastTestCase
from enterprises.models import AnnualReturn, QuarterlyReport

FIGURES = {
    "main_business_revenue": "30000000",
    "other_business_revenue": "1000000",
    "total_income": "31500000",
    "hightech_income": "25000000",
    "rd_personnel": "1200000",
    "rd_direct": "300000",
    "staff_total": "80",
    "tech_staff": "16",
    "total_assets": "40000000",
    "net_assets": "20000000",
    "ip_invention": 2,
    "ip_software": 5,
}


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class AnnualReturnApiTests(CastTestCase):
    url = "/api/v1/annual-returns/"

    def create(self, **changes):  # type: ignore[no-untyped-def]
        return self.post_json(self.url, {"year": 2025, **FIGURES, **changes})

    def test_an_enterprise_files_submits_and_staff_accept(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.create()
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["enterprise"], self.enterprise_a.pk)
        self.assertEqual(body["status"], "draft")
        self.assertEqual(body["sales_revenue"], "31000000.00")
        pk = body["id"]
        patched = self.patch_json(f"{self.url}{pk}/", {"rd_design": "50000"})
        self.assertEqual(patched.json()["rd_incurred"], "1550000.00")
        self.assertEqual(
            self.client.post(f"{self.url}{pk}/submit/").json()["status"], "submitted"
        )
        # Submitted: no more edits, and the enterprise cannot review itself.
        self.assertEqual(
            self.patch_json(f"{self.url}{pk}/", {"rd_design": "1"}).status_code,
            409,
        )
        self.assertEqual(
            self.post_json(f"{self.url}{pk}/review/", {"accept": True}).status_code,
            403,
        )
        self.client.force_login(self.officer)
        accepted = self.post_json(f"{self.url}{pk}/review/", {"accept": True})
        self.assertEqual(accepted.json()["status"], "accepted")
        actions = set(
            AuditEvent.objects.filter(object_id=str(pk)).values_list(
                "action", flat=True
            )
        )
        self.assertEqual(
            actions,
            {
                "annual_return.create",
                "annual_return.update",
                "annual_return.submit",
                "annual_return.accept",
            },
        )

    def test_returning_needs_a_reason_and_tells_the_enterprise(self) -> None:
        self.ent_user.email = "alice@example.com"
        self.ent_user.save(update_fields=["email"])
        self.client.force_login(self.ent_user)
        pk = self.create().json()["id"]
        self.client.post(f"{self.url}{pk}/submit/")
        self.client.force_login(self.head)
        no_reason = self.post_json(f"{self.url}{pk}/review/", {"accept": False})
        self.assertEqual(no_reason.status_code, 400)
        self.assertIn("reason", no_reason.json()["errors"])
        with self.captureOnCommitCallbacks(execute=True):
            returned = self.post_json(
                f"{self.url}{pk}/review/",
                {"accept": False, "reason": "研发费用明细缺失"},
            )
        self.assertEqual(returned.json()["status"], "returned")
        self.assertEqual(returned.json()["return_reason"], "研发费用明细缺失")
        self.assertTrue(Notification.objects.filter(recipient=self.ent_user).exists())
        self.assertEqual(len(mail.outbox), 1)
        # A returned filing can be corrected and submitted again.
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.patch_json(f"{self.url}{pk}/", {"rd_trials": "10000"}).status_code,
            200,
        )
        self.assertEqual(
            self.client.post(f"{self.url}{pk}/submit/").json()["status"], "submitted"
        )

    def test_nonsense_is_refused_field_by_field(self) -> None:
        self.client.force_login(self.ent_user)
        cases = {
            "tech_staff": {"tech_staff": "81"},
            "total_assets": {"total_assets": "-1"},
            "non_taxable_income": {"non_taxable_income": "40000000"},
            "year": {"year": 2026},
        }
        for field, change in cases.items():
            with self.subTest(field=field):
                response = self.create(**change)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json()["errors"])
        self.assertFalse(AnnualReturn.objects.exists())

    def test_r_and_d_above_sales_is_accepted_with_a_warning(self) -> None:
        # A start-up can spend more on R&D than it sells (issue 10, item 9).
        self.client.force_login(self.ent_user)
        response = self.create(rd_personnel="40000000")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(len(body["warnings"]), 1)
        self.assertIn("研发费用", body["warnings"][0])
        self.assertIn("高于销售收入", body["warnings"][0])
        self.assertTrue(AnnualReturn.objects.filter(pk=body["id"]).exists())

    def test_a_second_return_for_a_year_is_refused(self) -> None:
        self.client.force_login(self.ent_user)
        self.create()
        response = self.create()
        self.assertEqual(response.status_code, 400)
        self.assertIn("year", response.json()["errors"])

    def test_scoping(self) -> None:
        self.client.force_login(self.ent_user)
        pk = self.create().json()["id"]
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(f"{self.url}{pk}/").status_code, 404)
        self.assertEqual(self.client.post(f"{self.url}{pk}/submit/").status_code, 404)
        self.assertEqual(self.client.get(self.url).json()["count"], 0)
        # Filing for another enterprise by naming it is a 404 too.
        response = self.post_json(
            self.url, {"year": 2024, "enterprise": self.enterprise_a.pk, **FIGURES}
        )
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.liaison)  # street A: sees it, may not file
        self.assertEqual(self.client.get(f"{self.url}{pk}/").status_code, 200)
        self.assertEqual(self.client.post(f"{self.url}{pk}/submit/").status_code, 403)

    def test_a_role_that_never_files_is_refused_before_its_input_is_read(
        self,
    ) -> None:
        for user in (self.leader, self.liaison, self.expert):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.post_json(self.url, {"year": "x"})
                self.assertEqual(response.status_code, 403)

    def test_staff_file_on_behalf_of_an_enterprise(self) -> None:
        self.client.force_login(self.officer)
        response = self.create(enterprise=self.enterprise_b.pk)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["enterprise"], self.enterprise_b.pk)


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
class QuarterlyReportApiTests(CastTestCase):
    url = "/api/v1/quarterly-reports/"

    def test_a_quarter_that_has_not_ended_is_refused(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.post_json(
            self.url, {"year": 2026, "quarter": 4, "revenue_ytd": "1"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("quarter", response.json()["errors"])
        ok = self.post_json(
            self.url,
            {
                "year": 2026,
                "quarter": 3,
                "revenue_ytd": "9000000",
                "rd_ytd": "500000",
                "staff": "60",
            },
        )
        self.assertEqual(ok.status_code, 201, ok.content)
        again = self.post_json(self.url, {"year": 2026, "quarter": 3})
        self.assertEqual(again.status_code, 400)
        self.assertIn("quarter", again.json()["errors"])
        self.assertEqual(QuarterlyReport.objects.count(), 1)
        self.assertEqual(QuarterlyReport.objects.get().revenue_ytd, Decimal("9000000"))

    def test_r_and_d_above_revenue_is_refused(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.post_json(
            self.url,
            {"year": 2026, "quarter": 2, "revenue_ytd": "100", "rd_ytd": "200"},
        )
        self.assertIn("rd_ytd", response.json()["errors"])

    def test_the_list_has_a_constant_number_of_queries(self) -> None:
        from enterprises.services import quarterly_report_create

        self.client.force_login(self.officer)
        quarterly_report_create(
            enterprise=self.enterprise_a, year=2025, quarter=4, by=self.officer
        )
        # session, user, count, page (enterprise joined)
        with self.assertNumQueries(4):
            self.client.get(self.url)
        for quarter in (1, 2, 3):
            quarterly_report_create(
                enterprise=self.enterprise_a,
                year=2026,
                quarter=quarter,
                by=self.officer,
            )
            quarterly_report_create(
                enterprise=self.enterprise_b,
                year=2026,
                quarter=quarter,
                by=self.officer,
            )
        with self.assertNumQueries(4):
            response = self.client.get(self.url + "?year=2026")
        self.assertEqual(response.json()["count"], 6)
