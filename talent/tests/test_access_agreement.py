"""Pages and API agree: for every role of the cast and every talent route
that has both a page and an API, the same status (200/403/404) and, for
lists and the export, the same rows."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.http import HttpResponse
from openpyxl import load_workbook

from bureau.tests.agreement import PageApiAgreement, Route, api_ids, context_ids
from bureau.tests.base import CastTestCase
from talent.models import Degree
from talent.points import PointsInput
from talent.services import (
    allowance_grant,
    allowances_mark_due,
    permit_case_create,
    talent_create,
)
from talent.tests.factories import AllowanceRuleFactory, ServiceLogFactory
from talent.tests.test_talent_privacy import ID_NUMBER

MISSING = 999_999


def _export_rows(response: HttpResponse) -> list[tuple[str, str]]:
    sheet = load_workbook(BytesIO(response.content)).active
    # An empty cell reads back as None: the API says "".
    rows = sheet.iter_rows(min_row=2, values_only=True)
    return [(row[0], row[1] or "") for row in rows]


class TalentAccessAgreementTests(PageApiAgreement, CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mine = talent_create(
            by=cls.officer,
            name="甲员工",
            id_number=ID_NUMBER,
            degree=Degree.DOCTORATE,
            employer=cls.enterprise_a,
        )
        cls.theirs = talent_create(
            by=cls.officer,
            name="乙员工",
            degree=Degree.DOCTORATE,
            employer=cls.enterprise_b,
        )
        cls.foreign = talent_create(
            by=cls.officer, name="Michael Brown", nationality="US"
        )
        rule = AllowanceRuleFactory()
        for person in (cls.mine, cls.theirs):
            allowance_grant(
                by=cls.officer, talent=person, rule=rule, first_month=date(2026, 1, 1)
            )
        allowances_mark_due(month=date(2026, 1, 1))
        cls.case = permit_case_create(
            by=cls.officer,
            talent=cls.foreign,
            points_input=PointsInput(education="doctorate"),
        )
        cls.commissioner = ServiceLogFactory().commissioner

    def routes(self) -> list[Route]:
        routes = [
            Route(
                "talent list",
                "/talent/",
                "/api/v1/talents/",
                context_ids("page"),
                api_ids,
            ),
            Route(
                "talent search by ID number",
                lambda c: c.post("/talent/", {"id_number": ID_NUMBER}),
                lambda c: c.post(
                    "/api/v1/talents/search/",
                    {"id_number": ID_NUMBER},
                    content_type="application/json",
                ),
                context_ids("page"),
                api_ids,
            ),
            Route(
                "allowance payments",
                "/talent/allowances/?month=2026-01",
                "/api/v1/allowance-payments/?month=2026-01",
                context_ids("payments"),
                api_ids,
            ),
            Route(
                "allowance payments export",
                "/talent/allowances/?month=2026-01&export=xlsx",
                "/api/v1/allowance-payments/?month=2026-01",
                _export_rows,
                lambda r: [(p["talent"], p["id_number"]) for p in r.json()["results"]],
            ),
            Route(
                "work-permit calculator",
                lambda c: c.post(
                    "/calculators/work-permit/",
                    {
                        "annual_salary": "30",
                        "education": "bachelor",
                        "work_years": "3",
                        "months_per_year": "10",
                        "chinese_level": "2",
                        "age": "29",
                    },
                ),
                lambda c: c.post(
                    "/api/v1/calculators/work-permit/",
                    {
                        "annual_salary": "300000",
                        "education": "bachelor",
                        "work_years": 3,
                        "months_per_year": 10,
                        "chinese_level": 2,
                        "age": 29,
                    },
                    content_type="application/json",
                ),
                lambda r: [r.context["result"].permit_class, r.context["result"].total],
                lambda r: [r.json()["class"], r.json()["points"]],
            ),
            Route(
                "commissioner list",
                "/talent/commissioners/",
                "/api/v1/commissioners/",
                context_ids("commissioners"),
                api_ids,
            ),
        ]
        for label, pk in (
            ("own employee", self.mine.pk),
            ("other employee", self.theirs.pk),
            ("foreign expert", self.foreign.pk),
            ("missing", MISSING),
        ):
            routes.append(
                Route(
                    f"talent detail ({label})",
                    f"/talent/{pk}/",
                    f"/api/v1/talents/{pk}/",
                )
            )
        for label, pk in (("existing", self.commissioner.pk), ("missing", MISSING)):
            routes.append(
                Route(
                    f"commissioner service log ({label})",
                    f"/talent/commissioners/{pk}/",
                    f"/api/v1/commissioners/{pk}/logs/",
                    context_ids("logs"),
                    api_ids,
                )
            )
        return routes

    def test_an_enterprise_user_sees_only_its_own_employees(self) -> None:
        for user, own in ((self.ent_user, self.mine), (self.outsider, self.theirs)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.get("/talent/")
                api = self.client.get("/api/v1/talents/")
                self.assertEqual(context_ids("page")(page), [own.pk])
                self.assertEqual(api_ids(api), [own.pk])

    def test_bureau_readers_see_every_row_others_see_none(self) -> None:
        expected = {
            "officer": 200,
            "head": 200,
            "leader": 200,
            "ent_user": 403,
            "expert": 403,
            "admin": 403,
        }
        for role, status in expected.items():
            self.client.force_login(getattr(self, role))
            with self.subTest(role=role):
                api = self.client.get("/api/v1/allowance-payments/?month=2026-01")
                self.assertEqual(api.status_code, status)
                if status == 200:
                    self.assertEqual(api.json()["count"], 2)
