"""The district's register of R&D institutions: the list with search and
filters, scoped to a liaison's street; Excel export and import (all or
nothing, errors by row and Chinese header); create and edit through the
services; the list/create API; the menu entry."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import Enterprise, InstitutionType, RDInstitution
from enterprises.services import (
    CooperationImportError,
    rd_institution_record,
    rd_institutions_import,
)
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.test_cooperation import workbook

HEADERS = [
    "研发机构名称",
    "类型",
    "级别",
    "依托单位信用代码或全称",
    "认定日期",
    "认定文件",
]


class RDInstitutionCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.university = EnterpriseFactory(
            name="浙江运河职业技术学院",
            kind=Enterprise.Kind.UNIVERSITY,
            org_unit=cls.street_b,
        )
        cls.centre = InstitutionType.objects.get(code="rd_centre")
        cls.lab = InstitutionType.objects.get(code="key_lab")
        cls.mine = rd_institution_record(
            enterprise=cls.enterprise_a,
            by=cls.officer,
            name="甲企业研发中心",
            type=cls.centre,
            level="municipal",
            recognised_on=date(2024, 5, 1),
        )
        cls.theirs = rd_institution_record(
            enterprise=cls.university,
            by=cls.officer,
            name="智能装备重点实验室",
            type=cls.lab,
            level="provincial",
            recognised_on=date(2025, 11, 20),
        )


class RDInstitutionPageTests(RDInstitutionCase):
    def test_staff_search_and_filter_the_register(self) -> None:
        self.client.force_login(self.officer)
        everything = self.client.get("/rd-institutions/")
        self.assertEqual(everything.status_code, 200)
        self.assertEqual(
            [i.pk for i in everything.context["page"]], [self.theirs.pk, self.mine.pk]
        )
        for query, expected in (
            ("q=运河职业", [self.theirs.pk]),
            (f"q={self.enterprise_a.credit_code}", [self.mine.pk]),
            ("level=municipal", [self.mine.pk]),
            ("type=key_lab", [self.theirs.pk]),
            ("org_unit=330105001", [self.mine.pk]),
            ("year=2025", [self.theirs.pk]),
        ):
            with self.subTest(query):
                page = self.client.get(f"/rd-institutions/?{query}").context["page"]
                self.assertEqual([i.pk for i in page], expected)
        self.assertContains(everything, 'href="/rd-institutions/new/"')
        self.assertContains(everything, 'href="/rd-institutions/import/"')

    def test_a_liaison_sees_their_streets_institutions_and_no_write_links(
        self,
    ) -> None:
        self.client.force_login(self.liaison)
        page = self.client.get("/rd-institutions/")
        self.assertEqual([i.pk for i in page.context["page"]], [self.mine.pk])
        self.assertNotContains(page, "智能装备重点实验室")
        self.assertNotContains(page, 'href="/rd-institutions/new/"')
        self.assertNotContains(page, 'href="/rd-institutions/import/"')
        self.assertNotContains(page, f"/rd-institutions/{self.mine.pk}/edit/")
        self.assertEqual(
            self.client.get(f"/rd-institutions/{self.theirs.pk}/edit/").status_code,
            404,
        )
        self.assertEqual(
            self.client.get(f"/rd-institutions/{self.mine.pk}/edit/").status_code, 403
        )
        self.assertEqual(self.client.get("/rd-institutions/new/").status_code, 403)
        self.assertEqual(self.client.get("/rd-institutions/import/").status_code, 403)

    def test_roles_without_the_register_get_403(self) -> None:
        for user in (self.ent_user, self.expert):
            self.client.force_login(user)
            with self.subTest(user.username):
                self.assertEqual(self.client.get("/rd-institutions/").status_code, 403)
                self.assertEqual(
                    self.client.get("/api/v1/rd-institutions/").status_code, 403
                )

    def test_the_export_is_the_filtered_list(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/rd-institutions/?export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[0][:6], HEADERS)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][0], "甲企业研发中心")
        self.assertEqual(rows[1][3], self.enterprise_a.credit_code)
        self.assertEqual(rows[1][7], "米市巷街道")

    def test_staff_create_and_edit_through_the_services(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/rd-institutions/new/",
            {
                "name": "运河学院新型研发机构",
                "type": InstitutionType.objects.get(code="new_rd").pk,
                "level": "district",
                "enterprise": self.university.pk,
                "recognised_on": "2026-01-15",
            },
        )
        self.assertRedirects(response, "/rd-institutions/")
        created = RDInstitution.objects.get(name="运河学院新型研发机构")
        self.assertEqual(created.enterprise, self.university)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="rd_institution.record", object_id=str(created.pk)
            ).exists()
        )
        response = self.client.post(
            f"/rd-institutions/{created.pk}/edit/",
            {
                "name": "运河学院新型研发机构",
                "type": InstitutionType.objects.get(code="new_rd").pk,
                "level": "municipal",
                "enterprise": self.university.pk,
                "recognised_on": "2026-01-15",
                "source_document": "杭科〔2026〕3号",
            },
        )
        self.assertRedirects(response, "/rd-institutions/")
        created.refresh_from_db()
        self.assertEqual(
            (created.level, created.source_document), ("municipal", "杭科〔2026〕3号")
        )
        event = AuditEvent.objects.get(action="rd_institution.update")
        self.assertEqual(event.changes["level"], ["district", "municipal"])

    def test_a_missing_field_is_shown_beside_it(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/rd-institutions/new/",
            {"name": "缺类型", "enterprise": self.university.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertFalse(RDInstitution.objects.filter(name="缺类型").exists())

    def test_the_menu_offers_the_register_beside_carriers(self) -> None:
        self.client.force_login(self.liaison)
        home = self.client.get("/rd-institutions/")
        items = [
            item.url for group in home.context["nav_groups"] for item in group.items
        ]
        self.assertIn("/rd-institutions/", items)
        self.assertEqual(
            items.index("/rd-institutions/"), items.index("/carriers/") + 1
        )
        self.client.force_login(self.ent_user)
        home = self.client.get("/")
        self.assertNotIn(
            "/rd-institutions/",
            [item.url for group in home.context["nav_groups"] for item in group.items],
        )


class RDInstitutionApiTests(RDInstitutionCase):
    def test_the_list_is_scoped_and_filtered(self) -> None:
        self.client.force_login(self.officer)
        body = self.client.get("/api/v1/rd-institutions/").json()
        self.assertEqual(body["count"], 2)
        first = body["results"][0]
        self.assertEqual(first["host"], self.university.pk)
        self.assertEqual(first["host_name"], "浙江运河职业技术学院")
        self.assertEqual(first["kind"], "key_lab")
        self.assertEqual(first["org_unit"], "330105002")
        one = self.client.get("/api/v1/rd-institutions/?kind=rd_centre").json()
        self.assertEqual([r["id"] for r in one["results"]], [self.mine.pk])
        self.client.force_login(self.liaison)
        body = self.client.get("/api/v1/rd-institutions/").json()
        self.assertEqual([r["id"] for r in body["results"]], [self.mine.pk])

    def test_staff_create_one_audited_and_a_liaison_may_not(self) -> None:
        payload = {
            "name": "运河学院联合实验室",
            "kind": "joint_lab",
            "level": "district",
            "recognised_on": "2025-06-01",
            "host": self.university.pk,
        }
        self.client.force_login(self.liaison)
        self.assertEqual(
            self.post_json("/api/v1/rd-institutions/", payload).status_code, 403
        )
        self.client.force_login(self.officer)
        answer = self.post_json("/api/v1/rd-institutions/", payload)
        self.assertEqual(answer.status_code, 201, answer.content)
        created = RDInstitution.objects.get(pk=answer.json()["id"])
        self.assertEqual(created.enterprise, self.university)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="rd_institution.record", object_id=str(created.pk)
            ).exists()
        )
        bad = self.post_json("/api/v1/rd-institutions/", {**payload, "kind": "nope"})
        self.assertEqual(bad.status_code, 400)


class RDInstitutionImportTests(RDInstitutionCase):
    def test_every_bad_cell_is_named_and_nothing_is_written(self) -> None:
        file = workbook(
            HEADERS,
            {
                "研发机构名称": "新机构",
                "类型": "企业研究院",
                "级别": "省级",
                "依托单位信用代码或全称": self.enterprise_a.credit_code,
                "认定日期": "2025-12-01",
            },
            {
                "研发机构名称": "乙机构",
                "类型": "不存在的类型",
                "级别": "乡级",
                "依托单位信用代码或全称": "没有这家单位",
                "认定日期": "2025-13-01",
            },
            {"研发机构名称": "丙机构"},
        )
        with self.assertRaises(CooperationImportError) as raised:
            rd_institutions_import(file=file, by=self.officer)
        self.assertEqual(
            {(e.row, e.column) for e in raised.exception.errors},
            {
                (3, "类型"),
                (3, "级别"),
                (3, "依托单位信用代码或全称"),
                (3, "认定日期"),
                (4, "类型"),
                (4, "级别"),
                (4, "依托单位信用代码或全称"),
                (4, "认定日期"),
            },
        )
        self.assertFalse(RDInstitution.objects.filter(name="新机构").exists())

    def test_it_creates_by_code_or_name_and_updates_the_same_host_and_name(
        self,
    ) -> None:
        file = workbook(
            HEADERS,
            {
                "研发机构名称": "甲企业研发中心",
                "类型": "企业研发中心",
                "级别": "省",
                "依托单位信用代码或全称": self.enterprise_a.credit_code,
                "认定日期": "2024-05-01",
                "认定文件": "浙科发〔2024〕8号",
            },
            {
                "研发机构名称": "运河学院工程技术研究中心",
                "类型": "eng_centre",
                "级别": "市级",
                "依托单位信用代码或全称": "浙江运河职业技术学院",
                "认定日期": date(2025, 3, 1),
            },
        )
        result = rd_institutions_import(file=file, by=self.officer)
        self.assertEqual((result.created, result.updated), (1, 1))
        self.mine.refresh_from_db()
        self.assertEqual(
            (self.mine.level, self.mine.source_document),
            ("provincial", "浙科发〔2024〕8号"),
        )
        created = RDInstitution.objects.get(name="运河学院工程技术研究中心")
        self.assertEqual(created.enterprise, self.university)
        self.assertTrue(AuditEvent.objects.filter(action="rd_institution.import"))

    def test_the_page_lists_errors_and_the_template_has_the_headers(self) -> None:
        self.client.force_login(self.officer)
        file = workbook(HEADERS, {"研发机构名称": "缺东西"})
        file.name = "rd.xlsx"  # type: ignore[attr-defined]
        response = self.client.post("/rd-institutions/import/", {"file": file})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "依托单位信用代码或全称")
        self.assertContains(response, "必须填写")
        template = self.client.get("/rd-institutions/import/template/")
        headers = [
            c.value
            for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]
        ]
        self.assertEqual(headers, HEADERS)


class NewPagesInChineseTests(RDInstitutionCase):
    """Every page this work added shows no English word or raw code."""

    def test_no_english_on_the_new_pages(self) -> None:
        from tests.browser import leaks, page_text

        pages = {
            self.officer: [
                "/rd-institutions/",
                "/rd-institutions/new/",
                f"/rd-institutions/{self.mine.pk}/edit/",
                "/rd-institutions/import/",
                "/carriers/",
                "/carriers/import/carriers/",
                "/events/science-bases/",
                "/events/science-bases/import/",
                "/calendar/",
                "/calendar/deadlines/import/",
            ],
            self.liaison: ["/rd-institutions/", "/carriers/", "/calendar/"],
        }
        for user, paths in pages.items():
            self.client.force_login(user)
            for path in paths:
                with self.subTest(user=user.username, path=path):
                    response = self.client.get(path)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(leaks(page_text(response.content.decode())), [])
        file = workbook(HEADERS, {"研发机构名称": "缺东西"})
        file.name = "rd.xlsx"  # type: ignore[attr-defined]
        self.client.force_login(self.officer)
        response = self.client.post("/rd-institutions/import/", {"file": file})
        self.assertEqual(leaks(page_text(response.content.decode())), [])
