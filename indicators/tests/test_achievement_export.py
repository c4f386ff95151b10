"""The achievements list's Excel export writes the import template's columns
(same headers, order and 万元) and then read-only ones, so a file exported
from the list imports again: unchanged, it changes nothing; with a cell
edited, that row's achievement is updated. An import leaves one summary
audit event with its counts."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from bureau.lib.xlsx import set_value
from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from indicators.ledger_imports import ACHIEVEMENT_COLUMNS
from indicators.models import Achievement
from indicators.services import (
    achievement_save,
    achievements_import,
    tech_contract_create,
)

LIST_EXPORT_URL = "/indicators/achievements/?export=xlsx"
HEADERS = [c.header for c in ACHIEVEMENT_COLUMNS]


class AchievementExportRoundTripTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        contracts = [
            tech_contract_create(
                by=cls.officer,
                registration_number=number,
                name="技术开发",
                kind="development",
                seller_name=cls.enterprise_a.name,
                buyer_name="外地公司",
                contract_amount=Decimal(100000),
                transaction_amount=Decimal(100000),
                registered_on="2025-04-01",
            )
            for number in ("C1", "C2")
        ]
        cls.full = achievement_save(
            achievement=Achievement(),
            by=cls.officer,
            contracts=contracts,
            title="氮化铝陶瓷基板制备技术",
            owner=cls.enterprise_a,
            field="新材料",
            stage=Achievement.Stage.INDUSTRIALISED,
            way=Achievement.Way.EQUITY,
            new_output_value=Decimal("1234567.89"),
            jobs=12,
            patents=3,
            started_on="2025-03-01",
            pilot_on="2025-06-15",
            industrialised_on="2025-11-30",
            note="=以等号开头的备注",
        )
        cls.sparse = achievement_save(
            achievement=Achievement(),
            by=cls.officer,
            title="生物基可降解材料",
            owner=cls.enterprise_b,
            stage=Achievement.Stage.WAITING,
        )

    def exported_file(self) -> bytes:
        self.client.force_login(self.officer)
        response = self.client.get(LIST_EXPORT_URL)
        self.assertEqual(response.status_code, 200)
        return response.content

    def exported(self) -> list[list[Any]]:
        sheet = load_workbook(io.BytesIO(self.exported_file())).worksheets[0]
        return [list(values) for values in sheet.values]

    def reimport(self, rows: list[list[Any]]) -> Any:
        """`rows` saved as a workbook again, as a user would, and imported."""
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for number, values in enumerate(rows, start=1):
            for column, value in enumerate(values, start=1):
                # text stays text, as Excel keeps a typed cell
                set_value(sheet.cell(number, column), value)
        buffer = io.BytesIO()
        book.save(buffer)
        with self.captureOnCommitCallbacks(execute=True):
            return achievements_import(
                file=SimpleUploadedFile("科技成果.xlsx", buffer.getvalue()),
                by=self.officer,
            )

    def stored(self) -> dict[int, tuple[Any, ...]]:
        return {
            a.pk: (
                a.title,
                a.owner_id,
                a.field,
                a.stage,
                a.way,
                a.new_output_value,
                a.jobs,
                a.patents,
                a.started_on,
                a.pilot_on,
                a.industrialised_on,
                a.note,
                sorted(c.registration_number for c in a.contracts.all()),
            )
            for a in Achievement.objects.prefetch_related("contracts")
        }

    def test_the_export_writes_the_import_columns_first_then_the_street(
        self,
    ) -> None:
        rows = self.exported()
        self.assertEqual(rows[0], [*HEADERS, "所属街道/园区"])
        by_title = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
        full = by_title["氮化铝陶瓷基板制备技术"]
        self.assertEqual(full["成果所有单位名称"], self.enterprise_a.name)
        self.assertEqual(
            full["成果所有单位统一社会信用代码"], self.enterprise_a.credit_code
        )
        self.assertEqual((full["转化阶段"], full["转化方式"]), ("已产业化", "作价入股"))
        self.assertEqual(full["关联技术合同登记号"], "C1、C2")
        # 万元, as the template asks: 1,234,567.89 元 is 123.456789 万元.
        self.assertAlmostEqual(full["新增产值（万元）"], 123.456789)
        self.assertEqual((full["新增就业（人）"], full["专利（件）"]), (12, 3))
        self.assertEqual(full["产业化日期"].date().isoformat(), "2025-11-30")
        self.assertEqual(full["备注"], "=以等号开头的备注")  # text, not a formula
        self.assertEqual(full["所属街道/园区"], self.enterprise_a.org_unit.name)
        sparse = by_title["生物基可降解材料"]
        self.assertEqual((sparse["转化阶段"], sparse["转化方式"]), ("待转化", None))
        self.assertIsNone(sparse["新增产值（万元）"])

    def test_an_unchanged_export_imports_again_changing_nothing(self) -> None:
        before = self.stored()
        events = set(AuditEvent.objects.values_list("id", flat=True))
        with self.captureOnCommitCallbacks(execute=True):
            result = achievements_import(
                file=SimpleUploadedFile("成果.xlsx", self.exported_file()),
                by=self.officer,
            )
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 2))
        self.assertEqual(self.stored(), before)
        new = AuditEvent.objects.exclude(id__in=events)
        self.assertEqual(
            list(new.values_list("action", flat=True)), ["achievement.import"]
        )
        self.assertEqual(new.get().message, "新增0条，更新0条，未变2条")
        self.assertEqual(new.get().actor, self.officer)

    def test_an_edited_cell_updates_that_row_only(self) -> None:
        before = self.stored()
        rows = self.exported()
        jobs = rows[0].index("新增就业（人）")
        way = rows[0].index("转化方式")
        street = rows[0].index("所属街道/园区")
        for values in rows[1:]:
            if values[0] == "生物基可降解材料":
                values[jobs] = 7
                values[way] = "许可"
            values[street] = "随便写的街道"  # read-only: ignored by the import
        result = self.reimport(rows)
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 1, 1))
        after = self.stored()
        self.assertEqual(after[self.full.pk], before[self.full.pk])
        sparse = Achievement.objects.get(pk=self.sparse.pk)
        self.assertEqual((sparse.jobs, sparse.way), (7, "license"))
        self.assertEqual(sparse.owner, self.enterprise_b)
        event = AuditEvent.objects.get(
            action="achievement.update", object_id=str(self.sparse.pk)
        )
        self.assertEqual(event.changes["jobs"], [None, 7])
        summary = AuditEvent.objects.get(action="achievement.import")
        self.assertEqual(summary.message, "新增0条，更新1条，未变1条")
