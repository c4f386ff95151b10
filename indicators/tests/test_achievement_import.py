"""The achievements' Excel import: all or nothing with every bad cell named
by row and Chinese header, the same file twice changes nothing, the
template downloads and imports, and only the ledgers' managers reach it."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.tests.factories import EnterpriseFactory
from indicators.exports.ledgers import achievements_template
from indicators.ledger_imports import ACHIEVEMENT_COLUMNS
from indicators.models import Achievement, TechContract
from indicators.services import (
    LedgerImportError,
    achievement_save,
    achievements_import,
    tech_contract_create,
)

IMPORT_URL = "/indicators/achievements/import/"
TEMPLATE_URL = "/indicators/achievements/template/"


def book(*rows: Sequence[Any], header: Sequence[str] | None = None) -> Any:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header or [c.header for c in ACHIEVEMENT_COLUMNS]))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("科技成果.xlsx", buffer.getvalue())


def row(title: str, **changes: Any) -> list[Any]:
    """A row of the template; `changes` by column key."""
    values = {
        "title": title,
        "owner_name": "",
        "owner_credit_code": "",
        "field": "新材料",
        "stage": "中试",
        "way": "合作实施",
        "contracts": "",
        "new_output_value": 500,
        "jobs": 12,
        "patents": 3,
        "started_on": "2025-03-01",
        "pilot_on": "2025-09-15",
        "industrialised_on": "",
        "note": "",
    } | changes
    return [values[c.key] for c in ACHIEVEMENT_COLUMNS]


def main_text(html: str) -> str:
    """The visible text of the page's <main>."""
    main = re.search(r"(?s)<main.*?</main>", html)
    assert main is not None
    body = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", main.group(0))
    return re.sub(r"&[a-z#0-9]+;", " ", re.sub(r"<[^>]+>", " ", body))


def english_words(text: str) -> set[str]:
    """Latin words in `text`, the file format's names (Excel, .xlsx) aside."""
    return set(re.findall(r"[A-Za-z]{2,}", text)) - {"Excel", "xlsx"}


class AchievementImportTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for number in ("C1", "C2", "C3"):
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

    def run_import(self, *rows: Sequence[Any]) -> Any:
        with self.captureOnCommitCallbacks(execute=True):
            return achievements_import(file=book(*rows), by=self.officer)

    def test_it_imports_owners_by_credit_code_or_name_stages_and_contracts(
        self,
    ) -> None:
        result = self.run_import(
            row(
                "氮化铝陶瓷基板制备技术",
                owner_credit_code=self.enterprise_a.credit_code,
                owner_name="曾用名有限公司",
                contracts="C1、C2",
            ),
            row(
                "柔性传感器封装工艺",
                owner_name=self.enterprise_b.name,
                stage="已产业化",
                way="作价入股",
                industrialised_on="2025-11-30",
                contracts="C3",
                new_output_value="12.5",
            ),
            row(
                "生物基可降解材料",
                owner_name=self.enterprise_b.name,
                stage="待转化",
                way="",
                field="",
                new_output_value="",
                jobs="",
                patents="",
                started_on="",
                pilot_on="",
            ),
        )
        self.assertEqual((result.created, result.updated, result.unchanged), (3, 0, 0))
        first = Achievement.objects.get(title="氮化铝陶瓷基板制备技术")
        self.assertEqual(first.owner, self.enterprise_a)
        self.assertEqual(
            (first.stage, first.way, first.field),
            (Achievement.Stage.PILOT, Achievement.Way.JOINT, "新材料"),
        )
        self.assertEqual(first.new_output_value, Decimal("5000000.00"))
        self.assertEqual((first.jobs, first.patents), (12, 3))
        self.assertEqual(first.pilot_on.isoformat(), "2025-09-15")
        self.assertEqual(
            sorted(c.registration_number for c in first.contracts.all()), ["C1", "C2"]
        )
        self.assertEqual(first.created_by, self.officer)
        second = Achievement.objects.get(title="柔性传感器封装工艺")
        self.assertEqual(
            (second.owner, second.stage, second.way),
            (self.enterprise_b, "industrialised", "equity"),
        )
        self.assertEqual(second.new_output_value, Decimal("125000.00"))
        third = Achievement.objects.get(title="生物基可降解材料")
        self.assertEqual(
            (third.stage, third.way, third.new_output_value, third.jobs),
            ("waiting", "", None, None),
        )
        events = AuditEvent.objects.filter(action="achievement.create")
        self.assertEqual(events.count(), 3)
        event = events.get(object_id=str(first.pk))
        self.assertEqual(event.actor, self.officer)
        self.assertEqual(event.changes["contracts"], [None, "C1、C2"])
        self.assertEqual(event.message, "表格批量导入（第2行）")

    def test_it_refuses_the_whole_file_naming_each_bad_cell(self) -> None:
        events = AuditEvent.objects.count()
        a = self.enterprise_a.name
        with self.assertRaises(LedgerImportError) as caught:
            self.run_import(
                row("好的一行", owner_name=a),  # row 2: fine
                row("阶段不对", owner_name=a, stage="孵化"),  # 3
                row("单位不在名录", owner_name="不存在的公司"),  # 4
                row("代码不对", owner_credit_code="12345"),  # 5
                row("合同不存在", owner_name=a, contracts="C1 NOPE"),  # 6
                row("缺产业化日期", owner_name=a, stage="已产业化"),  # 7
                row("就业为负", owner_name=a, jobs=-3),  # 8
                row("好的一行", owner_name=a),  # 9: same as row 2
                row("", owner_name=a),  # 10: no title
                row("无单位"),  # 11: neither name nor code
                row("金额不对", owner_name=a, new_output_value="很多"),  # 12
                row("日期不对", owner_name=a, started_on="2025-02-30"),  # 13
            )
        found = {(e.row, e.column) for e in caught.exception.errors}
        self.assertEqual(
            found,
            {
                (3, "转化阶段"),
                (4, "成果所有单位名称"),
                (5, "成果所有单位统一社会信用代码"),
                (6, "关联技术合同登记号"),
                (7, "产业化日期"),
                (8, "新增就业（人）"),
                (9, "成果名称"),
                (10, "成果名称"),
                (11, "成果所有单位名称"),
                (12, "新增产值（万元）"),
                (13, "开始转化日期"),
            },
        )
        messages = {(e.row, e.column): e.message for e in caught.exception.errors}
        self.assertIn("NOPE", messages[(6, "关联技术合同登记号")])
        self.assertNotIn("C1", messages[(6, "关联技术合同登记号")])
        self.assertIn("第2行", messages[(9, "成果名称")])
        self.assertIn("孵化", messages[(3, "转化阶段")])
        self.assertFalse(Achievement.objects.exists())
        self.assertEqual(AuditEvent.objects.count(), events)

    def test_a_missing_required_column_refuses_the_file(self) -> None:
        with self.assertRaises(LedgerImportError) as caught:
            achievements_import(
                file=book(["成果"], header=["成果名称"]), by=self.officer
            )
        self.assertIn("转化阶段", {e.column for e in caught.exception.errors})
        self.assertFalse(Achievement.objects.exists())

    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        rows = (
            row("成果一", owner_name=self.enterprise_a.name, contracts="C1,C2"),
            row("成果二", owner_credit_code=self.enterprise_b.credit_code),
        )
        self.run_import(*rows)
        events = AuditEvent.objects.count()
        again = self.run_import(*rows)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 2))
        self.assertEqual(Achievement.objects.count(), 2)
        # Only the import's own summary event.
        self.assertEqual(AuditEvent.objects.count(), events + 1)
        summary = AuditEvent.objects.filter(action="achievement.import").latest("id")
        self.assertEqual(summary.message, "新增0条，更新0条，未变2条")

    def test_a_changed_row_updates_the_stored_achievement(self) -> None:
        self.run_import(
            row("成果一", owner_name=self.enterprise_a.name, contracts="C1 C2")
        )
        stored = Achievement.objects.get()
        result = self.run_import(
            row(
                "成果一",
                # the same owner, now by its credit code
                owner_credit_code=self.enterprise_a.credit_code,
                stage="已产业化",
                industrialised_on="2025-12-01",
                contracts="C3",
                jobs=20,
            )
        )
        self.assertEqual((result.created, result.updated), (0, 1))
        achievement = Achievement.objects.get()
        self.assertEqual(achievement.pk, stored.pk)
        self.assertEqual((achievement.stage, achievement.jobs), ("industrialised", 20))
        self.assertEqual(
            [c.registration_number for c in achievement.contracts.all()], ["C3"]
        )
        event = AuditEvent.objects.get(action="achievement.update")
        self.assertEqual(event.changes["contracts"], ["C1、C2", "C3"])
        self.assertEqual(event.changes["jobs"], [12, 20])

    def test_an_achievement_recorded_on_the_page_is_updated_not_doubled(self) -> None:
        achievement_save(
            achievement=Achievement(),
            by=self.officer,
            title="成果一",
            owner=self.enterprise_a,
            stage=Achievement.Stage.TRANSFERRING,
        )
        result = self.run_import(row("成果一", owner_name=self.enterprise_a.name))
        self.assertEqual((result.created, result.updated), (0, 1))
        self.assertEqual(Achievement.objects.get().stage, "pilot")
        # Another owner's achievement of the same name is another achievement.
        result = self.run_import(row("成果一", owner_name=self.enterprise_b.name))
        self.assertEqual(result.created, 1)
        self.assertEqual(Achievement.objects.count(), 2)

    def test_two_stored_achievements_of_one_name_are_not_guessed_between(
        self,
    ) -> None:
        for _n in range(2):
            achievement_save(
                achievement=Achievement(),
                by=self.officer,
                title="成果一",
                owner=self.enterprise_a,
                stage=Achievement.Stage.WAITING,
            )
        with self.assertRaises(LedgerImportError) as caught:
            self.run_import(row("成果一", owner_name=self.enterprise_a.name))
        (error,) = caught.exception.errors
        self.assertEqual((error.row, error.column), (2, "成果名称"))
        self.assertFalse(Achievement.objects.filter(stage="pilot").exists())


class AchievementImportPageTests(CastTestCase):
    def test_staff_import_a_file_and_return_to_the_list(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            IMPORT_URL,
            {"file": book(row("成果一", owner_name=self.enterprise_a.name))},
            follow=True,
        )
        self.assertRedirects(response, "/indicators/achievements/")
        self.assertContains(response, "科技成果已导入：新增1条，更新0条，未变0条。")
        self.assertContains(response, "成果一")

    def test_a_bad_file_lists_row_and_column_in_chinese(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            IMPORT_URL,
            {
                "file": book(
                    row("成果一", owner_name=self.enterprise_a.name, stage="孵化")
                )
            },
        )
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn("<td>2</td><td>转化阶段</td>", html)
        self.assertIn("发现1处问题，未导入任何数据", main_text(html).replace(" ", ""))
        self.assertEqual(english_words(main_text(html)), set())
        self.assertFalse(Achievement.objects.exists())

    def test_the_page_speaks_only_chinese(self) -> None:
        self.client.force_login(self.head)
        response = self.client.get(IMPORT_URL)
        self.assertEqual(response.status_code, 200)
        text = main_text(response.content.decode())
        self.assertIn("导入科技成果", text)
        self.assertIn("下载模板", text)
        self.assertEqual(english_words(text), set())

    def test_the_template_has_chinese_headers_and_an_example_that_imports(
        self,
    ) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(TEMPLATE_URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn("achievements-template.xlsx", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header, example = list(sheet.values)[:2]
        self.assertEqual(list(header), [c.header for c in ACHIEVEMENT_COLUMNS])
        self.assertEqual(header[0], "成果名称")
        self.assertEqual(example[4], "中试")
        # The example row imports once its owner and contract exist.
        EnterpriseFactory(name="杭州示例新材料有限公司", org_unit=self.street_a)
        tech_contract_create(
            by=self.officer,
            registration_number="2025330105000123",
            name="技术开发",
            kind="development",
            seller_name="杭州示例新材料有限公司",
            buyer_name="外地公司",
            contract_amount=Decimal(100000),
            transaction_amount=Decimal(100000),
            registered_on="2025-04-01",
        )
        result = achievements_import(
            file=SimpleUploadedFile("t.xlsx", achievements_template()), by=self.officer
        )
        self.assertEqual(result.created, 1)
        achievement = Achievement.objects.get()
        self.assertEqual(
            [c.registration_number for c in achievement.contracts.all()],
            ["2025330105000123"],
        )
        self.assertTrue(TechContract.objects.exists())

    def test_roles_that_may_not_manage_the_register_get_403(self) -> None:
        for user in (self.leader, self.liaison, self.auditor, self.admin):
            self.client.force_login(user)
            for url in (IMPORT_URL, TEMPLATE_URL):
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            response = self.client.post(
                IMPORT_URL, {"file": book(row("成果", owner_name="x"))}
            )
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Achievement.objects.exists())

    def test_enterprise_users_get_403_like_on_the_register(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/indicators/achievements/").status_code, 403)
        for url in (IMPORT_URL, TEMPLATE_URL):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get(IMPORT_URL)
        self.assertRedirects(
            response, f"/login/?next={IMPORT_URL}", fetch_redirect_response=False
        )

    def test_the_list_links_to_the_import_only_for_managers(self) -> None:
        for user, shown in (
            (self.officer, True),
            (self.head, True),
            (self.leader, False),
            (self.liaison, False),
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get("/indicators/achievements/")
                self.assertEqual(response.status_code, 200)
                if shown:
                    self.assertContains(response, f'href="{IMPORT_URL}"')
                else:
                    self.assertNotContains(response, IMPORT_URL)
