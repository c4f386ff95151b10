"""Excel imports beside the exports of two registers: the carriers
themselves on /carriers/ and the 科普 bases on /events/science-bases/. Both
all or nothing, errors by row and Chinese header, a row of the same name
updates, audited, for staff only."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import Carrier, CarrierType, ScienceBase
from enterprises.services import (
    CooperationImportError,
    carrier_save,
    carriers_import,
    science_bases_import,
)
from enterprises.tests.test_cooperation import workbook

CARRIER_HEADERS = [
    "载体名称",
    "类型",
    "级别",
    "街道/园区",
    "运营单位信用代码或全称",
    "运营单位（未在库）",
    "认定日期",
]
BASE_HEADERS = ["名称", "级别", "依托单位", "所在街道", "认定日期", "年接待人次"]


class CarrierImportTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.carrier = carrier_save(
            carrier=Carrier(
                name="湖墅众创空间",
                type=CarrierType.objects.get(code="makerspace"),
                level="municipal",
                org_unit=cls.street_b,
            ),
            by=cls.officer,
        )

    def test_every_bad_cell_is_named_and_nothing_is_written(self) -> None:
        file = workbook(
            CARRIER_HEADERS,
            {
                "载体名称": "运河智慧谷科技企业孵化器",
                "类型": "科技企业孵化器",
                "级别": "省级",
                "街道/园区": "米市巷街道",
                "运营单位信用代码或全称": self.enterprise_a.credit_code,
            },
            {
                "载体名称": "乙载体",
                "类型": "游乐园",
                "级别": "村级",
                "街道/园区": "不存在街道",
                "运营单位信用代码或全称": "91330105MA0000000X",
                "认定日期": "去年",
            },
            {
                "载体名称": "运河智慧谷科技企业孵化器",
                "类型": "众创空间",
                "级别": "区级",
                "街道/园区": "330105001",
            },
        )
        with self.assertRaises(CooperationImportError) as raised:
            carriers_import(file=file, by=self.officer)
        self.assertEqual(
            {(e.row, e.column) for e in raised.exception.errors},
            {
                (3, "类型"),
                (3, "级别"),
                (3, "街道/园区"),
                (3, "运营单位信用代码或全称"),
                (3, "认定日期"),
                (4, "载体名称"),
            },
        )
        self.assertFalse(
            Carrier.objects.filter(name="运河智慧谷科技企业孵化器").exists()
        )

    def test_it_creates_and_updates_by_name_audited(self) -> None:
        file = workbook(
            CARRIER_HEADERS,
            {
                "载体名称": "运河智慧谷科技企业孵化器",
                "类型": "科技企业孵化器",
                "级别": "省级",
                "街道/园区": "米市巷街道",
                "运营单位信用代码或全称": self.enterprise_a.name,
                "认定日期": "2020-12-01",
            },
            {
                "载体名称": "湖墅众创空间",
                "类型": "makerspace",
                "级别": "省",
                "街道/园区": "330105002",
                "运营单位（未在库）": "杭州湖墅运营管理有限公司",
            },
        )
        result = carriers_import(file=file, by=self.officer)
        self.assertEqual((result.created, result.updated), (1, 1))
        created = Carrier.objects.get(name="运河智慧谷科技企业孵化器")
        self.assertEqual(
            (created.host, created.org_unit, created.recognised_on),
            (self.enterprise_a, self.street_a, date(2020, 12, 1)),
        )
        self.carrier.refresh_from_db()
        self.assertEqual(
            (self.carrier.level, self.carrier.operator),
            ("provincial", "杭州湖墅运营管理有限公司"),
        )
        self.assertTrue(AuditEvent.objects.filter(action="carrier.import").exists())
        self.assertTrue(AuditEvent.objects.filter(action="carrier.update").exists())

    def test_the_page_links_it_for_staff_only(self) -> None:
        self.client.force_login(self.officer)
        self.assertContains(
            self.client.get("/carriers/"), 'href="/carriers/import/carriers/"'
        )
        template = self.client.get("/carriers/import/carriers/template/")
        headers = [
            c.value
            for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]
        ]
        self.assertEqual(headers, CARRIER_HEADERS)
        file = workbook(CARRIER_HEADERS, {"载体名称": "缺东西"})
        file.name = "carriers.xlsx"  # type: ignore[attr-defined]
        page = self.client.post("/carriers/import/carriers/", {"file": file})
        self.assertContains(page, "必须填写")
        self.client.force_login(self.liaison)
        self.assertNotContains(self.client.get("/carriers/"), "/carriers/import/")
        self.assertEqual(self.client.get("/carriers/import/carriers/").status_code, 403)
        self.assertEqual(
            self.client.get("/carriers/import/carriers/template/").status_code, 403
        )


class ScienceBaseImportTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.base = ScienceBase.objects.create(
            name="运河科技馆科普基地",
            level="district",
            host="杭州运河科技馆",
            recognised_on=date(2022, 3, 1),
        )

    def test_every_bad_cell_is_named_and_nothing_is_written(self) -> None:
        file = workbook(
            BASE_HEADERS,
            {
                "名称": "新科普基地",
                "级别": "市级",
                "依托单位": "某学校",
                "认定日期": "2025-01-01",
            },
            {
                "名称": "坏基地",
                "级别": "世界级",
                "依托单位": "某单位",
                "所在街道": "火星街道",
                "认定日期": "2025-02-30",
                "年接待人次": -5,
            },
            {"名称": "缺依托", "级别": "区级", "认定日期": "2025-01-01"},
        )
        with self.assertRaises(CooperationImportError) as raised:
            science_bases_import(file=file, by=self.officer)
        self.assertEqual(
            {(e.row, e.column) for e in raised.exception.errors},
            {
                (3, "级别"),
                (3, "所在街道"),
                (3, "认定日期"),
                (3, "年接待人次"),
                (4, "依托单位"),
            },
        )
        self.assertFalse(ScienceBase.objects.filter(name="新科普基地").exists())

    def test_the_export_imports_again_and_updates_by_name(self) -> None:
        self.client.force_login(self.officer)
        exported = self.client.get("/events/science-bases/?export=xlsx")
        book = load_workbook(io.BytesIO(exported.content))
        sheet = book.worksheets[0]
        self.assertEqual([c.value for c in sheet[1]], BASE_HEADERS)
        sheet.cell(row=2, column=2, value="市级")
        sheet.cell(row=2, column=6, value=8000)
        sheet.append(
            [
                "拱墅青少年科普基地",
                "区级",
                "拱墅区青少年宫",
                "米市巷街道",
                "2025-06-01",
                3000,
            ]
        )
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.seek(0)
        buffer.name = "bases.xlsx"  # type: ignore[attr-defined]
        response = self.client.post("/events/science-bases/import/", {"file": buffer})
        self.assertRedirects(response, "/events/science-bases/")
        self.base.refresh_from_db()
        self.assertEqual(
            (self.base.level, self.base.yearly_visitors), ("municipal", 8000)
        )
        created = ScienceBase.objects.get(name="拱墅青少年科普基地")
        self.assertEqual(created.org_unit, self.street_a)
        self.assertTrue(
            AuditEvent.objects.filter(action="science_base.import").exists()
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="science_base.create").exists()
        )

    def test_only_staff_see_and_use_the_import(self) -> None:
        self.client.force_login(self.officer)
        self.assertContains(
            self.client.get("/events/science-bases/"),
            'href="/events/science-bases/import/"',
        )
        template = self.client.get("/events/science-bases/import/template/")
        self.assertEqual(
            [
                c.value
                for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]
            ],
            BASE_HEADERS,
        )
        self.client.force_login(self.liaison)
        self.assertNotContains(
            self.client.get("/events/science-bases/"), "/events/science-bases/import/"
        )
        self.assertEqual(
            self.client.get("/events/science-bases/import/").status_code, 403
        )
