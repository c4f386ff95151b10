"""The indicator import and API (DESIGN §5), and the dashboard figures."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal as D

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from bureau.models import AuditEvent, Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from indicators.models import DataValue, ImportBatch, Indicator, Target
from indicators.services import indicators_recompute, target_set
from indicators.tests.factories import value


def workbook(*rows, header=("indicator_code", "org_unit_code", "period", "value")):  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("数据.xlsx", buffer.getvalue())


class ImportTests(CastTestCase):
    url = "/api/v1/indicator-imports/"

    def upload(self, *rows, **kw):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, {"file": workbook(*rows, **kw)})

    def test_the_template_has_the_contract_header(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(f"{self.url}template/")
        header = next(
            load_workbook(io.BytesIO(response.content)).active.iter_rows(
                values_only=True
            )
        )
        self.assertEqual(
            header[:4], ("indicator_code", "org_unit_code", "period", "value")
        )
        # The codes' row is hidden; people read the Chinese headers of row
        # 2, each with a note saying what to fill in.
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertTrue(sheet.row_dimensions[1].hidden)
        self.assertEqual(
            [c.value for c in sheet[2]][:4], ["指标", "街道/单位", "统计期", "数值"]
        )
        self.assertIn("统计期", sheet["C2"].comment.text)

    def test_a_file_with_the_chinese_headers_names_bad_cells_by_them(self) -> None:
        self.client.force_login(self.officer)
        response = self.upload(
            ("tech_contracts", "330105001", "2025-13", 1),
            header=("指标代码", "单位代码", "统计期", "数值"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["column"], "统计期")

    def test_a_good_file_imports_and_reimporting_replaces(self) -> None:
        self.client.force_login(self.officer)
        response = self.upload(
            ("tech_contracts", "330105001", "2025-07", 120.5),
            ("tech_contracts", "330105001", "2025-08", "80"),
            ("rd_spending", "330105", "2025", 52000),
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["row_count"], 3)
        again = self.upload(("tech_contracts", "330105001", "2025-07", 130))
        self.assertEqual(again.json()["replaced"], 1)
        self.assertEqual(DataValue.objects.count(), 3)
        self.assertEqual(DataValue.objects.get(period=7).value, D("130"))
        event = AuditEvent.objects.filter(action="indicator_value.import").first()
        self.assertEqual(event.changes, {"value": ["120.5", "130"]})

    def test_one_bad_cell_stores_nothing_and_every_bad_cell_is_named(self) -> None:
        self.client.force_login(self.officer)
        response = self.upload(
            ("tech_contracts", "330105001", "2025-07", 1),  # fine
            ("no_such", "330105001", "2025-07", 1),  # row 3
            ("tech_contracts", "999", "2025-07", 1),  # row 4
            ("tech_contracts", "330105001", "2025-13", 1),  # row 5
            ("tech_contracts", "330105001", "2025Q2", "abc"),  # row 6
            ("gdp", "330105001", "2025", 1),  # row 7: district-only
            ("rd_intensity", "330105", "2025", 2.5),  # row 8: a ratio
            ("tech_contracts", "330105001", "2025-07", 2),  # row 9: duplicate of row 2
        )
        self.assertEqual(response.status_code, 400)
        body = response.json()
        cells = {(e["row"], e["column"]) for e in body["errors"]}
        self.assertEqual(
            cells,
            {
                (3, "indicator_code"),
                (4, "org_unit_code"),
                (5, "period"),
                (6, "value"),
                (7, "org_unit_code"),
                (8, "indicator_code"),
                (9, "period"),
            },
        )
        self.assertFalse(DataValue.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_a_wrong_unit_and_a_missing_column_are_named(self) -> None:
        self.client.force_login(self.officer)
        wrong = self.upload(
            ("tech_contracts", "330105001", "2025", 1, "亿元"),
            header=("indicator_code", "org_unit_code", "period", "value", "unit"),
        )
        self.assertEqual(wrong.json()["errors"][0]["column"], "unit")
        missing = self.upload(
            ("tech_contracts", "330105001"), header=("indicator_code", "org_unit_code")
        )
        self.assertEqual(
            {e["column"] for e in missing.json()["errors"]}, {"period", "value"}
        )
        junk = self.client.post(
            self.url, {"file": SimpleUploadedFile("x.xlsx", b"MZ not a workbook")}
        )
        self.assertEqual(junk.status_code, 400)

    def test_a_liaison_imports_only_their_street(self) -> None:
        self.client.force_login(self.liaison)  # street A = 330105001
        refused = self.upload(("tech_contracts", "330105002", "2025", 1))
        self.assertEqual(refused.status_code, 400)
        self.assertIn("无权", refused.json()["errors"][0]["message"])
        self.assertEqual(
            self.upload(("tech_contracts", "330105001", "2025", 1)).status_code, 201
        )
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.client.post(self.url, {"file": workbook()}).status_code, 403
        )

    def test_a_liaison_cannot_find_another_users_batch(self) -> None:
        self.client.force_login(self.officer)
        batch = self.upload(("tech_contracts", "330105001", "2025", 1)).json()["id"]
        self.client.force_login(self.liaison)
        self.assertEqual(self.client.get(f"{self.url}{batch}/").status_code, 404)
        self.assertEqual(self.client.get(self.url).json()["count"], 0)

    def test_leaders_read_no_import_batches_through_the_api(self) -> None:
        # The pages shut leaders out of the imports; the API did not.
        self.client.force_login(self.officer)
        batch = self.upload(("tech_contracts", "330105001", "2025", 1)).json()["id"]
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.get(f"{self.url}{batch}/").status_code, 403)
        self.assertEqual(self.client.get("/indicators/imports/").status_code, 403)

    def test_rolling_back_another_liaisons_batch_is_not_found(self) -> None:
        other = UserFactory(role=Role.STREET_LIAISON, org_unit=self.street_b)
        self.client.force_login(other)
        theirs = self.upload(("tech_contracts", "330105002", "2025", 1)).json()["id"]
        self.client.force_login(self.liaison)
        mine = self.upload(("tech_contracts", "330105001", "2025", 1)).json()["id"]
        # Not visible: 404, before the role's "never rolls back": 403.
        self.assertEqual(
            self.client.post(f"{self.url}{theirs}/rollback/").status_code, 404
        )
        self.assertEqual(
            self.client.post(f"{self.url}{mine}/rollback/").status_code, 403
        )
        self.assertEqual(ImportBatch.objects.filter(status="done").count(), 2)

    def test_an_oversize_workbook_is_refused_before_it_is_read(self) -> None:
        # A few hundred bytes that declare a sheet of two million rows.
        self.client.force_login(self.officer)
        small = workbook(("tech_contracts", "330105001", "2025", 1)).read()
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(small)) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(
                        rb'<dimension ref="[^"]*"/>',
                        b'<dimension ref="A1:D2000000"/>',
                        data,
                    )
                    self.assertIn(b"D2000000", data)
                target.writestr(item, data)
        response = self.client.post(
            self.url, {"file": SimpleUploadedFile("big.xlsx", out.getvalue())}
        )
        self.assertEqual(response.status_code, 400)
        error = response.json()["errors"][0]
        self.assertEqual(error["row"], 0)
        self.assertIn("文件过大", error["message"])
        self.assertFalse(ImportBatch.objects.exists())

    def test_staff_add_an_indicator_once(self) -> None:
        self.client.force_login(self.officer)
        body = {"code": "pilot_parks", "name": "试点园区", "unit": "个"}
        created = self.client.post("/api/v1/indicators/", body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(
            AuditEvent.objects.filter(action="indicator.create").count(), 1
        )
        again = self.client.post("/api/v1/indicators/", body)
        self.assertEqual(again.status_code, 400)
        self.assertIn("code", again.json()["errors"])
        self.assertEqual(Indicator.objects.filter(code="pilot_parks").count(), 1)

    def test_rollback_restores_replaced_values_and_deletes_created_ones(self) -> None:
        self.client.force_login(self.officer)
        first = self.upload(("tech_contracts", "330105001", "2025", 100)).json()["id"]
        second = self.upload(
            ("tech_contracts", "330105001", "2025", 150),
            ("tech_contracts", "330105002", "2025", 70),
        ).json()["id"]
        # The older batch cannot be undone while the newer one overwrote it.
        blocked = self.client.post(f"{self.url}{first}/rollback/")
        self.assertEqual(blocked.status_code, 409)
        self.assertEqual(
            self.client.post(f"{self.url}{second}/rollback/").json()["status"],
            "rolled_back",
        )
        self.assertEqual(
            list(DataValue.objects.values_list("value", flat=True)), [D("100")]
        )
        self.assertEqual(
            self.client.post(f"{self.url}{second}/rollback/").status_code, 409
        )

    @override_settings(INDICATOR_IMPORT_ASYNC_ROWS=1)
    def test_a_large_file_runs_as_a_task_with_progress(self) -> None:
        self.client.force_login(self.officer)
        response = self.upload(
            ("tech_contracts", "330105001", "2025-01", 1),
            ("tech_contracts", "330105001", "2025-02", 2),
        )
        self.assertEqual(response.status_code, 201)
        batch = ImportBatch.objects.get(pk=response.json()["id"])
        self.assertEqual((batch.status, batch.processed, batch.created), ("done", 2, 2))
        detail = self.client.get(f"{self.url}{batch.pk}/").json()
        self.assertEqual(detail["processed"], 2)


class ValueTargetTests(CastTestCase):
    def enter(self, url: str, unit: str, **fields):  # type: ignore[no-untyped-def]
        """POST a value or a target of tech_contracts for `unit`."""
        return self.post_json(
            url, {"indicator": "tech_contracts", "org_unit": unit, **fields}
        )

    def set_target(self, unit, value, **extra) -> None:  # type: ignore[no-untyped-def]
        target_set(
            indicator=Indicator.objects.get(code="tech_contracts"),
            unit=unit,
            year=2025,
            value=D(value),
            by=self.head,
            **extra,
        )

    def test_manual_entry_is_audited_and_scoped(self) -> None:
        self.client.force_login(self.liaison)
        url = "/api/v1/indicator-values/"
        ok = self.enter(url, "330105001", period="2025Q1", value="12.5")
        self.assertEqual(ok.status_code, 201, ok.content)
        other = self.enter(url, "330105002", period="2025Q1", value="1")
        self.assertEqual(other.status_code, 403)
        bad = self.enter(url, "330105001", period="2025Q9", value="1")
        self.assertIn("period", bad.json()["errors"])
        self.assertTrue(
            AuditEvent.objects.filter(action="indicator_value.set").exists()
        )
        listed = self.client.get(url).json()
        self.assertEqual({v["org_unit"] for v in listed["results"]}, {"330105001"})

    def test_targets_are_versioned_and_splits_are_checked(self) -> None:
        self.set_target(self.district, 1000)
        self.client.force_login(self.head)
        url = "/api/v1/targets/"
        response = self.enter(url, "330105001", year=2025, value="600")
        self.assertIn("600", response.json()["warning"])
        self.set_target(self.street_b, 400)
        self.assertIsNone(
            self.client.get(
                "/api/v1/targets/check/?indicator=tech_contracts&year=2025"
            ).json()["warning"]
        )
        self.set_target(self.district, 1200, note="年中调整")
        self.assertEqual(Target.objects.filter(org_unit=self.district).count(), 2)
        self.client.force_login(self.officer)
        refused = self.enter(url, "330105", year=2025, value="1")
        self.assertEqual(refused.status_code, 403)

    def test_computed_indicators_follow_the_data(self) -> None:
        from enterprises.models import Tier
        from enterprises.services import certification_create

        certification_create(
            by=None,
            enterprise=self.enterprise_a,
            tier=Tier.objects.get(code="hnte"),
            year=2025,
            issued_on=date(2025, 12, 1),
        )
        self.assertGreater(indicators_recompute(year=2025), 0)
        street = DataValue.objects.get(
            indicator__code="new_hnte", org_unit=self.street_a, year=2025
        )
        self.assertEqual(street.value, D(1))
        self.assertEqual(
            DataValue.objects.get(
                indicator__code="new_hnte", org_unit=self.district
            ).value,
            D(1),
        )
        self.assertEqual(indicators_recompute(year=2025), 0)  # idempotent


class DashboardApiTests(CastTestCase):
    def test_figures_growth_ranks_and_query_count(self) -> None:
        for unit, this, last in (
            (self.district, 900, 600),
            (self.street_a, 500, 400),
            (self.street_b, 500, 0),
            (self.peer, 1000, 800),
        ):
            value("tech_contracts", unit, 2025, this, month=6)
            value("tech_contracts", unit, 2024, last, month=6)
        for unit, rd, gdp in ((self.district, 30, 1000), (self.peer, 20, 1000)):
            value("rd_spending", unit, 2025, rd)
            value("gdp", unit, 2025, gdp)
            value("rd_spending", unit, 2024, rd - 5)
            value("gdp", unit, 2024, gdp)
        target_set(
            indicator=Indicator.objects.get(code="tech_contracts"),
            unit=self.district,
            year=2025,
            value=D(1800),
            by=self.head,
        )
        self.client.force_login(self.leader)
        # One read of the indicators with the parts of their ratios, one of
        # the values (no second scan for when they were entered), and the
        # dashboard's default comparison group.
        with self.assertNumQueries(7):
            body = self.client.get("/api/v1/dashboard/?year=2025").json()
        by_code = {i["code"]: i for i in body["indicators"]}
        contracts = by_code["tech_contracts"]
        # DESIGN §5: money in 元 (900万元), shares as fractions.
        self.assertEqual(contracts["value"], "9000000.00")
        self.assertEqual(contracts["target"], "18000000.00")
        self.assertEqual(contracts["unit"], "万元")
        self.assertEqual(contracts["value_unit"], "元")
        self.assertEqual(
            [t["value"] for t in contracts["trend"] if t["year"] == 2024],
            ["6000000.00"],
        )
        self.assertEqual(contracts["yoy"], "0.500000")
        self.assertEqual(contracts["progress"], "0.500000")  # 900 / 1800
        self.assertEqual(contracts["schedule"], "0.500000")  # June: 6/12
        streets = {s["code"]: s for s in contracts["streets"]}
        self.assertEqual(
            (streets["330105001"]["rank"], streets["330105002"]["rank"]), (1, 1)
        )  # tie
        self.assertIsNone(streets["330105002"]["yoy"])  # zero base: "—"
        peers = {p["code"]: p["rank"] for p in contracts["peers"]}
        self.assertEqual(peers, {"330105": 2, "330106": 1})
        intensity = by_code["rd_intensity"]
        self.assertEqual(intensity["value"], "0.030000")  # 30 / 1000: 3%
        self.assertEqual(intensity["value_unit"], "fraction")
        # 2.5% → 3%: half a percentage point, as a difference of fractions.
        self.assertEqual(intensity["yoy"], "0.005000")
        self.assertEqual(intensity["rank"], 1)
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.client.get("/api/v1/dashboard/?year=2025").status_code, 403
        )
