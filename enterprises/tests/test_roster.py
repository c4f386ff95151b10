from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bureau.lib.xlsx import CellError
from bureau.models import AuditEvent, OrgUnit
from bureau.tests.base import CastTestCase
from bureau.tests.factories import OrgUnitFactory
from bureau.tests.workbooks import declaring_dimension
from enterprises.exports import enterprises_export, roster_template
from enterprises.models import Enterprise, Tier
from enterprises.selectors import EnterpriseFilters, enterprise_list
from enterprises.services import roster
from enterprises.services.roster import RosterImportError, roster_import
from enterprises.tests.factories import EnterpriseFactory, award
from enterprises.validators import credit_code_for_serial

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "街道/园区代码",
    "行业门类",
    "行业大类",
    "高新技术领域",
    "成立日期",
    "是否规上",
    "法定代表人",
    "地址",
    "联系人",
    "联系电话",
    "联系邮箱",
    "单位类型",
]


def roster_file(*rows: dict[str, Any], headers: list[str] = HEADERS) -> io.BytesIO:
    """A roster with `headers` in row 1 and one line per dict, keyed by header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业名单"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def code(serial: int) -> str:
    return credit_code_for_serial(900_000 + serial)


class RosterTemplateTests(TestCase):
    def test_it_has_the_headers_in_order_and_a_help_sheet(self) -> None:
        workbook = load_workbook(io.BytesIO(roster_template()))
        self.assertEqual(workbook.sheetnames, ["企业名单", "填写说明"])
        sheet = workbook["企业名单"]
        self.assertEqual([cell.value for cell in sheet[1]], HEADERS)
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertGreater(sheet.column_dimensions["B"].width, 20)
        explained = [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)]
        for header in HEADERS:
            self.assertIn(header, explained)


class RosterImportTests(CastTestCase):
    def test_it_creates_updates_counts_and_audits(self) -> None:
        self.enterprise_a.contact_email = "old@example.com"
        self.enterprise_a.save()
        before = Enterprise.objects.count()
        file = roster_file(
            {
                "统一社会信用代码": code(1),
                "企业名称": "杭州新创科技有限公司",
                "街道/园区代码": "330105002",
                "行业门类": "C",
                "行业大类": "39",
                "高新技术领域": "电子信息",
                "成立日期": "2015-06-30",
                "是否规上": "是",
                "法定代表人": "王五",
                "地址": "湖墅南路1号",
                "联系人": "李四",
                "联系电话": "0571-88888888",
                "联系邮箱": "li@example.com",
            },
            {
                "统一社会信用代码": self.enterprise_a.credit_code,
                "企业名称": "甲公司（更名）",
                "街道/园区代码": "330105001",
            },
            {
                "统一社会信用代码": self.enterprise_b.credit_code,
                "企业名称": self.enterprise_b.name,
                "街道/园区代码": "330105002",
            },
        )

        result = roster_import(file=file, by=self.officer)

        self.assertEqual(result, roster.RosterImportResult(1, 1, 1))
        self.assertEqual(Enterprise.objects.count(), before + 1)
        new = Enterprise.objects.get(credit_code=code(1))
        self.assertEqual(new.org_unit, self.street_b)
        self.assertEqual(new.industry_division, "39")
        self.assertEqual(new.high_tech_field, "electronics")
        self.assertEqual(new.founded_on, date(2015, 6, 30))
        self.assertIs(new.is_above_scale, True)
        self.assertEqual(new.contact_email, "li@example.com")
        self.enterprise_a.refresh_from_db()
        self.assertEqual(self.enterprise_a.name, "甲公司（更名）")
        # A blank optional cell leaves the stored value alone.
        self.assertEqual(self.enterprise_a.contact_email, "old@example.com")
        events = AuditEvent.objects.filter(actor=self.officer)
        self.assertEqual(
            sorted(events.values_list("action", "object_id")),
            [
                ("enterprise.create", str(new.pk)),
                ("enterprise.import", ""),
                ("enterprise.update", str(self.enterprise_a.pk)),
            ],
        )
        self.assertEqual(
            events.get(action="enterprise.import").message, "新增1家，更新1家"
        )

    def test_it_reports_every_bad_cell_and_stores_nothing(self) -> None:
        valid = code(1)
        bad_check = code(2)[:17] + ("0" if code(2)[17] != "0" else "1")
        before = Enterprise.objects.count()
        file = roster_file(
            {
                "统一社会信用代码": valid,
                "企业名称": "好公司",
                "街道/园区代码": "330105001",
            },
            {
                "统一社会信用代码": bad_check,
                "企业名称": "甲",
                "街道/园区代码": "330105001",
            },
            {"统一社会信用代码": code(3), "街道/园区代码": "330105001"},
            {"统一社会信用代码": code(4), "企业名称": "丙", "街道/园区代码": "330105"},
            {"统一社会信用代码": code(5), "企业名称": "丁", "街道/园区代码": "999"},
            {},  # a blank row is skipped but still counts in the numbering
            {
                "统一社会信用代码": code(6),
                "企业名称": "戊",
                "街道/园区代码": "330105001",
                "行业门类": "B",
                "行业大类": "39",
                "高新技术领域": "量子",
                "成立日期": "2020-13-01",
                "是否规上": "也许",
                "联系邮箱": "not-an-email",
            },
        )

        with self.assertRaises(RosterImportError) as caught:
            roster_import(file=file, by=self.officer)

        errors = caught.exception.errors
        self.assertEqual(
            [(e.row, e.column) for e in errors],
            [
                (3, "统一社会信用代码"),
                (4, "企业名称"),
                (5, "街道/园区代码"),
                (6, "街道/园区代码"),
                (8, "行业大类"),
                (8, "高新技术领域"),
                (8, "成立日期"),
                (8, "是否规上"),
                (8, "联系邮箱"),
            ],
        )
        self.assertIn("校验码", errors[0].message)
        self.assertEqual(errors[1].message, "必须填写。")
        self.assertIn("不是街道或园区", errors[2].message)
        self.assertIn("没有代码为 999", errors[3].message)
        self.assertIn("属于门类 C", errors[4].message)
        self.assertEqual(Enterprise.objects.count(), before)
        self.assertFalse(AuditEvent.objects.filter(action="enterprise.import").exists())

    def test_the_error_reads_as_sentences(self) -> None:
        file = roster_file({"统一社会信用代码": code(1), "街道/园区代码": "330105001"})
        with self.assertRaises(ValidationError) as caught:
            roster_import(file=file, by=self.officer)
        self.assertEqual(caught.exception.messages, ["第2行「企业名称」：必须填写。"])

    def test_it_reports_a_code_repeated_in_the_file_on_the_later_row(self) -> None:
        spaced = " ".join([code(1)[:9].lower(), code(1)[9:]])
        file = roster_file(
            {
                "统一社会信用代码": code(1),
                "企业名称": "甲",
                "街道/园区代码": "330105001",
            },
            {
                "统一社会信用代码": code(2),
                "企业名称": "乙",
                "街道/园区代码": "330105001",
            },
            {
                "统一社会信用代码": spaced,
                "企业名称": "丙",
                "街道/园区代码": "330105001",
            },
        )
        with self.assertRaises(RosterImportError) as caught:
            roster_import(file=file, by=self.officer)
        self.assertEqual(
            caught.exception.errors,
            [CellError(4, "统一社会信用代码", "与第2行的代码重复。")],
        )
        self.assertFalse(Enterprise.objects.filter(credit_code=code(2)).exists())

    def test_it_reads_numbers_dates_and_booleans_typed_by_excel(self) -> None:
        file = roster_file(
            {
                "统一社会信用代码": code(1),
                "企业名称": "甲",
                "街道/园区代码": 330105001,
                "行业大类": 6,
                "高新技术领域": "biomedicine",
                "成立日期": datetime(2015, 6, 30),
                "是否规上": True,
                "联系电话": 13800138000,
            },
            {
                "统一社会信用代码": code(2),
                "企业名称": "乙",
                "街道/园区代码": "330105001",
                "行业门类": "c",
                "行业大类": "39",
                "成立日期": "2015/6/3",
                "是否规上": 0,
            },
        )

        self.assertEqual(roster_import(file=file, by=self.officer).created, 2)

        first = Enterprise.objects.get(credit_code=code(1))
        self.assertEqual(first.org_unit, self.street_a)
        self.assertEqual(first.industry_division, "06")
        self.assertEqual(first.industry_section, "B")
        self.assertEqual(first.high_tech_field, "biomedicine")
        self.assertEqual(first.founded_on, date(2015, 6, 30))
        self.assertIs(first.is_above_scale, True)
        self.assertEqual(first.contact_phone, "13800138000")
        second = Enterprise.objects.get(credit_code=code(2))
        self.assertEqual(second.industry_section, "C")
        self.assertEqual(second.founded_on, date(2015, 6, 3))
        self.assertIs(second.is_above_scale, False)

    def test_it_refuses_a_founding_date_in_the_future(self) -> None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        file = roster_file(
            {
                "统一社会信用代码": code(1),
                "企业名称": "甲",
                "街道/园区代码": "330105001",
                "成立日期": tomorrow.isoformat(),
            }
        )
        with self.assertRaises(RosterImportError) as caught:
            roster_import(file=file, by=self.officer)
        self.assertEqual(
            caught.exception.errors,
            [CellError(2, "成立日期", "成立日期不能晚于今天。")],
        )

    def test_it_checks_a_new_division_against_the_stored_section(self) -> None:
        self.enterprise_a.industry_section = "C"
        self.enterprise_a.industry_division = "39"
        self.enterprise_a.save()
        file = roster_file(
            {
                "统一社会信用代码": self.enterprise_a.credit_code,
                "企业名称": self.enterprise_a.name,
                "街道/园区代码": "330105001",
                "行业门类": "B",
            }
        )
        with self.assertRaises(RosterImportError) as caught:
            roster_import(file=file, by=self.officer)
        self.assertEqual(
            [(e.row, e.column) for e in caught.exception.errors], [(2, "行业门类")]
        )

    def test_a_file_that_is_not_xlsx_is_one_clear_error(self) -> None:
        for content in (b"credit_code,name\n1,2\n", b"", b"PK\x03\x04broken"):
            with self.assertRaises(RosterImportError) as caught:
                roster_import(file=io.BytesIO(content), by=self.officer)
            [error] = caught.exception.errors
            self.assertEqual((error.row, error.column), (0, ""))
            self.assertIn("无法读取", error.message)
            self.assertIn(".xlsx", error.message)

    def test_it_names_each_missing_required_column(self) -> None:
        headers = [h for h in HEADERS if h not in ("企业名称", "街道/园区代码")]
        file = roster_file({"统一社会信用代码": code(1)}, headers=headers)
        with self.assertRaises(RosterImportError) as caught:
            roster_import(file=file, by=self.officer)
        self.assertEqual(
            caught.exception.errors,
            [
                CellError(1, "企业名称", "缺少「企业名称」列。"),
                CellError(1, "街道/园区代码", "缺少「街道/园区代码」列。"),
            ],
        )

    def test_a_tiny_file_declaring_a_huge_sheet_is_refused(self) -> None:
        content = roster_file(
            {
                "统一社会信用代码": code(1),
                "企业名称": "甲",
                "街道/园区代码": "330105001",
            }
        ).getvalue()
        # The same workbook, its sheet now declaring a million rows.
        buffer = declaring_dimension(content, "A1:M1000000")
        self.assertLess(len(buffer.getvalue()), 20_000)

        with self.assertRaises(RosterImportError) as caught:
            roster_import(file=buffer, by=self.officer)

        [error] = caught.exception.errors
        self.assertEqual((error.row, error.column), (0, ""))
        self.assertIn("文件过大", error.message)
        self.assertFalse(Enterprise.objects.filter(credit_code=code(1)).exists())

    def test_an_empty_roster_is_refused(self) -> None:
        with self.assertRaises(RosterImportError) as caught:
            roster_import(file=roster_file({}), by=self.officer)
        self.assertIn("没有企业", caught.exception.errors[0].message)

    def test_it_rolls_everything_back_when_a_service_refuses_a_row(self) -> None:
        before = Enterprise.objects.count()

        def refuse(**kwargs: Any) -> Enterprise:
            raise ValidationError({"name": ["名称不合规。"]})

        file = roster_file(
            {
                "统一社会信用代码": code(1),
                "企业名称": "甲",
                "街道/园区代码": "330105001",
            },
            {
                "统一社会信用代码": self.enterprise_a.credit_code,
                "企业名称": "改名后的企业",
                "街道/园区代码": "330105001",
            },
        )
        # The new row is created in bulk first; the update of the second row
        # fails, and the created row must go with it.
        with mock.patch.object(roster, "enterprise_update", refuse):
            with self.assertRaises(RosterImportError) as caught:
                roster_import(file=file, by=self.officer)

        self.assertEqual(
            caught.exception.errors, [CellError(3, "企业名称", "名称不合规。")]
        )
        self.assertEqual(Enterprise.objects.count(), before)
        self.assertFalse(AuditEvent.objects.filter(action="enterprise.create").exists())

    def test_it_imports_the_filled_in_template(self) -> None:
        workbook = load_workbook(io.BytesIO(roster_template()))
        workbook["企业名单"].append([code(1), "甲", "330105001"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        self.assertEqual(roster_import(file=buffer, by=self.officer).created, 1)

    def test_only_registry_writers_import(self) -> None:
        file = roster_file(
            {
                "统一社会信用代码": code(1),
                "企业名称": "甲",
                "街道/园区代码": "330105001",
            }
        )
        for user in (self.liaison, self.leader, self.ent_user):
            file.seek(0)
            with self.assertRaises(PermissionDenied):
                roster_import(file=file, by=user)
        self.assertFalse(Enterprise.objects.filter(credit_code=code(1)).exists())


class EnterprisesExportTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.high_tech_field = "electronics"
        cls.enterprise_a.founded_on = date(2015, 6, 30)
        cls.enterprise_a.industry_section = "B"
        cls.enterprise_a.industry_division = "06"
        cls.enterprise_a.is_above_scale = True
        cls.enterprise_a.save()
        cls.hnte = Tier.objects.get(code=Tier.HNTE)
        cls.certification = award(cls.enterprise_a, cls.hnte, timezone.localdate())

    def rows(self, content: bytes) -> list[tuple[Any, ...]]:
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        return list(sheet.iter_rows(values_only=True))

    def test_it_writes_the_filtered_rows_with_chinese_headers(self) -> None:
        queryset = enterprise_list(
            user=self.officer, filters=EnterpriseFilters(org_unit="330105001")
        )
        header, *rows = self.rows(enterprises_export(queryset))

        self.assertEqual(
            header,
            (
                "统一社会信用代码",
                "企业名称",
                "街道/园区",
                "当前梯队",
                "证书到期日",
                "行业门类",
                "行业大类",
                "高新技术领域",
                "成立日期",
                "是否规上",
                "法定代表人",
                "联系人",
                "联系电话",
                "联系邮箱",
                "单位类型",
            ),
        )
        self.assertEqual(len(rows), 1)
        row = dict(zip(header, rows[0], strict=True))
        self.assertEqual(row["单位类型"], "企业")
        self.assertEqual(row["统一社会信用代码"], self.enterprise_a.credit_code)
        self.assertEqual(row["街道/园区"], "米市巷街道")
        self.assertEqual(row["当前梯队"], "国家高新技术企业")
        # Real dates, which openpyxl reads back as datetimes.
        self.assertEqual(
            row["证书到期日"],
            datetime.combine(self.certification.expires_on, datetime.min.time()),
        )
        self.assertEqual(row["成立日期"], datetime(2015, 6, 30))
        self.assertEqual(row["行业大类"], "06")
        self.assertEqual(row["高新技术领域"], "电子信息")
        self.assertEqual(row["是否规上"], "是")

    def test_an_enterprise_without_a_tier_has_blank_cells(self) -> None:
        queryset = enterprise_list(
            user=self.officer, filters=EnterpriseFilters(org_unit="330105002")
        )
        [row] = self.rows(enterprises_export(queryset))[1:]
        self.assertEqual(row[2:6], ("湖墅街道", None, None, None))
        self.assertEqual(row[9], "否")

    def test_its_query_count_does_not_grow_with_the_rows(self) -> None:
        for count in (3, 30):
            street = OrgUnitFactory(level=OrgUnit.Level.STREET, parent=self.district)
            EnterpriseFactory.create_batch(count, org_unit=street)
            queryset = enterprise_list(
                user=self.officer, filters=EnterpriseFilters(org_unit=street.code)
            )
            # 1. the enterprises with their street and current tier
            with self.assertNumQueries(1):
                content = enterprises_export(queryset)
            self.assertEqual(len(self.rows(content)), count + 1)
