"""Page and API agree, for every role of the cast and every object type of
the enterprises app that has both: the same 200/403/404 and the same rows."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import load_workbook

from bureau.models import User
from bureau.tests.base import CastTestCase
from enterprises.models import AnnualReturn, FilingStatus, Loan, QuarterlyReport, Tier
from enterprises.services import (
    certification_create,
    loan_record,
    rd_institution_record,
    visit_record,
)

ROLES = (
    "admin",
    "security",
    "auditor",
    "officer",
    "head",
    "leader",
    "liaison",
    "ent_user",
    "outsider",
    "expert",
)


@dataclass(frozen=True)
class Route:
    """A page and the API answering the same question; `page_rows` and
    `api_rows` give the ids shown, for lists and for an enterprise's
    related rows shown on its page."""

    name: str
    page: str
    api: str
    page_rows: Callable[[HttpResponse], list[int]] | None = None
    api_rows: Callable[[HttpResponse], list[int]] | None = None


def _api_ids(response: HttpResponse) -> list[int]:
    return sorted(row["id"] for row in response.json()["results"])


def _page_ids(key: str) -> Callable[[HttpResponse], list[int]]:
    def ids(response: HttpResponse) -> list[int]:
        if key == "page" and "page" not in response.context:
            # An enterprise user's list is its own page (see get_page).
            return [response.context["enterprise"].pk]
        rows = response.context[key]
        rows = getattr(rows, "object_list", rows)
        return sorted(row.pk for row in rows)

    return ids


class PageApiAgreementTests(CastTestCase):
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
        cls.quarterly_a = QuarterlyReport.objects.get(enterprise=cls.enterprise_a)

    def routes(self) -> list[Route]:
        a = self.enterprise_a.pk
        return [
            Route(
                "enterprise list",
                "/enterprises/",
                "/api/v1/enterprises/",
                _page_ids("page"),
                _api_ids,
            ),
            Route("enterprise", f"/enterprises/{a}/", f"/api/v1/enterprises/{a}/"),
            Route(
                "certifications",
                f"/enterprises/{a}/",
                f"/api/v1/enterprises/{a}/certifications/",
                _page_ids("certifications"),
                _api_ids,
            ),
            Route(
                "visits",
                f"/enterprises/{a}/",
                f"/api/v1/enterprises/{a}/visits/",
                _page_ids("visits"),
                _api_ids,
            ),
            Route(
                "R&D institutions",
                f"/enterprises/{a}/",
                f"/api/v1/enterprises/{a}/rd-institutions/",
                _page_ids("institutions"),
                _api_ids,
            ),
            Route(
                "loans",
                f"/enterprises/{a}/",
                f"/api/v1/enterprises/{a}/loans/",
                _page_ids("loans"),
                _api_ids,
            ),
            Route(
                "annual return list",
                "/filings/annual/",
                "/api/v1/annual-returns/",
                _page_ids("page"),
                _api_ids,
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
                _page_ids("page"),
                _api_ids,
            ),
            Route(
                "quarterly report",
                f"/filings/quarterly/{self.quarterly_a.pk}/",
                f"/api/v1/quarterly-reports/{self.quarterly_a.pk}/",
            ),
            Route("ladder funnel", "/enterprises/funnel/", "/api/v1/ladder/funnel/"),
        ]

    def get_page(self, user: User, url: str) -> HttpResponse:
        response = self.client.get(url)
        # An enterprise user's list is its own page.
        if response.status_code == 302 and url == "/enterprises/":
            self.assertEqual(response.url, f"/enterprises/{user.enterprise_id}/")
            response = self.client.get(response.url)
        return response

    def test_page_and_api_agree_for_every_role(self) -> None:
        for role in ROLES:
            user = getattr(self, role)
            self.client.force_login(user)
            for route in self.routes():
                with self.subTest(role=role, route=route.name):
                    page = self.get_page(user, route.page)
                    api = self.client.get(route.api)
                    self.assertIn(page.status_code, (200, 403, 404))
                    self.assertEqual(page.status_code, api.status_code)
                    if page.status_code == 200 and route.page_rows:
                        assert route.api_rows is not None
                        self.assertEqual(route.page_rows(page), route.api_rows(api))

    def test_the_list_export_holds_the_rows_the_api_lists(self) -> None:
        for role in ROLES:
            user = getattr(self, role)
            self.client.force_login(user)
            with self.subTest(role=role):
                export = self.client.get("/enterprises/?export=xlsx")
                api = self.client.get("/api/v1/enterprises/")
                if export.status_code == 302:  # an enterprise: no list to export
                    self.assertEqual(api.json()["count"], 1)
                    continue
                self.assertEqual(export.status_code, api.status_code)
                if export.status_code != 200:
                    continue
                codes = _export_codes(export)
                self.assertEqual(
                    codes, sorted(row["credit_code"] for row in api.json()["results"])
                )

    def test_a_liaison_exports_only_its_street(self) -> None:
        self.client.force_login(self.liaison)
        codes = _export_codes(self.client.get("/enterprises/?export=xlsx"))
        self.assertEqual(codes, [self.enterprise_a.credit_code])


def _export_codes(response: Any) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
