"""The summary's sections issue 15's audit found missing: 督办任务 by owner,
achievements (成果转化/中试) beside the contracts, the reserve (储备库) beside
the projects won upward, and a "（暂无数据）" sentence where a year's data
are absent instead of nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bureau.models import Task
from bureau.selectors.task_summary import task_year_figures
from bureau.tests.base import CastTestCase
from indicators.models import Achievement
from indicators.tests.factories import value
from indicators.tests.test_summary_registers import section, summary_text
from projects.models import Application, ReserveProject
from projects.selectors.reserve import reserve_figures
from projects.tests.factories import make_application, make_call, make_programme

TZ = ZoneInfo("Asia/Shanghai")


class TaskFiguresTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        def task(kind: str, due: date, state: str, done: date | None = None, **kw):  # type: ignore[no-untyped-def]
            return Task.objects.create(
                title=f"任务{Task.objects.count() + 1}",
                received_on=kw.pop("received", date(2025, 2, 1)),
                owner_kind=kind,
                due_on=due,
                state=state,
                completed_at=(
                    datetime(done.year, done.month, done.day, 23, 30, tzinfo=TZ)
                    if done
                    else None
                ),
                created_by=cls.officer,
                **kw,
            )

        S, K = Task.State, Task.OwnerKind
        # On time (completed late in the evening of the due day, local time).
        task(
            K.SECTION,
            date(2025, 3, 31),
            S.DONE,
            date(2025, 3, 31),
            owner_section="高新科",
        )
        # Completed after the due date.
        task(
            K.STREET,
            date(2025, 6, 30),
            S.DONE,
            date(2025, 7, 5),
            owner_unit=cls.street_a,
        )
        # Not done and past due on 31 December.
        task(
            K.ENTERPRISE, date(2025, 11, 30), S.OPEN, owner_enterprise=cls.enterprise_a
        )
        # Not yet due on 31 December.
        task(K.STREET, date(2026, 1, 31), S.IN_PROGRESS, owner_unit=cls.street_b)
        # Done only in 2026: overdue as 2025 ended.
        task(
            K.SECTION,
            date(2025, 12, 20),
            S.DONE,
            date(2026, 1, 10),
            owner_section="综合科",
        )
        # Received in 2024: not the year's.
        task(
            K.SECTION,
            date(2025, 1, 31),
            S.OPEN,
            received=date(2024, 12, 1),
            owner_section="综合科",
        )

    def test_the_year_counted_by_owner_as_it_stood(self) -> None:
        figures = task_year_figures(year=2025, as_of=date(2025, 12, 31))
        self.assertEqual(
            figures["total"],
            {"tasks": 5, "done": 2, "on_time": 1, "late": 1, "overdue": 2, "open": 1},
        )
        self.assertEqual(list(figures["by_owner"]), ["section", "street", "enterprise"])
        self.assertEqual(figures["by_owner"]["section"]["on_time"], 1)
        self.assertEqual(figures["by_owner"]["section"]["overdue"], 1)
        self.assertEqual(figures["by_owner"]["street"]["late"], 1)
        self.assertEqual(figures["by_owner"]["street"]["open"], 1)
        self.assertEqual(figures["by_owner"]["enterprise"]["overdue"], 1)
        # A day later the 2026 completion counts as done, late.
        later = task_year_figures(year=2025, as_of=date(2026, 2, 1))
        self.assertEqual(later["total"]["done"], 3)
        self.assertEqual(later["total"]["late"], 2)
        self.assertEqual(later["total"]["overdue"], 2)  # the street's is due now

    def test_the_summary_has_a_task_section(self) -> None:
        tasks = section(summary_text(year=2025), "督办任务落实")
        self.assertIn(
            "2025年共接收督办任务5项，其中科室承办2项、街道（园区）承办2项、企业承办1项",
            tasks,
        )
        self.assertIn(
            "截至2025年12月31日，已完成2项（按期完成1项、超期完成1项），逾期未完成2项，正在办理1项",
            tasks,
        )
        self.assertIn("科室按期完成1项、逾期1项、在办0项", tasks)
        self.assertIn("街道（园区）按期完成0项、超期完成1项、逾期0项、在办1项", tasks)
        self.assertIn("企业按期完成0项、逾期1项、在办0项", tasks)


class AchievementAndReserveTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        A = Achievement.Stage
        for title, stage, started, pilot, done, output, jobs, patents in (
            (
                "新型电池隔膜",
                A.PILOT,
                date(2024, 5, 1),
                date(2025, 4, 1),
                None,
                "3000000",
                12,
                3,
            ),
            (
                "视觉检测算法",
                A.INDUSTRIALISED,
                date(2025, 1, 10),
                None,
                date(2025, 9, 1),
                "5000000",
                20,
                2,
            ),
            (
                "生物降解材料",
                A.TRANSFERRING,
                date(2025, 6, 1),
                None,
                None,
                None,
                None,
                1,
            ),
            ("智能传感器", A.WAITING, None, None, None, "999999999", 99, 99),
        ):
            Achievement.objects.create(
                title=title,
                owner=cls.enterprise_a,
                stage=stage,
                started_on=started,
                pilot_on=pilot,
                industrialised_on=done,
                new_output_value=Decimal(output) if output else None,
                jobs=jobs,
                patents=patents,
            )
        province = make_programme(name="省重点研发计划", level="provincial")
        call = make_call(cls.officer, programme=province, year=2025)
        application = make_application(call, cls.ent_user, title="储备转申报")
        Application.objects.filter(pk=application.pk).update(
            created_at=datetime(2025, 4, 1, 9, 0, tzinfo=TZ)
        )
        R = ReserveProject.Status
        for title, level, year, amount, status, app in (
            ("工业母机数控系统", "national", 2026, "5000000", R.RESERVE, None),
            ("高端传感芯片", "provincial", 2026, "2000000", R.RESERVE, None),
            ("绿色建材", "municipal", 2027, "500000", R.RESERVE, None),
            ("储备转申报", "provincial", 2025, "1000000", R.PROMOTED, application),
            ("放弃项目", "municipal", 2025, "300000", R.DROPPED, None),
        ):
            ReserveProject.objects.create(
                enterprise=cls.enterprise_a,
                title=title,
                summary="—",
                target_level=level,
                expected_year=year,
                planned_amount=Decimal(amount),
                status=status,
                application=app,
                created_by=cls.officer,
            )
        ReserveProject.objects.update(created_at=datetime(2025, 3, 1, 9, 0, tzinfo=TZ))

    def test_reserve_figures(self) -> None:
        figures = reserve_figures(2025)
        self.assertEqual(figures["in_reserve"], 3)
        self.assertEqual(
            figures["by_level"], {"national": 1, "provincial": 1, "municipal": 1}
        )
        self.assertEqual(figures["planned_amount"], Decimal("7500000"))
        self.assertEqual(figures["for_next_year"], 2)
        self.assertEqual(figures["promoted"], 1)
        self.assertEqual(figures["added"], 5)
        self.assertEqual(reserve_figures(2024)["promoted"], 0)

    def test_the_summary_prints_achievements_and_the_reserve(self) -> None:
        text = summary_text(year=2025)
        contracts = section(text, "技术市场与成果转化")
        self.assertIn(
            "在库科技成果4项（待转化1项、转化中1项、中试1项、已产业化1项）", contracts
        )
        self.assertIn("2025年全年启动转化2项、进入中试1项、实现产业化1项", contracts)
        # Outputs of the achievements past the waiting stage only.
        self.assertIn("累计新增产值800万元、带动就业32人、形成专利6件", contracts)
        upward = section(text, "向上争取科技项目")
        self.assertIn(
            "目前在库储备项目3项（拟申报国家级1项、省级1项、市级1项），"
            "拟申请上级资金750万元，其中拟于2026年申报2项",
            upward,
        )
        self.assertIn("2025年新入库5项，转为正式申报1项", upward)


class AbsentDataTests(CastTestCase):
    """A year without the data prints a sentence saying so, not nothing."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from enterprises.models import Carrier, CarrierType

        kind = CarrierType.objects.filter(name="众创空间").first() or (
            CarrierType.objects.create(code="maker_test", name="众创空间")
        )
        Carrier.objects.create(
            name="运河创客空间",
            type=kind,
            level="municipal",
            org_unit=cls.street_a,
            recognised_on=date(2024, 7, 1),
        )
        # Only our district has a value: no rank among one.
        value("rd_spending", cls.district, 2025, "12000")

    def test_every_new_sentence_says_no_data(self) -> None:
        text = summary_text(year=2025)
        self.assertIn(
            "2025年度督办任务（截至2025年12月31日）（暂无数据）",
            section(text, "督办任务落实"),
        )
        self.assertIn(
            "科技成果转化和中试项目（2025年全年）（暂无数据）",
            section(text, "技术市场与成果转化"),
        )
        self.assertIn(
            "向上申报项目储备库（暂无数据）", section(text, "向上争取科技项目")
        )
        carriers = section(text, "创新平台载体建设")
        self.assertIn("全区现有各类创新载体1家（众创空间1家）", carriers)
        self.assertIn("2025年度载体在孵、毕业企业等运营数据（暂无数据）", carriers)
        first = section(text, "科技指标完成情况")
        self.assertIn("全区R&D经费支出1.2亿元（截至2025年12月）", first)
        self.assertNotIn("全市1个区县", text)
