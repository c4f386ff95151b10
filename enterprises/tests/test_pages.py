from __future__ import annotations

from datetime import date
from decimal import Decimal

from bureau.tests.base import CastTestCase
from enterprises.models import AnnualReturn, FilingStatus, QuarterlyReport, Tier
from enterprises.tests.factories import award


class EnterprisePageTests(CastTestCase):
    def test_the_list_is_scoped_and_exports(self) -> None:
        self.client.force_login(self.liaison)
        page = self.client.get("/enterprises/")
        self.assertContains(page, self.enterprise_a.name)
        self.assertNotContains(page, self.enterprise_b.name)
        export = self.client.get("/enterprises/?export=xlsx")
        self.assertEqual(
            export["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        from io import BytesIO

        from openpyxl import load_workbook

        rows = list(
            load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True)
        )
        names = [row[1] for row in rows[1:]]
        self.assertEqual(names, [self.enterprise_a.name])
        self.client.force_login(self.expert)
        self.assertEqual(self.client.get("/enterprises/").status_code, 403)

    def test_an_enterprise_user_lands_on_its_own_page_and_not_others(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertRedirects(
            self.client.get("/enterprises/"), f"/enterprises/{self.enterprise_a.pk}/"
        )
        self.assertEqual(
            self.client.get(f"/enterprises/{self.enterprise_b.pk}/").status_code, 404
        )
        self.assertEqual(
            self.client.get(f"/enterprises/{self.enterprise_b.pk}/edit/").status_code,
            404,
        )

    def test_the_detail_shows_money_in_wan_and_expired_awards_as_expired(self) -> None:
        sme = Tier.objects.get(code="tech_sme")
        award(self.enterprise_a, sme, date(2024, 5, 1))
        AnnualReturn.objects.create(
            enterprise=self.enterprise_a,
            year=2024,
            status=FilingStatus.ACCEPTED,
            main_business_revenue=Decimal("85260322.52"),
        )
        self.client.force_login(self.officer)
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, "8,526.03")
        self.assertContains(page, "已过期")
        self.assertNotContains(page, ">撤销</button>")

    def test_staff_file_a_quarterly_report_for_an_enterprise(self) -> None:
        self.client.force_login(self.officer)
        url = f"/filings/quarterly/new/?enterprise={self.enterprise_b.pk}"
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url,
            {
                "year": 2025,
                "quarter": 2,
                "revenue_ytd": "1000",
                "profit_ytd": "10",
                "tax_ytd": "5",
                "rd_ytd": "50",
                "exports_ytd": "0",
                "staff": "12",
                "save": "",
            },
        )
        self.assertRedirects(response, "/filings/quarterly/")
        report = QuarterlyReport.objects.get(enterprise=self.enterprise_b)
        self.assertEqual(report.status, "draft")

    def test_the_form_shows_a_field_error_from_the_service(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            "/filings/quarterly/new/",
            {
                "year": 2025,
                "quarter": 2,
                "revenue_ytd": "100",
                "profit_ytd": "0",
                "tax_ytd": "0",
                "rd_ytd": "500",
                "exports_ytd": "0",
                "staff": "3",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "研发费用高于营业收入")
        self.assertFalse(QuarterlyReport.objects.exists())

    def test_an_enterprise_edits_its_contacts_only(self) -> None:
        self.client.force_login(self.ent_user)
        url = f"/enterprises/{self.enterprise_a.pk}/edit/"
        page = self.client.get(url)
        self.assertContains(page, "contact_phone")
        self.assertNotContains(page, 'name="name"')
        self.client.post(
            url,
            {
                "contact_phone": "0571-12345678",
                "contact_name": "陈",
                "contact_email": "",
                "address": "",
                "legal_representative": "",
            },
        )
        self.enterprise_a.refresh_from_db()
        self.assertEqual(self.enterprise_a.contact_phone, "0571-12345678")

    def test_a_liaison_edits_neither_name_nor_street(self) -> None:
        self.client.force_login(self.liaison)
        url = f"/enterprises/{self.enterprise_a.pk}/edit/"
        detail = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(detail, f'href="{url}"')
        page = self.client.get(url)
        self.assertContains(page, 'name="contact_phone"')
        self.assertNotContains(page, 'name="name"')
        self.assertNotContains(page, 'name="org_unit"')
        self.client.post(
            url, {"name": "改名", "org_unit": self.street_b.pk, "contact_name": "陈"}
        )
        self.enterprise_a.refresh_from_db()
        self.assertEqual(self.enterprise_a.org_unit, self.street_a)
        self.assertNotEqual(self.enterprise_a.name, "改名")

    def test_those_who_may_not_file_read_a_filing_but_cannot_change_it(self) -> None:
        filing = AnnualReturn.objects.create(enterprise=self.enterprise_a, year=2024)
        url = f"/filings/annual/{filing.pk}/"
        for user in (self.liaison, self.leader):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, 'name="submit"')
                self.assertEqual(
                    self.client.post(url, {"submit": "1"}).status_code, 403
                )
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_closing_a_follow_up_never_redirects_off_site(self) -> None:
        from enterprises.services import visit_record

        visit = visit_record(
            enterprise=self.enterprise_a,
            by=self.officer,
            visited_on=date(2025, 3, 1),
            follow_ups=[
                {
                    "action": "对接银行",
                    "owner": self.liaison,
                    "due_on": date(2025, 4, 1),
                }
            ],
        )
        follow_up = visit.follow_ups.get()
        self.client.force_login(self.liaison)
        response = self.client.post(
            f"/follow-ups/{follow_up.pk}/close/",
            {"result": "已对接", "next": "https://evil.example/"},
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)
