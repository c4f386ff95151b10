"""Tasks (任务督办) and the deadline calendar (工作日历): status boundaries,
scoping (another street's or enterprise's task is a 404), the 403/409
order, reminders sent once, the import all-or-nothing, the API, and the
seeded calendar."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.test import SimpleTestCase, override_settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bureau.deadlines import (
    fixed_date,
    reminder_window_open,
    task_reminder_kind,
    task_status,
)
from bureau.lib.exceptions import ApplicationError
from bureau.models import (
    AuditEvent,
    Deadline,
    DeadlineReminder,
    Notification,
    Role,
    Task,
    TaskReminder,
)
from bureau.selectors.tasks import deadline_occurrences, task_list
from bureau.services.deadlines import deadline_reminders_send, deadline_save
from bureau.services.tasks import (
    task_complete,
    task_create,
    task_note_add,
    task_reminders_send,
)
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory


class StatusRuleTests(SimpleTestCase):
    """bureau.deadlines: the official boundaries as plain arithmetic."""

    due = date(2026, 3, 31)

    def test_on_the_due_date_a_task_is_not_yet_overdue(self) -> None:
        self.assertEqual(task_status("open", self.due, self.due), "todo")
        self.assertEqual(task_status("in_progress", self.due, self.due), "in_progress")

    def test_the_day_after_it_is_overdue_unless_done(self) -> None:
        after = self.due + timedelta(days=1)
        self.assertEqual(task_status("open", self.due, after), "overdue")
        self.assertEqual(task_status("in_progress", self.due, after), "overdue")
        self.assertEqual(task_status("done", self.due, after), "done")

    def test_reminder_kinds_by_day(self) -> None:
        lead = 3
        self.assertIsNone(task_reminder_kind(self.due, self.due - timedelta(4), lead))
        self.assertEqual(
            task_reminder_kind(self.due, self.due - timedelta(3), lead), "ahead"
        )
        self.assertEqual(
            task_reminder_kind(self.due, self.due - timedelta(1), lead), "ahead"
        )
        self.assertEqual(task_reminder_kind(self.due, self.due, lead), "due")
        self.assertEqual(
            task_reminder_kind(self.due, self.due + timedelta(1), lead), "overdue"
        )

    def test_deadline_window_and_dates(self) -> None:
        self.assertFalse(reminder_window_open(self.due, 30, self.due - timedelta(31)))
        self.assertTrue(reminder_window_open(self.due, 30, self.due - timedelta(30)))
        self.assertTrue(reminder_window_open(self.due, 30, self.due))
        self.assertFalse(reminder_window_open(self.due, 30, self.due + timedelta(1)))
        self.assertEqual(fixed_date(2027, 2, 29), date(2027, 2, 28))
        self.assertEqual(fixed_date(2028, 2, 29), date(2028, 2, 29))
        self.assertIsNone(fixed_date(2026, 4, 31))


def make_task(by, *, due_on=None, **owner) -> Task:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return task_create(
        by=by,
        task=Task(
            title=owner.pop("title", "报送科技型中小企业评价进度"),
            document_number="杭科高〔2026〕12号",
            received_on=today - timedelta(days=10),
            due_on=due_on or today + timedelta(days=10),
            **owner,
        ),
    )


class TaskTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        K = Task.OwnerKind
        cls.street_task = make_task(
            cls.officer, owner_kind=K.STREET, owner_unit=cls.street_a, title="街道A任务"
        )
        cls.other_street_task = make_task(
            cls.officer, owner_kind=K.STREET, owner_unit=cls.street_b, title="街道B任务"
        )
        cls.ent_task = make_task(
            cls.officer,
            owner_kind=K.ENTERPRISE,
            owner_enterprise=cls.enterprise_a,
            title="企业A任务",
        )
        cls.other_ent_task = make_task(
            cls.officer,
            owner_kind=K.ENTERPRISE,
            owner_enterprise=cls.enterprise_b,
            title="企业B任务",
        )
        cls.section_task = make_task(
            cls.officer,
            owner_kind=K.SECTION,
            owner_section="高新技术科",
            title="科室任务",
        )

    def titles(self, user) -> set[str]:  # type: ignore[no-untyped-def]
        return set(task_list(user=user).values_list("title", flat=True))

    # --- Scoping ------------------------------------------------------------

    def test_each_owner_sees_their_own_and_the_bureau_all(self) -> None:
        self.assertEqual(self.titles(self.liaison), {"街道A任务"})
        self.assertEqual(self.titles(self.ent_user), {"企业A任务"})
        self.assertEqual(len(self.titles(self.leader)), 5)
        self.assertEqual(self.titles(self.expert), set())

    def test_another_streets_or_enterprises_task_is_a_404(self) -> None:
        for user, task in (
            (self.liaison, self.other_street_task),
            (self.ent_user, self.other_ent_task),
            (self.outsider, self.ent_task),
        ):
            self.client.force_login(user)
            self.assertEqual(self.client.get(f"/tasks/{task.pk}/").status_code, 404)
            response = self.client.post(
                f"/tasks/{task.pk}/complete/", {"result": "已完成"}
            )
            self.assertEqual(response.status_code, 404)
            response = self.post_json(
                f"/api/v1/tasks/{task.pk}/status/", {"status": "done", "text": "x"}
            )
            self.assertEqual(response.status_code, 404)
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.client.get(f"/tasks/{self.ent_task.pk}/").status_code, 200
        )

    def test_the_leader_reads_but_may_not_work_and_experts_see_nothing(self) -> None:
        self.client.force_login(self.leader)
        self.assertEqual(
            self.client.get(f"/tasks/{self.street_task.pk}/").status_code, 200
        )
        response = self.client.post(
            f"/tasks/{self.street_task.pk}/progress/", {"text": "看过"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get("/tasks/new/").status_code, 403)
        self.client.force_login(self.expert)
        self.assertEqual(self.client.get("/tasks/").status_code, 403)
        self.assertEqual(self.client.get("/calendar/").status_code, 403)

    # --- Work on a task -----------------------------------------------------

    def test_progress_then_completion_then_409(self) -> None:
        self.client.force_login(self.liaison)
        url = f"/tasks/{self.street_task.pk}/"
        self.client.post(url + "progress/", {"text": "已通知辖区企业"})
        self.street_task.refresh_from_db()
        self.assertEqual(self.street_task.state, Task.State.IN_PROGRESS)
        # An empty result keeps the form with the error.
        response = self.client.post(url + "complete/", {"result": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "has-error", status_code=400)
        response = self.client.post(
            url + "complete/",
            {"result": "已完成报送", "attachment_name": "进度表.xlsx"},
        )
        self.assertRedirects(response, url)
        self.street_task.refresh_from_db()
        self.assertEqual(self.street_task.state, Task.State.DONE)
        self.assertEqual(self.street_task.completed_by, self.liaison)
        # The assigner hears of it; the audit trail has each step.
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.officer, subject__contains="街道A任务"
            ).exists()
        )
        actions = set(
            AuditEvent.objects.filter(object_id=str(self.street_task.pk)).values_list(
                "action", flat=True
            )
        )
        self.assertLessEqual({"task.create", "task.progress", "task.complete"}, actions)
        # A completed task takes no more: 409 on the API, a message on the page.
        response = self.post_json(
            f"/api/v1/tasks/{self.street_task.pk}/status/",
            {"status": "in_progress", "text": "再补充"},
        )
        self.assertEqual(response.status_code, 409)
        with self.assertRaises(ApplicationError):
            task_note_add(task=self.street_task, by=self.officer, text="x")

    def test_list_filters_status_boundary(self) -> None:
        today = timezone.localdate()
        due_today = make_task(
            self.officer,
            owner_kind=Task.OwnerKind.USER,
            owner_user=self.head,
            due_on=today,
            title="今天到期",
        )
        yesterday = make_task(
            self.officer,
            owner_kind=Task.OwnerKind.USER,
            owner_user=self.head,
            due_on=today - timedelta(days=1),
            title="昨天到期",
        )
        yesterday.received_on = today - timedelta(days=20)
        overdue = set(
            task_list(user=self.head, filters={"status": "overdue"}).values_list(
                "pk", flat=True
            )
        )
        self.assertIn(yesterday.pk, overdue)
        self.assertNotIn(due_today.pk, overdue)
        task_complete(task=yesterday, by=self.head, result="补报完成")
        self.assertFalse(
            task_list(user=self.head, filters={"status": "overdue"}).exists()
        )

    def test_list_page_export_and_query_count(self) -> None:
        self.client.force_login(self.officer)
        with self.assertNumQueries(6):
            response = self.client.get("/tasks/")
        self.assertContains(response, "企业B任务")
        more = [
            make_task(
                self.officer,
                owner_kind=Task.OwnerKind.STREET,
                owner_unit=self.street_a,
                title=f"补充任务{i}",
            )
            for i in range(3)
        ]
        self.assertEqual(len(more), 3)
        with self.assertNumQueries(6):
            self.client.get("/tasks/")
        response = self.client.get("/tasks/?q=街道&export=xlsx")
        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "任务名称")
        self.assertEqual({r[0] for r in rows[1:]}, {"街道A任务", "街道B任务"})

    def test_assign_form_keeps_input_and_names_an_enterprise(self) -> None:
        self.client.force_login(self.head)
        today = timezone.localdate()
        data = {
            "title": "报送研发统计",
            "document_number": "区科〔2026〕3号",
            "received_on": today.isoformat(),
            "line_of_work": "statistics",
            "owner_kind": "enterprise",
            "owner_enterprise_name": "不存在的企业",
            "due_on": (today + timedelta(days=5)).isoformat(),
        }
        response = self.client.post("/tasks/new/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "区科〔2026〕3号")
        self.assertContains(response, "没有该统一社会信用代码或全称的企业")
        data["owner_enterprise_name"] = self.enterprise_b.credit_code
        response = self.client.post("/tasks/new/", data)
        task = Task.objects.get(title="报送研发统计")
        self.assertRedirects(response, f"/tasks/{task.pk}/")
        self.assertEqual(task.owner_enterprise, self.enterprise_b)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.outsider, url=f"/tasks/{task.pk}/"
            ).exists()
        )

    # --- Reminders ----------------------------------------------------------

    @override_settings(TASK_REMINDER_DAYS=3)
    def test_task_reminders_go_out_once_per_kind_and_person(self) -> None:
        due = self.street_task.due_on
        second_liaison = UserFactory(
            role=Role.STREET_LIAISON, org_unit=self.street_a, username="liaison2"
        )
        self.assertEqual(task_reminders_send(today=due - timedelta(days=4)), 0)
        # Three days ahead: the street's two liaisons and enterprise A's user
        # (that task is due the same day); the section task's head and assigner.
        day = due - timedelta(days=3)
        first = task_reminders_send(today=day)
        self.assertGreater(first, 0)
        self.assertEqual(task_reminders_send(today=day), 0)
        self.assertEqual(task_reminders_send(today=day + timedelta(days=1)), 0)
        for user in (self.liaison, second_liaison):
            self.assertEqual(
                TaskReminder.objects.filter(task=self.street_task, user=user).count(), 1
            )
        # On the day and after it, one more each.
        task_reminders_send(today=due)
        task_reminders_send(today=due)
        task_reminders_send(today=due + timedelta(days=2))
        task_reminders_send(today=due + timedelta(days=3))
        kinds = TaskReminder.objects.filter(task=self.street_task, user=self.liaison)
        self.assertEqual(
            sorted(kinds.values_list("kind", flat=True)), ["ahead", "due", "overdue"]
        )
        self.assertEqual(
            Notification.objects.filter(
                recipient=self.liaison, subject__contains="街道A任务"
            ).count(),
            1 + 3,  # assigned, then the three reminders
        )
        # A completed task is not reminded.
        task_complete(task=self.ent_task, by=self.ent_user, result="已报送")
        before = TaskReminder.objects.filter(task=self.ent_task).count()
        task_reminders_send(today=due + timedelta(days=5))
        self.assertEqual(
            TaskReminder.objects.filter(task=self.ent_task).count(), before
        )


class CalendarTests(CastTestCase):
    def test_the_seeded_calendar(self) -> None:
        names = set(Deadline.objects.values_list("name", flat=True))
        for name in (
            "科技型中小企业评价入库（首批）",
            "科技活动周",
            "全国科普日",
            "人大建议、政协提案答复",
        ):
            self.assertIn(name, names)
        tech_sme = Deadline.objects.get(name="科技型中小企业评价入库（首批）")
        self.assertEqual((tech_sme.month, tech_sme.day), (3, 31))
        on = dict((d.name, when) for d, when in deadline_occurrences(year=2026))
        self.assertEqual(on["科技型中小企业评价入库（首批）"], date(2026, 3, 31))
        self.assertEqual(on["全国科普日"], date(2026, 9, 19))
        # A per-year deadline without a date that year is not on the calendar.
        self.assertNotIn(
            "全国科普日", dict((d.name, w) for d, w in deadline_occurrences(year=2030))
        )

    def test_a_deadline_reminds_only_the_roles_it_may(self) -> None:
        from django.core.exceptions import ValidationError

        for role in (Role.EXPERT, "nobody"):
            with self.assertRaises(ValidationError) as caught:
                deadline_save(
                    by=self.officer,
                    deadline=Deadline(
                        name=f"测试{role}",
                        rule=Deadline.Rule.FIXED,
                        month=3,
                        day=31,
                        remind_roles=[Role.STAFF, role],
                    ),
                )
            self.assertIn("remind_roles", caught.exception.message_dict)

    def test_deadline_reminders_once_per_occurrence_and_person(self) -> None:
        deadline = deadline_save(
            by=self.officer,
            deadline=Deadline(
                name="测试节点",
                rule=Deadline.Rule.FIXED,
                month=3,
                day=31,
                remind_roles=[Role.STREET_LIAISON, Role.STAFF],
                lead_days=10,
            ),
        )
        Deadline.objects.exclude(pk=deadline.pk).update(is_active=False)
        self.assertEqual(deadline_reminders_send(today=date(2026, 3, 20)), 0)
        sent = deadline_reminders_send(today=date(2026, 3, 21))
        self.assertEqual(sent, 2)  # the officer and the liaison
        self.assertEqual(deadline_reminders_send(today=date(2026, 3, 21)), 0)
        self.assertEqual(deadline_reminders_send(today=date(2026, 3, 31)), 0)
        self.assertEqual(
            DeadlineReminder.objects.filter(
                deadline=deadline, user=self.liaison
            ).count(),
            1,
        )
        # Next year's occurrence is reminded again.
        self.assertEqual(deadline_reminders_send(today=date(2027, 3, 25)), 2)
        self.assertFalse(
            Notification.objects.filter(
                recipient=self.ent_user, subject__contains="测试节点"
            ).exists()
        )

    def test_calendar_page_and_deadline_form(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/calendar/?year=2026")
        self.assertContains(response, "科技型中小企业评价入库（首批）")
        self.assertNotContains(response, "/calendar/deadlines/")
        self.assertEqual(self.client.get("/calendar/deadlines/new/").status_code, 403)
        self.client.force_login(self.officer)
        deadline = Deadline.objects.get(name="全国科普日")
        response = self.client.post(
            f"/calendar/deadlines/{deadline.pk}/",
            {
                "name": deadline.name,
                "rule": "per_year",
                "line_of_work": "science",
                "remind_roles": ["staff"],
                "lead_days": "20",
                "is_active": "on",
                "dates-TOTAL_FORMS": "2",
                "dates-INITIAL_FORMS": "0",
                "dates-0-year": "2030",
                "dates-0-date": "2030-09-21",
                "dates-1-year": "",
                "dates-1-date": "",
            },
        )
        self.assertRedirects(
            response, "/calendar/", msg_prefix=response.content.decode()[-3000:]
        )
        self.assertEqual(list(deadline.dates.values_list("year", flat=True)), [2030])
        on = dict((d.name, w) for d, w in deadline_occurrences(year=2030))
        self.assertEqual(on["全国科普日"], date(2030, 9, 21))
        response = self.client.get("/calendar/?year=2026&export=xlsx")
        rows = list(
            load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
        )
        self.assertEqual(rows[0][0], "日期")
        self.assertGreater(len(rows), 5)


class ImportAndApiTests(CastTestCase):
    def sheet(self, rows: list[list[object]]) -> BytesIO:
        book = Workbook()
        ws = book.active
        ws.append(
            [
                "任务名称",
                "来文文号",
                "来文单位",
                "收文日期",
                "责任主体类型",
                "责任主体",
                "完成时限",
                "业务条线",
                "任务要求",
            ]
        )
        for row in rows:
            ws.append(row)
        out = BytesIO()
        book.save(out)
        out.seek(0)
        out.name = "tasks.xlsx"
        return out

    def test_import_is_all_or_nothing(self) -> None:
        self.client.force_login(self.officer)
        good = [
            "科普日活动方案",
            "市科协〔2026〕5号",
            "市科协",
            date(2026, 8, 1),
            "街道",
            self.street_a.name,
            date(2026, 9, 1),
            "科普",
            "",
        ]
        bad = [
            "企业填报",
            "",
            "",
            "不是日期",
            "企业",
            "91330000NOPE",
            date(2026, 9, 1),
            "",
            "",
        ]
        response = self.client.post("/tasks/import/", {"file": self.sheet([good, bad])})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "收文日期")
        self.assertContains(response, "91330000NOPE")
        self.assertFalse(Task.objects.exists())
        ent = [
            "企业填报",
            "",
            "",
            date(2026, 8, 1),
            "企业",
            self.enterprise_a.credit_code,
            date(2026, 9, 1),
            "",
            "",
        ]
        response = self.client.post("/tasks/import/", {"file": self.sheet([good, ent])})
        self.assertRedirects(
            response, "/tasks/", msg_prefix=response.content.decode()[-2000:]
        )
        self.assertEqual(Task.objects.count(), 2)
        self.assertEqual(
            Task.objects.get(title="企业填报").owner_enterprise, self.enterprise_a
        )

    def test_api_list_create_and_status(self) -> None:
        self.client.force_login(self.officer)
        today = timezone.localdate()
        response = self.post_json(
            "/api/v1/tasks/",
            {
                "title": "上报载体考核材料",
                "received_on": today.isoformat(),
                "due_on": (today + timedelta(days=7)).isoformat(),
                "owner_kind": "street",
                "owner_unit": self.street_a.code,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual(response.json()["status"], "todo")
        self.client.force_login(self.liaison)
        body = self.client.get("/api/v1/tasks/?open=true").json()
        self.assertEqual([t["id"] for t in body["results"]], [pk])
        response = self.post_json("/api/v1/tasks/", {"title": "x"})
        self.assertEqual(response.status_code, 403)
        response = self.post_json(
            f"/api/v1/tasks/{pk}/status/", {"status": "done", "text": "材料已报送"}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "done")
        # Deadlines: the liaison reads; staff create.
        self.assertEqual(self.client.get("/api/v1/deadlines/").status_code, 200)
        self.assertEqual(self.post_json("/api/v1/deadlines/", {}).status_code, 403)
        self.client.force_login(self.officer)
        response = self.post_json(
            "/api/v1/deadlines/",
            {
                "name": "双创周",
                "rule": "per_year",
                "dates": [{"year": 2026, "date": "2026-10-15"}],
                "remind_roles": ["staff"],
                "lead_days": 20,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            response.json()["dates"], [{"year": 2026, "date": "2026-10-15"}]
        )
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/api/v1/deadlines/").status_code, 403)


class BeatTaskTests(CastTestCase):
    def test_the_daily_beat_task_sends_task_and_deadline_reminders_once(self) -> None:
        from bureau.schedules import SCHEDULES
        from bureau.tasks import reminders_send

        self.assertIn("bureau.reminders_send", {s.task for s in SCHEDULES})
        make_task(
            self.officer,
            owner_kind=Task.OwnerKind.USER,
            owner_user=self.liaison,
            due_on=timezone.localdate(),
        )
        first = reminders_send.delay().get()
        self.assertEqual(first["tasks"], 1)  # due today: the liaison
        again = reminders_send.delay().get()
        self.assertEqual(again, {"tasks": 0, "deadlines": 0})


class ApiQueryCountTests(CastTestCase):
    def test_the_task_and_deadline_lists_cost_the_same_whatever_the_rows(self) -> None:
        self.client.force_login(self.officer)
        K = Task.OwnerKind
        for n in range(2):
            make_task(self.officer, owner_kind=K.STREET, owner_unit=self.street_a)
            make_task(
                self.officer,
                owner_kind=K.ENTERPRISE,
                owner_enterprise=self.enterprise_b,
            )
            make_task(self.officer, owner_kind=K.USER, owner_user=self.head)
            with self.assertNumQueries(4):
                body = self.client.get("/api/v1/tasks/").json()
            self.assertEqual(body["count"], 3 * (n + 1))
            with self.assertNumQueries(5):  # the per-year dates prefetched
                self.client.get("/api/v1/deadlines/")
