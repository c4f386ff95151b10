"""The reserve's (储备库) Excel import at /projects/upward/reserve/import/:
all or nothing, every error named by row and Chinese column, the enterprise
by credit code or exact name, amounts typed in 万元 and stored in 元, a
re-import updating rather than duplicating (keyed on enterprise + project
name), a project that left the reserve refused, each row audited; the
template and the page for staff only, in Chinese."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook

from bureau.models import AuditEvent
from enterprises.tests.factories import EnterpriseFactory
from projects.exports_upward import RESERVE_COLUMNS
from projects.models import ReserveProject
from projects.services.upward import (
    RESERVE_IMPORT_COLUMNS,
    ReserveImportError,
    reserve_drop,
    reserve_import,
    reserve_save,
)
from projects.tests.factories import make_programme
from projects.tests.test_upward import TODAY, UpwardTestCase
from tests.browser import leaks, page_text

HEADERS = [
    "项目名称",
    "企业",
    "统一社会信用代码",
    "目标级别",
    "目标计划",
    "预计申报年度",
    "计划申请金额（万元）",
    "项目简介",
]
URL = "/projects/upward/reserve/import/"
TEMPLATE_URL = "/projects/upward/reserve/import/template/"


def book(rows: list[dict[str, Any]], headers: list[str] = HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "reserve.xlsx"
    return buffer


class ReserveImportTestCase(UpwardTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.firm_a = EnterpriseFactory(
            org_unit=cls.street_a, name="杭州氢能科技有限公司"
        )
        cls.firm_b = EnterpriseFactory(
            org_unit=cls.street_b, name="杭州储能科技有限公司"
        )
        cls.nation = make_programme(name="国家重点研发计划", level="national")

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "项目名称": "氢燃料电池双极板",
                "企业": "",
                "统一社会信用代码": self.firm_a.credit_code,
                "目标级别": "省级",
                "目标计划": "省重点研发计划",
                "预计申报年度": TODAY.year + 1,
                "计划申请金额（万元）": 30,
                "项目简介": "精密加工与检测",
            },
            {
                "项目名称": "储能电站预警系统",
                "企业": "杭州储能科技有限公司",
                "目标级别": "国家",
                "目标计划": "",
                "预计申报年度": str(TODAY.year + 2),
                "计划申请金额（万元）": "120.5",
                "项目简介": "电池热失控预警",
            },
        ]

    def errors(self, rows: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
        with self.assertRaises(ReserveImportError) as caught:
            reserve_import(by=self.officer, file=book(rows))
        return [(e.row, e.column, e.message) for e in caught.exception.errors]


class ImportServiceTests(ReserveImportTestCase):
    def test_a_good_file_adds_each_row_audited(self) -> None:
        result = reserve_import(by=self.officer, file=book(self.rows()))
        self.assertEqual((result.created, result.updated), (2, 0))
        first = ReserveProject.objects.get(title="氢燃料电池双极板")
        self.assertEqual(first.enterprise, self.firm_a)
        self.assertEqual(first.target_level, "provincial")
        self.assertEqual(first.target_programme, self.province)
        self.assertEqual(first.planned_amount, Decimal("300000.00"))
        self.assertEqual(first.expected_year, TODAY.year + 1)
        self.assertEqual(first.summary, "精密加工与检测")
        self.assertEqual(first.status, ReserveProject.Status.RESERVE)
        self.assertEqual(first.created_by, self.officer)
        second = ReserveProject.objects.get(title="储能电站预警系统")
        self.assertEqual(second.enterprise, self.firm_b)  # by its exact name
        self.assertEqual(second.target_level, "national")
        self.assertIsNone(second.target_programme)
        self.assertEqual(second.planned_amount, Decimal("1205000.00"))
        self.assertEqual(
            sorted(
                AuditEvent.objects.filter(action="reserve.create").values_list(
                    "object_id", flat=True
                )
            ),
            sorted([str(first.pk), str(second.pk)]),
        )

    def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(
        self,
    ) -> None:
        good, bad = self.rows()
        bad = bad | {
            "企业": "不存在的公司",
            "目标级别": "区级",
            "预计申报年度": "明年",
            "计划申请金额（万元）": "三十",
            "项目简介": "",
        }
        wrong_code = good | {"统一社会信用代码": "91330105MA00000000"}
        wrong_plan = good | {"项目名称": "另一个项目", "目标计划": "国家重点研发计划"}
        errors = self.errors([good, bad, wrong_code, wrong_plan])
        self.assertEqual(
            [(row, column) for row, column, _m in errors],
            [
                (3, "项目简介"),
                (3, "企业"),
                (3, "目标级别"),
                (3, "预计申报年度"),
                (3, "计划申请金额（万元）"),
                (4, "统一社会信用代码"),
                (5, "目标计划"),
            ],
        )
        messages = dict(((row, column), m) for row, column, m in errors)
        self.assertEqual(messages[(3, "企业")], "系统中没有名为“不存在的公司”的企业。")
        self.assertIn("省级", messages[(3, "目标级别")])
        self.assertEqual(messages[(3, "项目简介")], "此项必须填写。")
        self.assertFalse(ReserveProject.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(action="reserve.create").exists())

    def test_the_same_project_twice_in_a_file_is_an_error(self) -> None:
        first = self.rows()[0]
        twice = first | {"企业": self.firm_a.name, "统一社会信用代码": ""}
        self.assertEqual(
            self.errors([first, twice]),
            [(3, "项目名称", "与第2行是同一个项目。")],
        )

    def test_a_name_that_contradicts_the_credit_code_is_an_error(self) -> None:
        row = self.rows()[0] | {"企业": self.firm_b.name}
        [(number, column, message)] = self.errors([row])
        self.assertEqual((number, column), (2, "企业"))
        self.assertIn(self.firm_a.name, message)

    def test_reimporting_updates_rather_than_duplicates(self) -> None:
        reserve_import(by=self.officer, file=book(self.rows()))
        rows = self.rows()
        rows[0]["计划申请金额（万元）"] = 45
        rows[1]["项目简介"] = "改为储能安全平台"
        result = reserve_import(by=self.officer, file=book(rows))
        self.assertEqual((result.created, result.updated), (0, 2))
        self.assertEqual(ReserveProject.objects.count(), 2)
        first = ReserveProject.objects.get(title="氢燃料电池双极板")
        self.assertEqual(first.planned_amount, Decimal("450000.00"))
        self.assertEqual(
            ReserveProject.objects.get(title="储能电站预警系统").summary,
            "改为储能安全平台",
        )
        event = AuditEvent.objects.get(action="reserve.update", object_id=first.pk)
        before, after = event.changes["planned_amount"]
        self.assertEqual(
            (Decimal(str(before)), Decimal(str(after))),
            (Decimal("300000"), Decimal("450000")),
        )
        # The same file once more changes nothing but still adds nothing.
        reserve_import(by=self.officer, file=book(rows))
        self.assertEqual(ReserveProject.objects.count(), 2)

    def test_a_project_that_left_the_reserve_is_refused_by_row(self) -> None:
        reserve_import(by=self.officer, file=book(self.rows()))
        dropped = ReserveProject.objects.get(title="储能电站预警系统")
        reserve_drop(by=self.officer, reserve=dropped)
        rows = self.rows()
        rows[0]["计划申请金额（万元）"] = 99
        errors = self.errors(rows)
        self.assertEqual([(r, c) for r, c, _m in errors], [(3, "项目名称")])
        self.assertIn("储能电站预警系统", errors[0][2])
        # All or nothing: the good first row was not written either.
        self.assertEqual(
            ReserveProject.objects.get(title="氢燃料电池双极板").planned_amount,
            Decimal("300000.00"),
        )
        self.assertEqual(ReserveProject.objects.count(), 2)

    def test_an_exported_file_imports_back(self) -> None:
        reserve_save(
            by=self.officer,
            reserve=ReserveProject(
                enterprise=self.firm_a,
                title="固态电解质中试",
                summary="中试线建设",
                target_level="provincial",
                target_programme=self.province,
                expected_year=TODAY.year + 1,
                planned_amount=Decimal("250000"),
            ),
        )
        self.client.force_login(self.officer)
        exported = self.client.get("/projects/upward/reserve/?export=xlsx").content
        sheet = load_workbook(io.BytesIO(exported)).active
        assert sheet is not None
        header = [c.value for c in sheet[1]]
        sheet.cell(2, header.index("计划申请金额（万元）") + 1, 26)
        buffer = io.BytesIO()
        sheet.parent.save(buffer)
        buffer.seek(0)
        result = reserve_import(by=self.officer, file=buffer)
        self.assertEqual((result.created, result.updated), (0, 1))
        reserve = ReserveProject.objects.get()
        self.assertEqual(reserve.planned_amount, Decimal("260000.00"))
        self.assertEqual(reserve.target_programme, self.province)

    def test_an_empty_sheet_or_a_missing_column_is_refused(self) -> None:
        self.assertEqual(
            [(r, c) for r, c, _m in self.errors([])],
            [(0, "")],
        )
        with self.assertRaises(ReserveImportError) as caught:
            reserve_import(
                by=self.officer,
                file=book(self.rows(), headers=[h for h in HEADERS if h != "企业"]),
            )
        self.assertEqual(
            [(e.row, e.column) for e in caught.exception.errors], [(1, "企业")]
        )

    def test_only_staff_may_import(self) -> None:
        from django.core.exceptions import PermissionDenied

        for user in (self.leader, self.liaison, self.ent_user):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                reserve_import(by=user, file=book(self.rows()))
        self.assertFalse(ReserveProject.objects.exists())


class ImportPageTests(ReserveImportTestCase):
    def test_the_page_imports_and_goes_back_to_the_reserve(self) -> None:
        self.client.force_login(self.head)
        response = self.client.post(URL, {"file": book(self.rows())})
        self.assertRedirects(response, "/projects/upward/reserve/")
        self.assertEqual(ReserveProject.objects.count(), 2)
        page = self.client.get("/projects/upward/reserve/")
        self.assertContains(page, "氢燃料电池双极板")

    def test_errors_are_listed_by_row_and_column(self) -> None:
        self.client.force_login(self.officer)
        rows = self.rows()
        rows[1]["计划申请金额（万元）"] = "-5"
        response = self.client.post(URL, {"file": book(rows)})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<td>3</td><td>计划申请金额（万元）</td>")
        self.assertContains(response, "未导入任何数据")
        self.assertContains(response, "不是有效的金额（万元）。")
        self.assertFalse(ReserveProject.objects.exists())

    def test_readers_and_enterprise_users_get_403(self) -> None:
        for user in (self.leader, self.liaison, self.ent_user, self.auditor):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(URL).status_code, 403)
                self.assertEqual(self.client.get(TEMPLATE_URL).status_code, 403)
                response = self.client.post(URL, {"file": book(self.rows())})
                self.assertEqual(response.status_code, 403)
        self.assertFalse(ReserveProject.objects.exists())

    def test_the_reserve_list_links_the_import_only_for_managers(self) -> None:
        for user, shown in (
            (self.officer, True),
            (self.head, True),
            (self.leader, False),
            (self.liaison, False),
        ):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.get("/projects/upward/reserve/")
                self.assertEqual(page.status_code, 200)
                self.assertEqual(f'href="{URL}"' in page.content.decode(), shown)

    def test_the_template_has_the_export_columns_and_an_example(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(TEMPLATE_URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), [c.header for c in RESERVE_COLUMNS])
        self.assertTrue({c.header for c in RESERVE_IMPORT_COLUMNS} <= set(rows[0]))
        example = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(example["目标级别"], "省级")
        self.assertEqual(example["计划申请金额（万元）"], 300)
        # The template read back is refused only for its made-up enterprise.
        buffer = io.BytesIO(response.content)
        with self.assertRaises(ReserveImportError) as caught:
            reserve_import(by=self.officer, file=buffer)
        self.assertEqual(
            [(e.row, e.column) for e in caught.exception.errors],
            [(2, "统一社会信用代码")],
        )

    def test_the_pages_show_no_english(self) -> None:
        self.client.force_login(self.officer)
        for path in (URL, "/projects/upward/reserve/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(leaks(page_text(response.content.decode())), [])
        rows = self.rows()
        rows[0] |= {"统一社会信用代码": "X", "目标级别": "", "预计申报年度": 1800}
        rows[1] |= {"企业": "", "目标计划": "没有这个计划"}
        response = self.client.post(URL, {"file": book(rows)})
        self.assertContains(response, "统一社会信用代码")
        self.assertEqual(leaks(page_text(response.content.decode())), [])
