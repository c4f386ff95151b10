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
from enterprises.models import (
    Agreement,
    Alliance,
    AnnualReturn,
    Carrier,
    CarrierType,
    FilingStatus,
    InstitutionType,
    Loan,
    QuarterlyReport,
    Tier,
)
from enterprises.services import (
    agreement_save,
    alliance_save,
    carrier_save,
    carrier_years_save,
    certification_create,
    cooperation_visit_record,
    enterprise_fact_record,
    loan_record,
    rd_institution_record,
    registration_submit,
    visit_record,
)
from enterprises.services.ip import ip_item_create, tech_transfer_record


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


def _renewal_ids(response: HttpResponse) -> list[int]:
    """The certificates on the 重新认定 page."""
    return [row.certification.pk for row, _verdict in response.context["rows"]]


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
                type=InstitutionType.objects.get(code="rd_centre"),
                level="municipal",
                recognised_on=date(2024, 5, 1),
            )
            enterprise_fact_record(
                enterprise=enterprise,
                by=cls.officer,
                subject="credit",
                met=True,
                checked_on=date(2025, 2, 1),
                source="信用中国查询",
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
        # The registers: an IP item and a transfer each; both proposed 规上.
        for enterprise in (cls.enterprise_a, cls.enterprise_b):
            ip_item_create(
                enterprise=enterprise,
                by=None,
                ip_type="utility",
                number=f"ZL{enterprise.pk}",
                title="一种散热装置",
                status="granted",
                granted_on=date(2024, 3, 1),
            )
            tech_transfer_record(
                enterprise=enterprise,
                by=None,
                title="散热装置",
                year=2024,
                way="licence",
            )
        AnnualReturn.objects.update(main_business_revenue=Decimal("25000000"))
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
        # Carriers, agreements and alliances of each street.
        cls.carriers, cls.agreements = {}, {}
        for street, enterprise in (
            (cls.street_a, cls.enterprise_a),
            (cls.street_b, cls.enterprise_b),
        ):
            carrier = carrier_save(
                carrier=Carrier(
                    name=f"{street.name}孵化器",
                    type=CarrierType.objects.get(code="incubator"),
                    level="municipal",
                    org_unit=street,
                    host=enterprise,
                ),
                by=cls.officer,
            )
            carrier_years_save(
                carrier=carrier, by=cls.officer, rows=[{"year": 2025, "incubating": 9}]
            )
            cls.carriers[street.pk] = carrier
            agreement = agreement_save(
                agreement=Agreement(
                    kind=Agreement.Kind.UNIVERSITY_ENTERPRISE,
                    title=f"{enterprise.name}产学研协议",
                    partner_name="浙江工业大学",
                    signed_on=date(2025, 4, 1),
                ),
                by=cls.officer,
                parties=[enterprise],
            )
            cooperation_visit_record(
                agreement=agreement,
                by=cls.officer,
                visited_on=date(2025, 6, 1),
                visitors="产学研科",
            )
            cls.agreements[street.pk] = agreement
            alliance_save(
                alliance=Alliance(
                    kind=Alliance.Kind.CONSORTIUM,
                    name=f"{street.name}创新联合体",
                    lead=enterprise,
                    level="municipal",
                    founded_on=date(2025, 5, 1),
                ),
                by=cls.officer,
            )

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
                "recorded facts",
                f"/enterprises/{a}/facts/",
                f"/api/v1/enterprises/{a}/facts/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "pre-check of a tier",
                f"/enterprises/{a}/?precheck=new_chuying",
                f"/api/v1/enterprises/{a}/eligibility/new-chuying/",
                lambda r: [
                    (c["code"], c["status"])
                    for c in r.context["assessment"].result["conditions"]
                ],
                lambda r: [(c["code"], c["status"]) for c in r.json()["conditions"]],
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
                "IP items",
                "/enterprises/ip/",
                "/api/v1/ip-items/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "an enterprise's IP items",
                f"/enterprises/{a}/ip/",
                f"/api/v1/enterprises/{a}/ip-items/",
                context_ids("items"),
                api_ids,
            ),
            Route(
                "an enterprise's transfers",
                f"/enterprises/{a}/ip/",
                f"/api/v1/enterprises/{a}/transfers/",
                context_ids("transfers"),
                api_ids,
            ),
            Route(
                "an enterprise's staff rosters",
                f"/enterprises/{a}/staff/",
                f"/api/v1/enterprises/{a}/staff-rosters/",
            ),
            Route(
                "规上 proposals",
                "/enterprises/above-scale/",
                "/api/v1/above-scale-proposals/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "re-recognition list (高企 certificates ending in 2027)",
                "/enterprises/renewals/?year=2027",
                "/api/v1/ladder/renewals/?year=2027",
                _renewal_ids,
                api_ids,
            ),
            Route(
                "re-recognition list of a street",
                f"/enterprises/renewals/?year=2027&org_unit={self.street_b.code}",
                f"/api/v1/ladder/renewals/?year=2027&org_unit={self.street_b.code}",
                _renewal_ids,
                api_ids,
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
                "carrier list",
                "/carriers/",
                "/api/v1/carriers/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "carrier and its yearly figures",
                f"/carriers/{self.carriers[self.street_a.pk].pk}/",
                f"/api/v1/carriers/{self.carriers[self.street_a.pk].pk}/years/",
            ),
            Route(
                "cooperation agreement list",
                "/cooperation/",
                "/api/v1/cooperations/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "cooperation agreement and its visits",
                f"/cooperation/{self.agreements[self.street_a.pk].pk}/",
                f"/api/v1/cooperations/{self.agreements[self.street_a.pk].pk}/visits/",
            ),
            Route(
                "alliance list",
                "/alliances/",
                "/api/v1/alliances/",
                context_ids("page"),
                api_ids,
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
