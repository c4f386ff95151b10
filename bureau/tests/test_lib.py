"""The shared core: the xlsx writer and reader, money formats, audit_many and
the audited configuration save."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django.test import SimpleTestCase, TestCase, override_settings
from openpyxl import Workbook, load_workbook

from bureau.audit import audit, audit_many
from bureau.lib import money
from bureau.lib.xlsx import (
    Column,
    ReadColumn,
    Sheet,
    WorkbookRefused,
    read_table,
    write_xlsx,
)
from bureau.models import AuditEvent, OrgUnit, Role
from bureau.services import config_save
from bureau.tests.factories import OrgUnitFactory, UserFactory
from bureau.tests.workbooks import declaring_dimension

RISKY = [
    '=HYPERLINK("http://x","点我")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def _book(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


class XlsxWriterTests(SimpleTestCase):
    def test_it_writes_user_text_as_text_never_a_formula(self) -> None:
        data = write_xlsx(
            [
                Sheet(
                    "名单",
                    [Column("联系人"), Column("金额", kind="money")],
                    [[t, 1] for t in RISKY],
                )
            ]
        )
        sheet = _book(data).active
        for row, text in enumerate(RISKY, start=2):
            cell = sheet.cell(row=row, column=1)
            self.assertEqual(cell.value, text)
            self.assertEqual(cell.data_type, "s")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", xml)

    def test_it_styles_and_freezes_the_header_and_formats_numbers(self) -> None:
        data = write_xlsx(
            [
                Sheet(
                    "台账",
                    [Column("名称", width=30), Column("金额（万元）", kind="money")],
                    [["甲公司", Decimal("12.5")]],
                )
            ]
        )
        sheet = _book(data).active
        self.assertEqual(sheet.title, "台账")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet["A1"].font.bold)
        self.assertEqual(sheet.column_dimensions["A"].width, 30)
        self.assertEqual(sheet["B2"].value, 12.5)
        self.assertEqual(sheet["B2"].number_format, "#,##0.00")


def _upload(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


COLUMNS = [
    ReadColumn("name", "企业名称", required=True),
    ReadColumn("code", "统一社会信用代码", required=True, aliases=("credit_code",)),
    ReadColumn("note", "备注"),
]


class XlsxReaderTests(SimpleTestCase):
    def test_it_reads_the_template_columns_by_header_or_alias(self) -> None:
        table = read_table(
            _upload(
                [
                    ["credit_code", "企业名称", "多余"],
                    ["91330105MA2XXXXX1", "甲", "x"],
                    [None, None, None],
                    ["91330105MA2XXXXX2", "乙", None],
                ]
            ),
            COLUMNS,
        )
        self.assertEqual(table.present, {"name", "code"})
        self.assertEqual(
            table.rows,
            [
                (2, {"name": "甲", "code": "91330105MA2XXXXX1"}),
                (4, {"name": "乙", "code": "91330105MA2XXXXX2"}),
            ],
        )

    def test_it_names_a_missing_required_column_in_chinese(self) -> None:
        with self.assertRaises(WorkbookRefused) as caught:
            read_table(_upload([["企业名称"], ["甲"]]), COLUMNS)
        self.assertEqual(
            [e.as_dict() for e in caught.exception.errors],
            [
                {
                    "row": 1,
                    "column": "统一社会信用代码",
                    "message": "缺少「统一社会信用代码」列。",
                }
            ],
        )

    def test_it_refuses_a_file_that_is_not_a_workbook(self) -> None:
        with self.assertRaises(WorkbookRefused) as caught:
            read_table(io.BytesIO(b"MZ\x90\x00 not a zip"), COLUMNS)
        self.assertEqual(caught.exception.errors[0].row, 0)
        self.assertIn(".xlsx", caught.exception.errors[0].message)

    def test_it_refuses_a_tiny_file_declaring_a_huge_sheet(self) -> None:
        data = _upload([["企业名称", "统一社会信用代码"], ["甲", "1"]]).getvalue()
        # The declared dimension rewritten to the whole Excel grid.
        out = declaring_dimension(data, "A1:XFD1048576")
        self.assertLess(len(out.getvalue()), 10_000)
        with self.assertRaises(WorkbookRefused) as caught:
            read_table(out, COLUMNS)
        self.assertIn("文件过大", caught.exception.errors[0].message)

    def test_it_refuses_a_row_with_more_cells_than_allowed(self) -> None:
        from bureau.tests.workbooks import one_long_row

        with self.assertRaises(WorkbookRefused) as caught:
            read_table(one_long_row(200), COLUMNS)
        self.assertIn("文件过大", caught.exception.errors[0].message)

    def test_it_refuses_a_tiny_file_hiding_a_huge_row(self) -> None:
        from bureau.tests.workbooks import one_long_row

        bomb = one_long_row(300_000)  # ~5 MB of XML packed into a few KB
        self.assertLess(len(bomb.getvalue()), 100_000)
        with self.assertRaises(WorkbookRefused) as caught:
            read_table(bomb, COLUMNS)
        self.assertIn("文件过大", caught.exception.errors[0].message)

    @override_settings(UPLOAD_MAX_BYTES=1024)
    def test_it_refuses_an_upload_over_the_size_limit(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = _upload([["企业名称", "统一社会信用代码"]] + [["甲" * 50, "1"]] * 50)
        upload = SimpleUploadedFile("名单.xlsx", data.getvalue())
        self.assertGreater(upload.size, 1024)
        with self.assertRaises(WorkbookRefused) as caught:
            read_table(upload, COLUMNS)
        self.assertIn("文件过大", caught.exception.errors[0].message)

    @override_settings(XLSX_MAX_ROWS=3)
    def test_it_refuses_more_rows_than_allowed(self) -> None:
        rows = [["企业名称", "统一社会信用代码"]] + [
            [f"企业{i}", str(i)] for i in range(5)
        ]
        with self.assertRaises(WorkbookRefused) as caught:
            read_table(_upload(rows), COLUMNS)
        self.assertIn("每次最多导入3行", caught.exception.errors[0].message)


class MoneyTests(SimpleTestCase):
    def test_it_shows_yuan_in_wan_and_yi(self) -> None:
        self.assertEqual(money.wan(85260322.52), "8,526.03")
        self.assertEqual(money.wan("28300000", trim=True), "2,830")
        self.assertEqual(money.wan(125000, trim=True), "12.5")
        self.assertEqual(money.wan(None), "—")
        self.assertEqual(money.yi(1234567890), "12.35")
        self.assertEqual(money.percent(Decimal("0.1234")), "12.3%")
        self.assertEqual(money.wan_with_unit(600000), "60万元")

    def test_it_takes_wan_from_a_form_and_stores_yuan(self) -> None:
        self.assertEqual(money.yuan_from_wan("60"), Decimal("600000.00"))
        self.assertEqual(money.yuan_from_wan("0.01"), Decimal("100.00"))
        self.assertIsNone(money.yuan_from_wan(""))

    def test_it_writes_amounts_in_words(self) -> None:
        cases = {
            600000: "人民币陆拾万元整",
            1234.56: "人民币壹仟贰佰叁拾肆元伍角陆分",
            100000001: "人民币壹亿零壹元整",
            10010: "人民币壹万零壹拾元整",
            105000: "人民币壹拾万伍仟元整",
            "1234.05": "人民币壹仟贰佰叁拾肆元零伍分",
            0: "人民币零元整",
        }
        for amount, words in cases.items():
            with self.subTest(amount=amount):
                self.assertEqual(money.amount_in_words(amount), words)


class AuditManyTests(TestCase):
    def test_it_writes_many_events_in_one_insert(self) -> None:
        officer = UserFactory(role=Role.STAFF)
        units = [OrgUnitFactory(code=f"33010500{i}", name=f"街道{i}") for i in range(3)]
        audit(by=officer, action="org_unit.create")  # the chain's head exists
        # Lock the chain's head, one INSERT for all events, move the head.
        with self.assertNumQueries(3):
            audit_many(
                {"by": officer, "action": "org_unit.update", "target": unit}
                for unit in units
            )
        events = AuditEvent.objects.filter(action="org_unit.update")
        self.assertEqual(events.count(), 3)
        self.assertEqual({e.actor_id for e in events}, {officer.pk})


class ConfigSaveTests(TestCase):
    def test_it_audits_a_configuration_change_with_before_and_after(self) -> None:
        admin = UserFactory(role=Role.BUREAU_ADMIN)
        unit = OrgUnitFactory(code="330105099", name="旧名", level=OrgUnit.Level.STREET)
        unit.name = "新名"
        config_save(obj=unit, by=admin, fields=("name",))
        event = AuditEvent.objects.get(action="config.orgunit.update")
        self.assertEqual(event.changes, {"name": ["旧名", "新名"]})
        self.assertEqual(event.actor, admin)


class ActionLabelTests(TestCase):
    def test_it_labels_configuration_saves_by_the_model_name(self) -> None:
        from django.utils import translation

        from bureau.audit import action_label

        with translation.override("zh-hans"):
            self.assertEqual(
                action_label("config.orgunit.update"), "修改配置：组织机构"
            )
            self.assertEqual(action_label("login.success"), "登录成功")


class GetForUserTests(TestCase):
    """The one lookup order: not visible → 404, then not allowed → 403."""

    def test_it_answers_404_before_403(self) -> None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from bureau.permissions import get_for_user

        unit = OrgUnitFactory(code="330105098", name="甲街道")
        visible = OrgUnit.objects.filter(pk=unit.pk)
        self.assertEqual(get_for_user(visible, pk=unit.pk), unit)
        with self.assertRaises(Http404):
            get_for_user(OrgUnit.objects.none(), pk=unit.pk, allowed=False)
        with self.assertRaises(PermissionDenied):
            get_for_user(visible, pk=unit.pk, allowed=False)
        with self.assertRaises(PermissionDenied):
            get_for_user(visible, pk=unit.pk, allowed=lambda row: row.name != "甲街道")
