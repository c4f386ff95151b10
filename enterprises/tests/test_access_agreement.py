"""Page and API agree, for every role of the cast and every object type of
the enterprises app that has both: the same 200/403/404 and the same rows."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import load_workbook

from bureau.models import User
from bureau.tests.agreement import (
    PageApiAgreement,
    Route,
    api_field,
    api_ids,
    context_ids,
)
from bureau.tests.base import CastTestCase
from enterprises.models import AnnualReturn, FilingStatus, Loan, QuarterlyReport, Tier
from enterprises.services import (
    certification_create,
    loan_record,
    rd_institution_record,
    registration_submit,
    visit_record,
)


def _list_ids(response: HttpResponse) -> list[int]:
    """The enterprise list, or an enterprise user's own page (its list)."""
    if "page" not in response.context:
        return [response.context["enterprise"].pk]
    return context_ids("page")(response)


def _export_codes(response: HttpResponse) -> list[str]:
    """The credit codes of the list export, or of an enterprise user's own
    page (it has no list to export and is sent to its page)."""
    if not response["Content-Type"].startswith("application/vnd.openxmlformats"):
        return [response.context["enterprise"].credit_code]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def _own_page(user: User) -> str:
    return f"/enterprises/{user.enterprise_id}/"


class PageApiAgreementTests(PageApiAgreement, CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        hnte = Tier.objects.get(code=Tier.HNTE)
        for enterprise in (cls.enterprise_a, cls.enterprise_b):
            certification_create(
                by=None,
                enterprise=enterprise,
                tier=hnte,
                year=2024,
                issued_on=date(2024, 12, 1),
            )
            AnnualReturn.objects.create(
                enterprise=enterprise, year=2024, status=FilingStatus.SUBMITTED
            )
            QuarterlyReport.objects.create(
                enterprise=enterprise,
                year=2024,
                quarter=4,
                revenue_ytd=Decimal("1000000"),
                status=FilingStatus.DRAFT,
            )
            visit_record(
                enterprise=enterprise,
                by=cls.officer,
                visited_on=date(2025, 3, 1),
                issues_raised="融资",
                follow_ups=[],
            )
            rd_institution_record(
                enterprise=enterprise,
                by=cls.officer,
                name=f"{enterprise.name}研发中心",
                kind="rd_centre",
                level="municipal",
                recognised_on=date(2024, 5, 1),
            )
            loan_record(
                enterprise=enterprise,
                by=cls.officer,
                bank="杭州银行",
                amount=Decimal("5000000"),
                granted_on=date(2025, 1, 10),
                kind=Loan.Kind.CREDIT,
            )
        cls.annual_a = AnnualReturn.objects.get(enterprise=cls.enterprise_a)
        # A request for a second account of enterprise A (street A).
        cls.registration = registration_submit(
            credit_code=cls.enterprise_a.credit_code,
            enterprise_name=cls.enterprise_a.name,
            org_unit=cls.street_a,
            contact_name="张联系",
            contact_mobile="13900139000",
            username="second_a",
            password="Qiye#Zhuce-2026",
            ip_address="192.0.2.1",
        )
        cls.quarterly_a = QuarterlyReport.objects.get(enterprise=cls.enterprise_a)

    def routes(self) -> list[Route]:
        a = self.enterprise_a.pk
        related = (
            ("certifications", "certifications", "certifications"),
            ("visits", "visits", "visits"),
            ("R&D institutions", "rd-institutions", "institutions"),
            ("loans", "loans", "loans"),
        )
        return [
            Route(
                "enterprise list",
                "/enterprises/",
                "/api/v1/enterprises/",
                _list_ids,
                api_ids,
                redirect=_own_page,
            ),
            Route(
                "enterprise list export",
                "/enterprises/?export=xlsx",
                "/api/v1/enterprises/",
                _export_codes,
                api_field("credit_code"),
                redirect=_own_page,
            ),
            Route("enterprise", f"/enterprises/{a}/", f"/api/v1/enterprises/{a}/"),
            *(
                Route(
                    name,
                    f"/enterprises/{a}/",
                    f"/api/v1/enterprises/{a}/{path}/",
                    context_ids(key),
                    api_ids,
                )
                for name, path, key in related
            ),
            Route(
                "annual return list",
                "/filings/annual/",
                "/api/v1/annual-returns/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "annual return",
                f"/filings/annual/{self.annual_a.pk}/",
                f"/api/v1/annual-returns/{self.annual_a.pk}/",
            ),
            Route(
                "quarterly report list",
                "/filings/quarterly/",
                "/api/v1/quarterly-reports/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "quarterly report",
                f"/filings/quarterly/{self.quarterly_a.pk}/",
                f"/api/v1/quarterly-reports/{self.quarterly_a.pk}/",
            ),
            Route(
                "quarterly reports awaiting review (the staff queue's link)",
                "/filings/quarterly/?state=submitted",
                "/api/v1/quarterly-reports/?state=submitted",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "annual returns of a street (the liaison queue's link)",
                f"/filings/annual/?street={self.street_a.pk}",
                f"/api/v1/annual-returns/?street={self.street_a.pk}",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "quarterly report approval",
                lambda client: client.post(
                    f"/filings/quarterly/{self._submitted_a().pk}/review/",
                    {"accept": "1", "confirmed": "1"},
                ),
                lambda client: client.post(
                    f"/api/v1/quarterly-reports/{self._submitted_a().pk}/review/",
                    {"accept": True},
                    content_type="application/json",
                ),
                success_redirect=True,
            ),
            Route(
                "quarterly report bulk approval",
                lambda client: client.post(
                    "/filings/quarterly/approve/",
                    {"ids": [self._submitted_a().pk], "confirmed": "1"},
                ),
                lambda client: client.post(
                    "/api/v1/quarterly-reports/approve/",
                    {"ids": [self._submitted_a().pk]},
                    content_type="application/json",
                ),
                success_redirect=True,
            ),
            Route("ladder funnel", "/enterprises/funnel/", "/api/v1/ladder/funnel/"),
            Route(
                "ladder funnel of a year",
                "/enterprises/funnel/?year=2022",
                "/api/v1/ladder/funnel/?last_year=2022",
            ),
            Route(
                "ladder funnel export",
                "/enterprises/funnel/?year=2022&export=xlsx",
                "/api/v1/ladder/funnel/?last_year=2022",
            ),
            Route(
                "registration list",
                "/accounts/registrations/?status=",
                "/api/v1/registrations/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "registration",
                f"/accounts/registrations/{self.registration.pk}/",
                f"/api/v1/registrations/{self.registration.pk}/",
            ),
            Route(
                "super-deduction calculator",
                lambda c: c.post(
                    "/calculators/super-deduction/",
                    {
                        "fiscal_year": "2025",
                        "industry_code": "C39",
                        "taxation": "actual",
                        "rd_expensed": "900",
                        "rd_other_costs": "150",
                    },
                ),
                lambda c: c.post(
                    "/api/v1/calculators/super-deduction/",
                    {
                        "fiscal_year": 2025,
                        "industry_code": "C39",
                        "taxation": "actual",
                        "rd_expensed": "9000000",
                        "rd_other_costs": "1500000",
                    },
                    content_type="application/json",
                ),
                lambda r: [r.context["result"]["extra_deduction"]],
                lambda r: [r.json()["extra_deduction"]],
            ),
        ]

    def _submitted_a(self) -> QuarterlyReport:
        """A fresh submitted report of enterprise A (street A) to act on."""
        last = QuarterlyReport.objects.order_by("-year").first()
        year = (last.year if last else 2000) + 1
        return QuarterlyReport.objects.create(
            enterprise=self.enterprise_a,
            year=year,
            quarter=1,
            status=FilingStatus.SUBMITTED,
        )

    def test_a_liaison_reads_its_streets_filings_and_never_acts(self) -> None:
        self.client.force_login(self.liaison)
        for page, api in (
            (
                f"/filings/annual/{self.annual_a.pk}/",
                f"/api/v1/annual-returns/{self.annual_a.pk}/",
            ),
            (
                f"/filings/quarterly/{self.quarterly_a.pk}/",
                f"/api/v1/quarterly-reports/{self.quarterly_a.pk}/",
            ),
        ):
            with self.subTest(page=page):
                self.assertEqual(self.client.get(page).status_code, 200)
                self.assertEqual(self.client.get(api).status_code, 200)
                self.assertEqual(self.client.post(page, {}).status_code, 403)
                self.assertEqual(
                    self.client.post(page + "review/", {"accept": "1"}).status_code,
                    403,
                )
        other = AnnualReturn.objects.get(enterprise=self.enterprise_b)
        self.assertEqual(
            self.client.get(f"/filings/annual/{other.pk}/").status_code, 404
        )

    def test_a_liaison_exports_only_its_street(self) -> None:
        self.client.force_login(self.liaison)
        codes = _export_codes(self.client.get("/enterprises/?export=xlsx"))
        self.assertEqual(codes, [self.enterprise_a.credit_code])
