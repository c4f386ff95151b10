from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from bureau.lib.exceptions import ApplicationError
from bureau.tests.base import CastTestCase
from talent.models import AllowancePayment, Degree, TalentProgramme
from talent.points import PointsInput, permit_points
from talent.services import (
    allowance_grant,
    allowance_payments_pay,
    allowances_mark_due,
    case_document_add,
    commissioner_assess,
    commissioner_create,
    permit_case_create,
    talent_create,
    talent_update,
    team_create,
    team_warnings,
)
from talent.tests.factories import AllowanceRuleFactory, TalentProgrammeFactory
from talent.tests.test_talent_privacy import ID_NUMBER


class AllowanceTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rule = AllowanceRuleFactory(months=3)
        cls.person = talent_create(
            by=cls.officer, name="刘博士", id_number=ID_NUMBER, degree=Degree.DOCTORATE
        )

    def test_a_grant_lays_out_one_payment_per_month(self) -> None:
        allowance = allowance_grant(
            by=self.officer,
            talent=self.person,
            rule=self.rule,
            first_month=date(2026, 1, 15),
        )
        months = list(allowance.payments.values_list("month", flat=True))
        self.assertEqual(months, [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)])
        with self.assertRaises(ApplicationError):
            allowance_grant(
                by=self.officer,
                talent=self.person,
                rule=self.rule,
                first_month=date(2026, 3, 1),
            )
        master = AllowanceRuleFactory(degree=Degree.MASTER, months=1)
        with self.assertRaises(ValidationError):
            allowance_grant(
                by=self.officer,
                talent=self.person,
                rule=master,
                first_month=date(2026, 6, 1),
            )

    def test_the_monthly_job_marks_due_stops_leavers_and_is_idempotent(self) -> None:
        allowance_grant(
            by=self.officer,
            talent=self.person,
            rule=self.rule,
            first_month=date(2026, 1, 1),
        )
        self.assertEqual(
            allowances_mark_due(month=date(2026, 1, 1)), {"due": 1, "stopped": 0}
        )
        self.assertEqual(
            allowances_mark_due(month=date(2026, 1, 1)), {"due": 0, "stopped": 0}
        )
        self.assertEqual(
            allowance_payments_pay(by=self.officer, month=date(2026, 1, 1)), 1
        )
        self.assertEqual(
            allowance_payments_pay(by=self.officer, month=date(2026, 1, 1)), 0
        )
        # The person leaves mid-February: February is paid, March stops.
        talent_update(talent=self.person, by=self.officer, left_on=date(2026, 2, 20))
        self.assertEqual(
            allowances_mark_due(month=date(2026, 2, 1)), {"due": 1, "stopped": 1}
        )
        statuses = dict(AllowancePayment.objects.values_list("month", "status"))
        self.assertEqual(
            statuses,
            {
                date(2026, 1, 1): "paid",
                date(2026, 2, 1): "due",
                date(2026, 3, 1): "stopped",
            },
        )
        self.assertEqual(
            allowances_mark_due(month=date(2026, 3, 1)), {"due": 0, "stopped": 0}
        )

    def test_the_month_page_exports_masked_ids_for_finance(self) -> None:
        allowance_grant(
            by=self.officer,
            talent=self.person,
            rule=self.rule,
            first_month=date(2026, 1, 1),
        )
        allowances_mark_due(month=date(2026, 1, 1))
        self.client.force_login(self.officer)
        page = self.client.get("/talent/allowances/?month=2026-01")
        self.assertContains(page, "刘博士")
        export = self.client.get("/talent/allowances/?month=2026-01&export=xlsx")
        rows = list(
            load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True)
        )
        self.assertEqual(rows[1][0], "刘博士")
        self.assertEqual(rows[1][1], ID_NUMBER[:6] + "********" + ID_NUMBER[-4:])
        self.assertNotIn(ID_NUMBER, str(rows))
        confirm = self.client.post("/talent/allowances/pay/", {"month": "2026-01"})
        self.assertContains(confirm, "2026年1月待发放生活补贴1笔")
        self.assertEqual(
            AllowancePayment.objects.get(month=date(2026, 1, 1)).status, "due"
        )
        done = self.client.post(
            "/talent/allowances/pay/",
            {"month": "2026-01", "confirmed": "1"},
            follow=True,
        )
        self.assertContains(done, "已将2026年1月的1笔生活补贴登记为已发放")
        self.assertEqual(
            AllowancePayment.objects.get(month=date(2026, 1, 1)).status, "paid"
        )
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/talent/allowances/").status_code, 403)


class TeamAndPointsTests(CastTestCase):
    def test_team_rules_are_warnings(self) -> None:
        leader = talent_create(by=self.officer, name="带头人", birth_year=1965)
        members = [
            talent_create(by=self.officer, name=f"成员{i}", birth_year=1975)
            for i in range(4)
        ]
        team = team_create(
            by=self.officer,
            name="某团队",
            leader=leader,
            members=members,
            programme=TalentProgrammeFactory(
                name="领军型创新团队", kind=TalentProgramme.Kind.INNOVATION_TEAM
            ),
        )
        warnings = team_warnings(team, on=date(2026, 6, 1))
        self.assertEqual(len(warnings), 3)
        self.assertIn("核心成员4人，少于5人", warnings[0])
        self.assertIn("带头人61岁，超过55岁", warnings[1])
        self.assertIn("平均年龄51.0岁，超过45岁", warnings[2])
        young = talent_create(by=self.officer, name="年轻带头人", birth_year=1980)
        crew = [
            talent_create(by=self.officer, name=f"骨干{i}", birth_year=1990)
            for i in range(5)
        ]
        good = team_create(by=self.officer, name="好团队", leader=young, members=crew)
        self.assertEqual(team_warnings(good, on=date(2026, 6, 1)), [])

    def test_permit_points_with_breakdown(self) -> None:
        result = permit_points(
            PointsInput(
                annual_salary=Decimal(450000),
                education="doctorate",
                work_years=8,
                months_per_year=10,
                chinese_level=3,
                age=40,
                other_bonus_items=["fortune_500"],
            )
        )
        points = {i["item"]: i["points"] for i in result.items}
        self.assertEqual(points["年薪（万元）"], 20)
        self.assertEqual(points["工作经历（年）"], 11)
        self.assertEqual(points["年龄"], 15)
        self.assertEqual(result.total, 20 + 20 + 11 + 15 + 3 + 15 + 5)
        self.assertEqual(result.suggested_class, "A")
        low = permit_points(
            PointsInput(
                annual_salary=Decimal("349900"),
                education="bachelor",
                work_years=1,
                age=61,
                local_average_salary=Decimal(120000),
            )
        )
        self.assertEqual(low.total, 14 + 10)
        # A bachelor with 1 year, 2.9 times the average wage: no route.
        self.assertEqual(low.suggested_class, "C")
        self.assertEqual(low.routes, [])

    def test_a_case_is_for_foreigners_and_uploads_are_checked_by_content(self) -> None:
        local = talent_create(by=self.officer, name="本地人")
        with self.assertRaises(ValidationError):
            permit_case_create(
                by=self.officer, talent=local, points_input=PointsInput()
            )
        expert = talent_create(by=self.officer, name="John Smith", nationality="GB")
        case = permit_case_create(
            by=self.officer,
            talent=expert,
            points_input=PointsInput(
                annual_salary=Decimal(300000),
                education="master",
                work_years=5,
                age=35,
                local_average_salary=Decimal(120000),
            ),
        )
        self.assertEqual(case.points, 14 + 15 + 8 + 15)
        # 52 points, but a master's degree with 5 years' experience is B.
        self.assertEqual(case.permit_class, "B")
        self.assertEqual(
            [r["route"] for r in case.points_breakdown["routes"]],
            ["education_experience"],
        )
        exe = SimpleUploadedFile("passport.pdf", b"MZ\x90\x00" + b"\x00" * 100)
        with self.assertRaises(ValidationError):
            case_document_add(by=self.officer, case=case, title="护照", upload=exe)
        pdf = SimpleUploadedFile("passport.exe", b"%PDF-1.7\n" + b"x" * 100)
        document = case_document_add(
            by=self.officer, case=case, title="护照", upload=pdf
        )
        self.assertEqual(document.content_type, "application/pdf")
        self.client.force_login(self.officer)
        download = self.client.get(f"/talent/documents/{document.pk}/")
        self.assertEqual(download.status_code, 200)
        self.assertTrue(b"".join(download.streaming_content).startswith(b"%PDF"))
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.client.get(f"/talent/documents/{document.pk}/").status_code, 403
        )
        with self.settings(UPLOAD_MAX_BYTES=50):
            with self.assertRaises(ValidationError):
                case_document_add(
                    by=self.officer,
                    case=case,
                    title="大",
                    upload=SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 100),
                )

    def test_commissioner_grades(self) -> None:
        c = commissioner_create(
            by=self.officer,
            kind="individual",
            name="周教授",
            sending_organisation="浙江工业大学",
            served_area="康桥街道",
            term_start=date(2025, 4, 1),
            term_end=date(2026, 3, 31),
        )
        grades = {
            s: commissioner_assess(
                by=self.officer, commissioner=c, year=2000 + s % 100, score=s
            ).get_grade_display()
            for s in (90, 89, 80, 79, 60, 59)
        }
        self.assertEqual(
            list(grades.values()), ["优秀", "良好", "良好", "合格", "合格", "不合格"]
        )
        with self.assertRaises(ValidationError):
            commissioner_create(
                by=self.officer,
                kind="team",
                name="x",
                sending_organisation="y",
                term_start=date(2026, 1, 1),
                term_end=date(2025, 1, 1),
            )
