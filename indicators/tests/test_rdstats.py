"""The R&D statistics ledger: import of the list, a liaison acting on their
street only, the bureau's bulk actions, the computed 出报 counts and the 规上
coverage, and the list's query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine

from bureau.tests.base import CastTestCase
from bureau.tests.schema import served_schema
from enterprises.tests.factories import EnterpriseFactory
from indicators.models import DataValue, RDReportingUnit
from indicators.selectors import rd_default_year, rd_statistics_figures
from indicators.services import (
    LedgerImportError,
    indicators_recompute,
    rd_unit_create,
    rd_unit_set_status,
    rd_units_import,
)
from indicators.tests.ledger_helpers import rd_book

Status = RDReportingUnit.Status


class RDImportTests(CastTestCase):
    def run_import(self, *rows, year=2025):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=True):
            return rd_units_import(file=rd_book(*rows), year=year, by=self.officer)

    def test_units_take_street_and_scale_from_the_registry(self) -> None:
        self.enterprise_a.is_above_scale = True
        self.enterprise_a.save()
        result = self.run_import(
            [self.enterprise_a.name, "", "", "", 300],
            ["拱墅区人民医院", "", self.street_b.name, "否", ""],
        )
        self.assertEqual(result.created, 2)
        a = RDReportingUnit.objects.get(unit_name=self.enterprise_a.name)
        self.assertEqual(
            (a.enterprise, a.org_unit, a.is_above_scale, a.credit_code),
            (self.enterprise_a, self.street_a, True, self.enterprise_a.credit_code),
        )
        self.assertEqual(a.last_year_amount, Decimal("3000000.00"))
        hospital = RDReportingUnit.objects.get(unit_name="拱墅区人民医院")
        self.assertEqual(
            (hospital.enterprise, hospital.org_unit), (None, self.street_b)
        )

    def test_reimporting_updates_and_keeps_the_status(self) -> None:
        self.run_import([self.enterprise_a.name, "", "", "", 300])
        unit = RDReportingUnit.objects.get()
        rd_unit_set_status(
            unit=unit, by=self.liaison, status=Status.REPORTED, amount=Decimal("10")
        )
        again = self.run_import([self.enterprise_a.name, "", "", "", 300])
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 1))
        changed = self.run_import([self.enterprise_a.name, "", "", "是", 300])
        self.assertEqual(changed.updated, 1)
        unit.refresh_from_db()
        self.assertEqual((unit.status, unit.is_above_scale), (Status.REPORTED, True))

    def test_it_refuses_the_file_naming_each_bad_cell(self) -> None:
        with self.assertRaises(LedgerImportError) as caught:
            self.run_import(
                ["外地单位", "", "", "", ""],  # not in registry, no street
                [self.enterprise_a.name, "", "", "也许", ""],
                [self.enterprise_b.name, "", "不存在街道", "", ""],
                ["区农科所", "", self.street_b.code, "", "-1"],
            )
        found = {(e.row, e.column) for e in caught.exception.errors}
        self.assertEqual(
            found,
            {
                (2, "所在街道（园区）"),
                (3, "是否规上"),
                (4, "所在街道（园区）"),
                (5, "上年研发经费（万元）"),
            },
        )
        self.assertFalse(RDReportingUnit.objects.exists())

    def test_last_years_amount_comes_from_last_years_ledger_when_blank(self) -> None:
        self.run_import([self.enterprise_a.name, "", "", "", ""], year=2024)
        rd_unit_set_status(
            unit=RDReportingUnit.objects.get(),
            by=self.officer,
            status=Status.REPORTED,
            amount=Decimal("880000"),
        )
        self.run_import([self.enterprise_a.name, "", "", "", ""], year=2025)
        unit = RDReportingUnit.objects.get(year=2025)
        self.assertEqual(unit.last_year_amount, Decimal("880000.00"))


class RDScopingTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unit_a = rd_unit_create(
            by=cls.officer, year=2025, unit_name=cls.enterprise_a.name
        )
        cls.unit_b = rd_unit_create(
            by=cls.officer, year=2025, unit_name=cls.enterprise_b.name
        )

    def test_a_liaison_marks_their_streets_unit_reported(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.post(
            f"/indicators/rd-statistics/{self.unit_a.pk}/",
            {"status": "reported", "amount": "12.5", "note": ""},
        )
        self.assertEqual(response.status_code, 302)
        self.unit_a.refresh_from_db()
        self.assertEqual(
            (self.unit_a.status, self.unit_a.amount),
            (Status.REPORTED, Decimal("125000.00")),
        )

    def test_another_streets_unit_is_not_found(self) -> None:
        self.client.force_login(self.liaison)
        url = f"/indicators/rd-statistics/{self.unit_b.pk}/"
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(url, {"status": "reported", "amount": "1"}).status_code,
            404,
        )
        api = self.post_json(
            f"/api/v1/rd-statistics/{self.unit_b.pk}/status/",
            {"status": "no_activity", "note": "停产"},
        )
        self.assertEqual(api.status_code, 404)
        listed = self.client.get("/api/v1/rd-statistics/?year=2025").json()
        self.assertEqual([u["id"] for u in listed["results"]], [self.unit_a.pk])

    def test_no_rd_activity_needs_a_note_and_the_form_keeps_the_input(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.post(
            f"/indicators/rd-statistics/{self.unit_a.pk}/",
            {"status": "no_activity", "amount": "", "note": ""},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("note", response.context["form"].errors)
        self.unit_a.refresh_from_db()
        self.assertEqual(self.unit_a.status, Status.PENDING)

    def test_a_liaison_may_not_verify_nor_change_verified_figures(self) -> None:
        rd_unit_set_status(
            unit=self.unit_a, by=self.officer, status=Status.REPORTED, amount=Decimal(5)
        )
        self.client.force_login(self.liaison)
        url = f"/api/v1/rd-statistics/{self.unit_a.pk}/status/"
        self.assertEqual(self.post_json(url, {"status": "verified"}).status_code, 403)
        rd_unit_set_status(unit=self.unit_a, by=self.officer, status=Status.VERIFIED)
        response = self.post_json(url, {"status": "pending"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "verified")

    def test_verifying_a_unit_not_reported_is_a_conflict(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            f"/api/v1/rd-statistics/{self.unit_b.pk}/status/", {"status": "verified"}
        )
        self.assertEqual(response.status_code, 409)

    def test_staff_bulk_verify_only_the_reported_units(self) -> None:
        rd_unit_set_status(
            unit=self.unit_a, by=self.officer, status=Status.REPORTED, amount=Decimal(5)
        )
        self.client.force_login(self.officer)
        response = self.client.post(
            "/indicators/rd-statistics/bulk/",
            {
                "year": "2025",
                "ids": [self.unit_a.pk, self.unit_b.pk],
                "action": "verified",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.unit_a.refresh_from_db()
        self.unit_b.refresh_from_db()
        self.assertEqual(
            (self.unit_a.status, self.unit_b.status), ("verified", "pending")
        )

    def test_a_liaison_has_no_bulk_actions(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.post(
            "/indicators/rd-statistics/bulk/",
            {"year": "2025", "ids": [self.unit_a.pk], "action": "verified"},
        )
        self.assertEqual(response.status_code, 403)

    def test_the_progress_shows_only_the_liaisons_street(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/indicators/rd-statistics/?year=2025")
        self.assertEqual(
            [p.code for p in response.context["progress"]], [self.street_a.code]
        )


class RDIndicatorTests(CastTestCase):
    def value(self, code, unit):  # type: ignore[no-untyped-def]
        row = DataValue.objects.filter(
            indicator__code=code, org_unit=unit, year=2025, period_type="Y"
        ).first()
        return row.value if row else None

    def test_reporting_newly_reporting_and_above_scale_coverage(self) -> None:
        def unit(name, street, above, last, status, amount=None):  # type: ignore[no-untyped-def]
            row = RDReportingUnit.objects.create(
                year=2025,
                unit_name=name,
                org_unit=street,
                is_above_scale=above,
                last_year_amount=last,
                status=status,
                amount=amount,
            )
            return row

        a, b = self.street_a, self.street_b
        unit("甲", a, True, Decimal(100), Status.REPORTED, Decimal(200))
        unit("乙", a, True, None, Status.VERIFIED, Decimal(50))  # new
        unit("丙", a, True, Decimal(10), Status.NO_ACTIVITY)
        unit("丁", b, True, Decimal(0), Status.REPORTED, Decimal(0))  # new, no R&D
        unit("戊", b, False, None, Status.PENDING)
        indicators_recompute(year=2025)
        self.assertEqual(self.value("rd_reporting", a), 2)
        self.assertEqual(self.value("rd_reporting", self.district), 3)
        self.assertEqual(self.value("rd_new_reporting", self.district), 2)
        self.assertEqual(self.value("rd_above_active", a), 2)
        self.assertEqual(self.value("rd_above_units", a), 3)
        self.assertEqual(self.value("rd_above_units", self.district), 4)
        figures = rd_statistics_figures(2025)
        self.assertEqual(
            (figures["expected"], figures["reporting"], figures["new_reporting"]),
            (5, 3, 2),
        )
        self.assertEqual(figures["above_coverage"], Decimal("0.5"))
        self.assertEqual(figures["amount"], Decimal(250))

    def test_the_dashboard_shows_the_ledger_indicators_by_street(self) -> None:
        RDReportingUnit.objects.create(
            year=2025,
            unit_name="甲",
            org_unit=self.street_a,
            is_above_scale=True,
            status=Status.REPORTED,
            amount=Decimal(10),
        )
        indicators_recompute(year=2025)
        self.client.force_login(self.leader)
        body = self.client.get("/api/v1/dashboard/?year=2025").json()
        boards = {b["code"]: b for b in body["indicators"]}
        for code in (
            "rd_reporting",
            "rd_above_coverage",
            "contract_out",
            "contract_in",
        ):
            self.assertIn(code, boards)
        streets = {s["code"]: s for s in boards["rd_above_coverage"]["streets"]}
        # A ratio is a fraction in the API (DESIGN §5): 100% is 1.
        self.assertEqual(Decimal(streets[self.street_a.code]["value"]), Decimal(1))


class RDListQueryTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(8):
            enterprise = EnterpriseFactory(
                org_unit=cls.street_a if n % 2 else cls.street_b
            )
            rd_unit_create(by=cls.officer, year=2025, unit_name=enterprise.name)

    def test_the_api_list_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.officer)
        self.client.get("/api/v1/rd-statistics/?year=2025")
        # session, user, count, page with streets
        with self.assertNumQueries(4):
            response = self.client.get("/api/v1/rd-statistics/?year=2025")
        self.assertEqual(response.json()["count"], 8)

    def test_the_page_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.liaison)
        self.client.get("/indicators/rd-statistics/?year=2025")
        # session, user, streets of the filter, progress, years, count, page
        with self.assertNumQueries(7):
            response = self.client.get("/indicators/rd-statistics/?year=2025")
        self.assertEqual(response.context["page"].paginator.count, 4)


class RDDefaultYearTests(CastTestCase):
    """Without ?year= the API lists the current year's ledger when it has
    rows, else the newest ledger, as the page opens (it once answered 400)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        rd_unit_create(by=cls.officer, year=2024, unit_name=cls.enterprise_a.name)
        rd_unit_create(by=cls.officer, year=2025, unit_name=cls.enterprise_a.name)
        rd_unit_create(by=cls.officer, year=2025, unit_name=cls.enterprise_b.name)

    def years_listed(self, url: str) -> set[int]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return {row["year"] for row in response.json()["results"]}

    def test_without_a_year_it_lists_the_newest_ledger(self) -> None:
        self.client.force_login(self.officer)
        with time_machine.travel(date(2026, 3, 2), tick=False):
            self.assertEqual(self.years_listed("/api/v1/rd-statistics/"), {2025})
            page = self.client.get("/indicators/rd-statistics/")
            self.assertEqual(page.context["year"], 2025)
        self.assertEqual(self.years_listed("/api/v1/rd-statistics/?year=2024"), {2024})

    def test_the_current_years_ledger_comes_first(self) -> None:
        self.client.force_login(self.officer)
        with time_machine.travel(date(2024, 11, 2), tick=False):
            self.assertEqual(rd_default_year(), 2024)
            self.assertEqual(self.years_listed("/api/v1/rd-statistics/"), {2024})

    def test_without_any_ledger_it_is_last_year(self) -> None:
        RDReportingUnit.objects.all().delete()
        with time_machine.travel(date(2026, 3, 2), tick=False):
            self.assertEqual(rd_default_year(), 2025)

    def test_the_schema_says_the_year_is_optional(self) -> None:
        self.client.force_login(self.officer)
        schema = served_schema(self.client)
        if schema is None:
            self.skipTest("no schema endpoint at /api/schema/")
        parameters = schema["paths"]["/api/v1/rd-statistics/"]["get"]["parameters"]
        year = next(p for p in parameters if p["name"] == "year")
        self.assertFalse(year.get("required", False))
        self.assertIn("newest ledger", year["description"])
