"""The Excel import of the recurring deadlines (工作日历), linked from
/calendar/ for those who manage deadlines: all or nothing, every bad cell
named by row and Chinese header, a deadline of the same name changed,
audited."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from bureau.models import AuditEvent, Deadline, LineOfWork, Role
from bureau.services.deadlines import deadlines_import
from bureau.services.tasks import TaskImportError
from bureau.tests.base import CastTestCase
from enterprises.tests.test_cooperation import workbook

HEADERS = [
    "事项名称",
    "日期规则",
    "月",
    "日",
    "各年日期",
    "业务条线",
    "责任科室",
    "提醒对象",
    "提前提醒（天）",
    "说明",
]


class DeadlineImportTests(CastTestCase):
    def test_it_adds_and_changes_deadlines_by_name(self) -> None:
        file = workbook(
            HEADERS,
            {
                "事项名称": "院士专家工作站年度考核",
                "日期规则": "每年固定日期",
                "月": 10,
                "日": 15,
                "业务条线": "双创载体",
                "责任科室": "创新科",
                "提醒对象": "科员、街道/园区联络员",
                "提前提醒（天）": 20,
            },
            {
                "事项名称": "科技活动周",
                "日期规则": "每年另定日期",
                "各年日期": "2026-05-16、2027-05-15",
            },
        )
        added, changed = deadlines_import(by=self.officer, file=file)
        self.assertEqual((added, changed), (1, 1))
        new = Deadline.objects.get(name="院士专家工作站年度考核")
        self.assertEqual(
            (new.rule, new.month, new.day, new.lead_days, new.line_of_work),
            (Deadline.Rule.FIXED, 10, 15, 20, LineOfWork.CARRIERS),
        )
        self.assertEqual(new.remind_roles, [Role.STAFF, Role.STREET_LIAISON])
        week = Deadline.objects.get(name="科技活动周")
        self.assertEqual(
            sorted(week.dates.values_list("year", "date")),
            [(2026, date(2026, 5, 16)), (2027, date(2027, 5, 15))],
        )
        self.assertTrue(AuditEvent.objects.filter(action="deadline.import").exists())
        self.assertTrue(
            AuditEvent.objects.filter(
                action="deadline.create", object_id=str(new.pk)
            ).exists()
        )

    def test_every_bad_cell_is_named_and_nothing_is_written(self) -> None:
        before = Deadline.objects.count()
        file = workbook(
            HEADERS,
            {"事项名称": "好事项", "月": 4, "日": 30},
            {
                "事项名称": "坏事项",
                "日期规则": "随便",
                "月": "四月",
                "业务条线": "种地",
                "提醒对象": "路人",
                "各年日期": "明年",
            },
            {"事项名称": "二月三十日", "日期规则": "每年固定日期", "月": 2, "日": 30},
            {"事项名称": "好事项", "月": 5, "日": 1},
        )
        with self.assertRaises(TaskImportError) as raised:
            deadlines_import(by=self.officer, file=file)
        self.assertEqual(
            {(e.row, e.column) for e in raised.exception.errors},
            {
                (3, "日期规则"),
                (3, "月"),
                (3, "业务条线"),
                (3, "提醒对象"),
                (3, "各年日期"),
                (4, "日"),
                (5, "事项名称"),
            },
        )
        self.assertEqual(Deadline.objects.count(), before)
        self.assertFalse(Deadline.objects.filter(name="好事项").exists())

    def test_the_calendar_links_it_for_those_who_manage_deadlines(self) -> None:
        self.client.force_login(self.officer)
        self.assertContains(
            self.client.get("/calendar/"), 'href="/calendar/deadlines/import/"'
        )
        template = self.client.get("/calendar/deadlines/import/template/")
        self.assertEqual(
            [
                c.value
                for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]
            ],
            HEADERS,
        )
        file = workbook(HEADERS, {"事项名称": "只填了名称", "月": 13, "日": 1})
        file.name = "calendar.xlsx"  # type: ignore[attr-defined]
        page = self.client.post("/calendar/deadlines/import/", {"file": file})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "月")
        self.assertFalse(Deadline.objects.filter(name="只填了名称").exists())
        self.client.force_login(self.liaison)
        self.assertNotContains(self.client.get("/calendar/"), "/calendar/deadlines/")
        self.assertEqual(
            self.client.get("/calendar/deadlines/import/").status_code, 403
        )
        self.assertEqual(
            self.client.get("/calendar/deadlines/import/template/").status_code, 403
        )

    def test_the_template_example_imports(self) -> None:
        self.client.force_login(self.officer)
        template = self.client.get("/calendar/deadlines/import/template/")
        file = io.BytesIO(template.content)
        added, changed = deadlines_import(by=self.officer, file=file)
        self.assertEqual(added + changed, 2)
