"""Pages and API agree: for every role of the cast, each object type's
page and API routes give the same status (200/403/404) and the same rows."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import load_workbook

from bureau.models import OrgUnit, User
from bureau.tests.agreement import PageApiAgreement, Route, api_ids, context_ids
from bureau.tests.base import CastTestCase
from indicators.models import DataValue, ImportBatch, Indicator, Target
from indicators.services import import_start
from indicators.tests.test_import_api import workbook

YEAR = 2025
CODE = "rd_spending"
# The years of fresh import batches: never YEAR, so that the batches the walk
# uploads and rolls back leave the figures the other routes show alone.
_years = (year for year in itertools.count(2000) if year != YEAR)


def _dashboard_streets(response: HttpResponse) -> set[str]:
    body = response.json()
    return {s["code"] for b in body["indicators"] for s in b["streets"]}


def _exported_streets(response: HttpResponse) -> set[str]:
    book = load_workbook(io.BytesIO(response.content))
    names = {r[2] for r in list(book["街道园区"].values)[1:]}
    return set(OrgUnit.objects.filter(name__in=names).values_list("code", flat=True))


def _streets_with(field: str) -> Callable[[HttpResponse], set[str]]:
    """The streets for which an indicator's page shows a value (a target)."""

    def streets(response: HttpResponse) -> set[str]:
        rows = response.context["streets"]
        return {row["code"] for row in rows if row[field]["number"] != "—"}

    return streets


class AccessAgreementTests(PageApiAgreement, CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        indicator = Indicator.objects.get(code=CODE)
        for unit, amount in (
            (cls.district, "12000"),
            (cls.street_a, "4500"),
            (cls.street_b, "2000"),
        ):
            DataValue.objects.create(
                indicator=indicator,
                org_unit=unit,
                period_type="Y",
                period=0,
                year=YEAR,
                value=Decimal(amount),
                source=DataValue.Source.IMPORT,
            )
            Target.objects.create(
                indicator=indicator, org_unit=unit, year=YEAR, value=Decimal(amount)
            )
        cls.officer_batch = cls.import_batch(cls.officer)
        cls.liaison_batch = cls.import_batch(cls.liaison)

    @classmethod
    def import_batch(cls, user: User) -> ImportBatch:
        """A fresh batch of street A's figures, uploaded by `user`."""
        upload = workbook(("tech_contracts", cls.street_a.code, str(next(_years)), 1))
        return import_start(file=upload, by=user)

    def batch(self, user: User) -> int:
        return self.import_batch(user).pk

    def streets(self, response: HttpResponse) -> set[str]:
        """The streets among an API list's rows (the district has rows too)."""
        rows = response.json()["results"]
        return {row["org_unit"] for row in rows} & {
            self.street_a.code,
            self.street_b.code,
        }

    def routes(self) -> list[Route]:
        routes = [
            Route(
                "dashboard",
                f"/dashboard/?year={YEAR}",
                f"/api/v1/dashboard/?year={YEAR}",
                lambda r: {row["code"] for row in r.context["matrix"]},
                _dashboard_streets,
            ),
            Route(
                "dashboard export",
                f"/dashboard/export/?year={YEAR}",
                f"/api/v1/dashboard/?year={YEAR}",
                _exported_streets,
                _dashboard_streets,
            ),
            # The dashboard cards are the headline indicators, not every
            # definition: compared by status only.
            Route("indicator list", f"/dashboard/?year={YEAR}", "/api/v1/indicators/"),
            Route(
                "an indicator's values",
                f"/dashboard/{CODE}/?year={YEAR}",
                f"/api/v1/indicator-values/?indicator={CODE}&year={YEAR}",
                _streets_with("value"),
                self.streets,
            ),
            Route(
                "an indicator's targets",
                f"/dashboard/{CODE}/?year={YEAR}",
                f"/api/v1/targets/?indicator={CODE}&year={YEAR}",
                _streets_with("target"),
                self.streets,
            ),
            Route(
                "import batch list",
                "/indicators/imports/",
                "/api/v1/indicator-imports/",
                context_ids("batches"),
                api_ids,
            ),
            Route(
                "import template",
                "/indicators/imports/template/",
                "/api/v1/indicator-imports/template/",
            ),
        ]
        for owner in ("officer", "liaison"):
            batch = getattr(self, f"{owner}_batch").pk
            user = getattr(self, owner)
            routes += [
                Route(
                    f"import batch ({owner}'s)",
                    f"/indicators/imports/{batch}/",
                    f"/api/v1/indicator-imports/{batch}/",
                    lambda r: {r.context["batch"].pk},
                    lambda r: {r.json()["id"]},
                ),
                # A fresh batch for each side, so one side's rollback does
                # not change what the other side finds.
                Route(
                    f"rolling back an import batch ({owner}'s)",
                    lambda c, user=user: c.post(
                        f"/indicators/imports/{self.batch(user)}/rollback/",
                        {"confirmed": "1"},  # past the confirmation step
                    ),
                    lambda c, user=user: c.post(
                        f"/api/v1/indicator-imports/{self.batch(user)}/rollback/"
                    ),
                    success_redirect=True,
                ),
            ]
        return routes

    def test_the_walk_saw_every_answer(self) -> None:
        """The cast covers 200, 403 and 404 on the batch routes."""
        seen = set()
        for role in self.roles:
            self.client.force_login(getattr(self, role))
            seen.add(
                self.client.get(
                    f"/api/v1/indicator-imports/{self.officer_batch.pk}/"
                ).status_code
            )
        self.assertEqual(seen, {200, 403, 404})
