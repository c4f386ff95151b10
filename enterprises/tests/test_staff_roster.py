"""The staff roster import, its figures, pages and API; the 规上 proposals."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import override_settings
from django.utils import timezone
from openpyxl import Workbook

from bureau.lib import pii
from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.exports import STAFF_COLUMNS, STAFF_SHEET
from enterprises.models import AnnualReturn, Enterprise, RosterPerson, StaffRoster
from enterprises.selectors.staff import enterprise_roster_figures
from enterprises.services.staff import StaffRosterImportError, staff_roster_import

HEADERS = [h for h, _f, _r, _w in STAFF_COLUMNS]
YEAR = timezone.localdate().year - 1
ID_1 = "11010519491231002X"
ID_2 = "110105199001011232"


def staff_file(*rows: dict[str, Any], headers: list[str] = HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = STAFF_SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def row(name: str, **kw: Any) -> dict[str, Any]:
    values = {
        "姓名": name,
        "用工类型": "在职",
        "是否科技人员": "否",
        "是否研发人员": "否",
    }
    values.update(kw)
    return values


ROSTER = (
    row("张伟", 身份证号码=ID_1, 是否科技人员="是", 是否研发人员="是", 学历="硕士"),
    row("李娜", 身份证号码=ID_2, 是否科技人员="是"),
    row("王芳"),
    row("赵强", 用工类型="兼职", 是否科技人员="是", 全年工作天数=190, 全年工作月数=6),
    row(
        "陈静", 用工类型="临时聘用", 是否科技人员="是", 全年工作天数=150, 全年工作月数=6
    ),
)


class StaffRosterImportTests(CastTestCase):
    def test_it_imports_encrypted_and_gives_both_tiers_figures(self) -> None:
        result = staff_roster_import(
            enterprise=self.enterprise_a,
            year=YEAR,
            file=staff_file(*ROSTER),
            by=self.ent_user,
        )
        self.assertEqual((result.people, result.replaced), (5, 0))
        person = RosterPerson.objects.get(id_number_hash=pii.keyed_hash(ID_1))
        self.assertEqual((person.name, person.education), ("张伟", "master"))
        self.assertEqual(person.id_number_masked, "110105********002X")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, id_number FROM enterprises_rosterperson WHERE id = %s",
                [person.pk],
            )
            stored = cursor.fetchone()
        self.assertTrue(all(v.startswith("sm4gcm:") for v in stored))
        [(roster, figures)] = enterprise_roster_figures(self.enterprise_a)
        self.assertEqual((figures.hnte_staff_total, figures.hnte_tech_staff), (4, 3))
        self.assertEqual((figures.sme_staff_total, figures.sme_tech_staff), (5, 4))
        self.assertTrue(
            AuditEvent.objects.filter(action="staff_roster.import").exists()
        )

    def test_importing_a_year_again_replaces_it(self) -> None:
        staff_roster_import(
            enterprise=self.enterprise_a,
            year=YEAR,
            file=staff_file(*ROSTER),
            by=self.officer,
        )
        again = staff_roster_import(
            enterprise=self.enterprise_a,
            year=YEAR,
            file=staff_file(row("张伟")),
            by=self.officer,
        )
        self.assertEqual((again.people, again.replaced), (1, 5))
        self.assertEqual(StaffRoster.objects.count(), 1)
        self.assertEqual(RosterPerson.objects.count(), 1)

    def test_it_reports_every_bad_cell_and_stores_nothing(self) -> None:
        with self.assertRaises(StaffRosterImportError) as caught:
            staff_roster_import(
                enterprise=self.enterprise_a,
                year=YEAR,
                file=staff_file(
                    row("甲", 身份证号码="110105199001011234"),
                    row("乙", 用工类型="外包", 是否科技人员="也许"),
                    row(None),
                    row("丁", 入职日期=f"{YEAR}-06-01", 离职日期=f"{YEAR}-05-01"),
                    row("戊", 身份证号码=ID_1),
                    row("己", 身份证号码=ID_1, 全年工作月数=13),
                ),
                by=self.officer,
            )
        self.assertEqual(
            [(e.row, e.column) for e in caught.exception.errors],
            [
                (2, "身份证号码"),
                (3, "用工类型"),
                (3, "是否科技人员"),
                (4, "姓名"),
                (5, "离职日期"),
                (7, "全年工作月数"),
            ],
        )
        self.assertIn("校验码错误", caught.exception.errors[0].message)
        self.assertFalse(StaffRoster.objects.exists())

    def test_a_repeated_id_number_is_refused_on_the_later_row(self) -> None:
        with self.assertRaises(StaffRosterImportError) as caught:
            staff_roster_import(
                enterprise=self.enterprise_a,
                year=YEAR,
                file=staff_file(row("甲", 身份证号码=ID_1), row("乙", 身份证号码=ID_1)),
                by=self.officer,
            )
        error = caught.exception.errors[0]
        self.assertEqual((error.row, error.message), (3, "与第2行的证件号码重复。"))

    def test_the_current_year_cannot_be_imported(self) -> None:
        with self.assertRaises(StaffRosterImportError):
            staff_roster_import(
                enterprise=self.enterprise_a,
                year=YEAR + 1,
                file=staff_file(row("甲")),
                by=self.officer,
            )


class StaffRosterPageTests(CastTestCase):
    def test_the_enterprise_imports_and_sees_its_people(self) -> None:
        self.client.force_login(self.ent_user)
        url = f"/enterprises/{self.enterprise_a.pk}/staff/"
        upload = staff_file(*ROSTER)
        upload.name = "roster.xlsx"
        response = self.client.post(url, {"year": YEAR, "file": upload}, follow=True)
        self.assertContains(response, "张伟")
        self.assertContains(response, "110105********002X")
        self.assertNotContains(response, ID_1)
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, "高企口径：职工总数 / 科技人员")

    def test_a_bad_file_lists_its_errors_on_the_page(self) -> None:
        self.client.force_login(self.officer)
        upload = staff_file(row("甲", 用工类型="外包"))
        upload.name = "roster.xlsx"
        response = self.client.post(
            f"/enterprises/{self.enterprise_a.pk}/staff/",
            {"year": YEAR, "file": upload},
        )
        self.assertContains(response, "「外包」无法识别")
        self.assertFalse(StaffRoster.objects.exists())

    def test_readers_see_figures_not_people_and_others_get_404(self) -> None:
        staff_roster_import(
            enterprise=self.enterprise_a,
            year=YEAR,
            file=staff_file(*ROSTER),
            by=self.officer,
        )
        url = f"/enterprises/{self.enterprise_a.pk}/staff/"
        self.client.force_login(self.liaison)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "张伟")
        self.assertEqual(self.client.post(url, {}).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.get(
                f"/api/v1/enterprises/{self.enterprise_a.pk}/staff-rosters/"
            ).status_code,
            404,
        )

    def test_the_api_gives_figures_as_decimal_strings(self) -> None:
        staff_roster_import(
            enterprise=self.enterprise_a,
            year=YEAR,
            file=staff_file(*ROSTER),
            by=self.officer,
        )
        self.client.force_login(self.leader)
        body = self.client.get(
            f"/api/v1/enterprises/{self.enterprise_a.pk}/staff-rosters/"
        ).json()
        first = body["results"][0]
        self.assertEqual(
            (
                first["hnte_staff_total"],
                first["hnte_tech_share"],
                first["sme_tech_share"],
            ),
            ("4.00", "0.750000", "0.800000"),
        )


def annual_return(
    enterprise: Enterprise, year: int, revenue: str, **kw: Any
) -> AnnualReturn:
    return AnnualReturn.objects.create(
        enterprise=enterprise,
        year=year,
        main_business_revenue=Decimal(revenue),
        status=kw.pop("status", "accepted"),
        **kw,
    )


class AboveScaleTests(CastTestCase):
    def setUp(self) -> None:
        Enterprise.objects.filter(pk=self.enterprise_a.pk).update(industry_section="C")
        Enterprise.objects.filter(pk=self.enterprise_b.pk).update(industry_section="C")

    def test_proposed_from_2000_wan_inclusive(self) -> None:
        annual_return(self.enterprise_a, YEAR, "20000000")
        annual_return(self.enterprise_b, YEAR, "19999999.99")
        self.client.force_login(self.officer)
        response = self.client.get("/enterprises/above-scale/")
        names = [e.name for e in response.context["page"].object_list]
        self.assertEqual(names, [self.enterprise_a.name])
        self.assertContains(response, "建议认定为规上企业")
        self.assertContains(
            self.client.get(f"/enterprises/{self.enterprise_a.pk}/"),
            "建议认定为规上企业",
        )

    def test_the_latest_usable_return_decides(self) -> None:
        annual_return(self.enterprise_a, YEAR - 1, "30000000")
        annual_return(self.enterprise_a, YEAR, "10000000")
        annual_return(self.enterprise_b, YEAR - 1, "30000000")
        annual_return(self.enterprise_b, YEAR, "10000000", status="draft")
        self.client.force_login(self.officer)
        response = self.client.get("/enterprises/above-scale/")
        self.assertEqual(
            [e.name for e in response.context["page"].object_list],
            [self.enterprise_b.name],
        )

    @override_settings(
        ABOVE_SCALE={"min_main_revenue": "5000000", "industry_sections": []}
    )
    def test_the_threshold_and_sections_are_settings(self) -> None:
        Enterprise.objects.filter(pk=self.enterprise_a.pk).update(industry_section="I")
        annual_return(self.enterprise_a, YEAR, "5000000")
        self.client.force_login(self.officer)
        body = self.client.get("/api/v1/above-scale-proposals/").json()
        self.assertEqual(
            [(r["name"], r["proposal_revenue"]) for r in body["results"]],
            [(self.enterprise_a.name, "5000000.00")],
        )

    def test_a_service_section_is_not_proposed_by_default(self) -> None:
        Enterprise.objects.filter(pk=self.enterprise_a.pk).update(industry_section="I")
        annual_return(self.enterprise_a, YEAR, "90000000")
        self.client.force_login(self.officer)
        self.assertEqual(
            self.client.get("/api/v1/above-scale-proposals/").json()["count"], 0
        )

    def test_staff_confirm_once_audited_then_409(self) -> None:
        annual_return(self.enterprise_a, YEAR, "25000000")
        self.client.force_login(self.officer)
        url = f"/api/v1/enterprises/{self.enterprise_a.pk}/above-scale/confirm/"
        self.assertEqual(self.post_json(url).status_code, 200)
        self.enterprise_a.refresh_from_db()
        self.assertTrue(self.enterprise_a.is_above_scale)
        event = AuditEvent.objects.get(action="enterprise.above_scale_confirm")
        self.assertEqual(event.changes["main_business_revenue"], [None, "25000000.00"])
        again = self.post_json(url)
        self.assertEqual(
            (again.status_code, again.json()["code"]), (409, "already_above_scale")
        )

    def test_not_proposed_is_409_and_roles_are_checked_in_order(self) -> None:
        annual_return(self.enterprise_b, YEAR, "100")
        url = f"/api/v1/enterprises/{self.enterprise_b.pk}/above-scale/confirm/"
        self.client.force_login(self.liaison)  # street A
        self.assertEqual(self.post_json(url).status_code, 404)
        self.client.force_login(self.leader)
        self.assertEqual(self.post_json(url).status_code, 403)
        self.client.force_login(self.officer)
        self.assertEqual(self.post_json(url).status_code, 409)

    def test_the_page_button_confirms(self) -> None:
        annual_return(self.enterprise_a, YEAR, "25000000")
        self.client.force_login(self.officer)
        response = self.client.post(
            f"/enterprises/{self.enterprise_a.pk}/above-scale/confirm/",
            {"next": "list"},
            follow=True,
        )
        self.assertContains(response, "已确认为规上企业")
        self.assertEqual(response.context["page"].paginator.count, 0)

    def test_the_list_query_count_does_not_grow(self) -> None:
        for n in range(5):
            annual_return(self.enterprise_a, YEAR - n, "30000000")
        self.client.force_login(self.officer)
        self.client.get("/enterprises/above-scale/")
        with self.assertNumQueries(5):
            self.client.get("/enterprises/above-scale/")


class RegisterLoaderTests(CastTestCase):
    def test_the_loaders_read_every_enterprise_in_one_query_each(self) -> None:
        from enterprises.selectors.ip import (
            ip_facts_by_enterprise,
            transfer_facts_by_enterprise,
        )
        from enterprises.selectors.staff import roster_figures_by_enterprise
        from enterprises.services.ip import ip_item_create, tech_transfer_record

        for enterprise in (self.enterprise_a, self.enterprise_b):
            staff_roster_import(
                enterprise=enterprise,
                year=YEAR,
                file=staff_file(*ROSTER),
                by=self.officer,
            )
            for n in range(3):
                ip_item_create(
                    enterprise=enterprise,
                    by=None,
                    ip_type="utility",
                    number=f"N{n}",
                    title="装置",
                    status="granted",
                    granted_on=date(2023, 1, 1),
                )
            tech_transfer_record(
                enterprise=enterprise, by=None, title="成果", year=YEAR, way="licence"
            )
        with self.assertNumQueries(3):
            rosters = roster_figures_by_enterprise(year=YEAR)
            items = ip_facts_by_enterprise()
            transfers = transfer_facts_by_enterprise()
        self.assertEqual(rosters[self.enterprise_b.pk][YEAR].hnte_staff_total, 4)
        self.assertEqual(len(items[self.enterprise_a.pk]), 3)
        self.assertEqual(len(transfers[self.enterprise_b.pk]), 1)
        one = roster_figures_by_enterprise(year=YEAR, enterprise=self.enterprise_a)
        self.assertEqual(list(one), [self.enterprise_a.pk])
        self.assertEqual(roster_figures_by_enterprise(year=YEAR - 1), {})
