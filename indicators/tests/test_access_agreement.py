"""Pages and API agree: for every role of the cast, each object type's
page and API routes give the same status (200/403/404) and the same rows."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from bureau.models import OrgUnit, User
from bureau.tests.base import CastTestCase
from indicators.models import DataValue, ImportBatch, Indicator, Target
from indicators.services import import_start
from indicators.tests.test_import_api import workbook

YEAR = 2025
CODE = "rd_spending"
ROLES = [
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
]
_years = itertools.count(2000)


def _status(response: Any) -> int:
    """A page's redirect after a successful POST is the API's 200."""
    return 200 if response.status_code == 302 else response.status_code


class AccessAgreementTests(CastTestCase):
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
        cls.officer_batch = cls.batch(cls.officer, cls.street_a)
        cls.liaison_batch = cls.batch(cls.liaison, cls.street_a)

    @staticmethod
    def batch(user: User, unit: OrgUnit) -> ImportBatch:
        year = next(_years)
        upload = workbook(("tech_contracts", unit.code, str(year), 1))
        return import_start(file=upload, by=user)

    def walk(
        self,
        page: Callable[[], Any],
        api: Callable[[], Any],
        rows: tuple[Callable[[Any], set[Any]], Callable[[Any], set[Any]]] | None = None,
    ) -> None:
        """Log in as every role in turn and compare the page with the API."""
        for role in ROLES:
            with self.subTest(role=role):
                self.client.force_login(getattr(self, role))
                page_response, api_response = page(), api()
                self.assertEqual(
                    _status(page_response), _status(api_response), api_response
                )
                if rows and page_response.status_code == 200:
                    self.assertEqual(
                        rows[0](page_response), rows[1](api_response.json())
                    )

    def streets(self) -> set[str]:
        return {self.street_a.code, self.street_b.code}

    # --- Dashboard ----------------------------------------------------------

    def test_the_dashboard_page_and_api_agree(self) -> None:
        self.walk(
            lambda: self.client.get(f"/dashboard/?year={YEAR}"),
            lambda: self.client.get(f"/api/v1/dashboard/?year={YEAR}"),
            (
                lambda r: {row["code"] for row in r.context["matrix"]},
                lambda body: {
                    s["code"] for b in body["indicators"] for s in b["streets"]
                },
            ),
        )

    def test_the_dashboard_export_and_api_agree(self) -> None:
        def exported(response: Any) -> set[str]:
            book = load_workbook(io.BytesIO(response.content))
            names = {r[2] for r in list(book["街道园区"].values)[1:]}
            return set(
                OrgUnit.objects.filter(name__in=names).values_list("code", flat=True)
            )

        self.walk(
            lambda: self.client.get(f"/dashboard/export/?year={YEAR}"),
            lambda: self.client.get(f"/api/v1/dashboard/?year={YEAR}"),
            (
                exported,
                lambda body: {
                    s["code"] for b in body["indicators"] for s in b["streets"]
                },
            ),
        )

    # --- Indicator values and targets ----------------------------------------

    def test_an_indicators_values_agree_with_the_values_api(self) -> None:
        self.walk(
            lambda: self.client.get(f"/dashboard/{CODE}/?year={YEAR}"),
            lambda: self.client.get(
                f"/api/v1/indicator-values/?indicator={CODE}&year={YEAR}"
            ),
            (
                lambda r: {
                    f["code"]
                    for f in r.context["streets"]
                    if f["value"]["number"] != "—"
                },
                lambda body: {v["org_unit"] for v in body["results"]} & self.streets(),
            ),
        )

    def test_an_indicators_targets_agree_with_the_targets_api(self) -> None:
        self.walk(
            lambda: self.client.get(f"/dashboard/{CODE}/?year={YEAR}"),
            lambda: self.client.get(f"/api/v1/targets/?indicator={CODE}&year={YEAR}"),
            (
                lambda r: {
                    f["code"]
                    for f in r.context["streets"]
                    if f["target"]["number"] != "—"
                },
                lambda body: {t["org_unit"] for t in body["results"]} & self.streets(),
            ),
        )

    # --- Import batches -------------------------------------------------------

    def test_the_import_batch_list_agrees(self) -> None:
        self.walk(
            lambda: self.client.get("/indicators/imports/"),
            lambda: self.client.get("/api/v1/indicator-imports/"),
            (
                lambda r: {b.pk for b in r.context["batches"]},
                lambda body: {b["id"] for b in body["results"]},
            ),
        )

    def test_the_import_template_agrees(self) -> None:
        self.walk(
            lambda: self.client.get("/indicators/imports/template/"),
            lambda: self.client.get("/api/v1/indicator-imports/template/"),
        )

    def test_an_import_batch_agrees(self) -> None:
        for batch in (self.officer_batch, self.liaison_batch):
            with self.subTest(owner=batch.uploaded_by.username):
                self.walk(
                    lambda b=batch: self.client.get(f"/indicators/imports/{b.pk}/"),
                    lambda b=batch: self.client.get(
                        f"/api/v1/indicator-imports/{b.pk}/"
                    ),
                    (lambda r: {r.context["batch"].pk}, lambda body: {body["id"]}),
                )

    def test_rolling_back_an_import_batch_agrees(self) -> None:
        for owner in ("officer", "liaison"):
            user = getattr(self, owner)
            with self.subTest(owner=owner):
                # A fresh batch for each side, so one side's rollback does
                # not change what the other side finds.
                self.walk(
                    lambda user=user: self.client.post(
                        "/indicators/imports/"
                        f"{self.batch(user, self.street_a).pk}/rollback/"
                    ),
                    lambda user=user: self.client.post(
                        "/api/v1/indicator-imports/"
                        f"{self.batch(user, self.street_a).pk}/rollback/"
                    ),
                )

    def test_the_walk_saw_every_answer(self) -> None:
        """The cast covers 200, 403 and 404 on the batch routes."""
        seen = set()
        for role in ROLES:
            self.client.force_login(getattr(self, role))
            seen.add(
                self.client.get(
                    f"/api/v1/indicator-imports/{self.officer_batch.pk}/"
                ).status_code
            )
        self.assertEqual(seen, {200, 403, 404})
