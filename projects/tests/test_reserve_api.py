"""The reserve (储备库) through the API (/api/v1/higher-level-projects/
reserve/) and its Excel export: list with the page's filters, add, read,
change, promote and drop through the audited services; scoped like the page
(a liaison reads their street, out of scope is 404, a role never allowed is
403, a project that left the reserve is 409)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from bureau.models import AuditEvent
from bureau.tests.agreement import PageApiAgreement, Route, api_ids, context_ids
from enterprises.tests.factories import EnterpriseFactory
from projects.models import Application, ReserveProject
from projects.services.upward import reserve_save
from projects.tests.factories import make_call, make_programme
from projects.tests.test_upward import TODAY, UpwardTestCase

URL = "/api/v1/higher-level-projects/reserve/"


class ReserveApiTestCase(UpwardTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.firm_a = EnterpriseFactory(
            org_unit=cls.street_a, name="杭州氢能科技有限公司"
        )
        cls.firm_b = EnterpriseFactory(
            org_unit=cls.street_b, name="杭州储能科技有限公司"
        )
        cls.mine = cls.add(cls.firm_a, "氢燃料电池双极板", level="provincial")
        cls.theirs = cls.add(cls.firm_b, "储能电站预警系统", level="national", year=2)

    @classmethod
    def add(
        cls, enterprise: Any, title: str, *, level: str, year: int = 1
    ) -> ReserveProject:
        return reserve_save(
            by=cls.officer,
            reserve=ReserveProject(
                enterprise=enterprise,
                title=title,
                summary="精密加工与检测",
                target_level=level,
                target_programme=cls.province if level == "provincial" else None,
                expected_year=TODAY.year + year,
                planned_amount=Decimal("300000"),
            ),
        )

    def body(self, **changes: Any) -> dict[str, Any]:
        return {
            "enterprise": self.firm_a.pk,
            "title": "固态电解质中试",
            "summary": "中试线建设",
            "target_level": "provincial",
            "target_programme": self.province.pk,
            "expected_year": TODAY.year + 1,
            "planned_amount": "500000.00",
            **changes,
        }


class ListTests(ReserveApiTestCase):
    def ids(self, query: str = "") -> list[int]:
        response = self.client.get(URL + query)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def test_filters_match_the_page(self) -> None:
        self.client.force_login(self.leader)
        self.assertEqual(set(self.ids()), {self.mine.pk, self.theirs.pk})
        self.assertEqual(self.ids("?q=储能"), [self.theirs.pk])
        self.assertEqual(self.ids("?level=provincial"), [self.mine.pk])
        self.assertEqual(self.ids(f"?year={TODAY.year + 2}"), [self.theirs.pk])
        self.assertEqual(self.ids("?status=dropped"), [])
        self.assertEqual(self.client.get(URL + "?level=district").status_code, 400)
        row = self.client.get(URL + "?q=氢燃料").json()["results"][0]
        self.assertEqual(row["planned_amount"], "300000.00")
        self.assertEqual(row["enterprise_name"], "杭州氢能科技有限公司")
        self.assertEqual(row["target_programme_name"], "省重点研发计划")
        self.assertEqual(row["status"], "reserve")
        self.assertIsNone(row["application"])

    def test_liaison_sees_their_street_and_enterprise_user_is_refused(self) -> None:
        self.client.force_login(self.liaison)
        self.assertEqual(self.ids(), [self.mine.pk])
        self.assertEqual(self.client.get(f"{URL}{self.mine.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"{URL}{self.theirs.pk}/").status_code, 404)
        # A reader may not write: 404 out of scope first, then 403.
        self.assertEqual(
            self.post_json(f"{URL}{self.theirs.pk}/drop/").status_code, 404
        )
        self.assertEqual(self.post_json(f"{URL}{self.mine.pk}/drop/").status_code, 403)
        self.assertEqual(
            self.patch_json(f"{URL}{self.mine.pk}/", {"title": "x"}).status_code, 403
        )
        self.assertEqual(self.post_json(URL, self.body()).status_code, 403)
        for user in (self.ent_user, self.expert):
            self.client.force_login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)
            self.assertEqual(self.client.get(f"{URL}{self.mine.pk}/").status_code, 403)
            self.assertEqual(
                self.post_json(f"{URL}{self.mine.pk}/drop/").status_code, 403
            )


class WriteTests(ReserveApiTestCase):
    def test_create_is_audited(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(URL, self.body())
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual(data["planned_amount"], "500000.00")
        self.assertEqual(data["org_unit"], self.street_a.pk)
        reserve = ReserveProject.objects.get(pk=data["id"])
        self.assertEqual(reserve.created_by, self.officer)
        event = AuditEvent.objects.get(action="reserve.create", object_id=reserve.pk)
        self.assertEqual(event.actor, self.officer)

    def test_programme_of_another_level_and_bad_input_are_400(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(URL, self.body(target_level="national"))
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("target_programme", response.json()["errors"])
        response = self.post_json(
            URL, self.body(target_level="district", target_programme=None)
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["errors"]["target_level"],
            ["请选择区级以上的级别（市级、省级或国家级）。"],
        )
        response = self.post_json(URL, self.body(planned_amount="0"))
        self.assertEqual(response.status_code, 400)
        response = self.post_json(URL, self.body(enterprise=999999))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ReserveProject.objects.filter(title="固态电解质中试").exists())

    def test_patch_changes_and_audits_then_409_once_dropped(self) -> None:
        self.client.force_login(self.head)
        url = f"{URL}{self.mine.pk}/"
        response = self.patch_json(url, {"planned_amount": "450000", "title": "双极板"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["planned_amount"], "450000.00")
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.title, "双极板")
        event = AuditEvent.objects.get(action="reserve.update", object_id=self.mine.pk)
        self.assertIn("planned_amount", event.changes)
        response = self.post_json(f"{url}drop/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "dropped")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="reserve.drop", object_id=self.mine.pk
            ).exists()
        )
        self.assertEqual(self.patch_json(url, {"title": "再改"}).status_code, 409)
        self.assertEqual(self.post_json(f"{url}drop/").status_code, 409)
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.title, "双极板")

    def test_promote_into_an_open_call_once(self) -> None:
        self.client.force_login(self.officer)
        url = f"{URL}{self.mine.pk}/promote/"
        response = self.post_json(url, {"call": self.call.pk})
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual(data["status"], "promoted")
        app = Application.objects.get(pk=data["application"])
        self.assertEqual(app.state, Application.State.DRAFT)
        self.assertEqual(app.enterprise, self.firm_a)
        self.assertEqual(app.requested_amount, Decimal("300000"))
        self.assertTrue(
            AuditEvent.objects.filter(
                action="reserve.promote", object_id=self.mine.pk
            ).exists()
        )
        response = self.post_json(url, {"call": self.call.pk})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "not_in_reserve")

    def test_promote_refuses_a_call_not_of_its_target(self) -> None:
        self.client.force_login(self.officer)
        national = make_call(
            self.officer,
            programme=make_programme(name="国家重点研发计划", level="national"),
            title="国家重点研发计划申报",
        )
        response = self.post_json(
            f"{URL}{self.mine.pk}/promote/", {"call": national.pk}
        )
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "call_not_open")
        response = self.post_json(f"{URL}{self.mine.pk}/promote/", {"call": 999999})
        self.assertEqual(response.status_code, 404)
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, ReserveProject.Status.RESERVE)


class ExportTests(ReserveApiTestCase):
    def test_export_lists_what_the_page_lists(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/projects/upward/reserve/?export=xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("编号", "项目名称", "企业"))
        self.assertEqual([r[0] for r in rows[1:]], [self.mine.pk])
        self.assertEqual(rows[1][4], "省级")
        self.assertEqual(rows[1][7], 30)
        self.assertEqual(rows[1][8], "储备中")
        self.client.force_login(self.officer)
        page = self.client.get("/projects/upward/reserve/?level=national")
        self.assertContains(page, "level=national&amp;export=xlsx")


class ReserveAgreementTests(PageApiAgreement, ReserveApiTestCase):
    """Every role gets the same answer (and rows) from the reserve page and
    the API's reserve list."""

    def routes(self) -> list[Route]:
        return [
            Route(
                "reserve list",
                "/projects/upward/reserve/",
                URL,
                context_ids("page"),
                api_ids,
            ),
            Route(
                "reserve list filtered",
                "/projects/upward/reserve/?level=national",
                URL + "?level=national",
                context_ids("page"),
                api_ids,
            ),
        ]
