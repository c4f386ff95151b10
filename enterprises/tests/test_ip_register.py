"""The IP and transfer registers: services, import, pages, API, scoping."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.exports import IP_COLUMNS, IP_SHEET, ip_import_template
from enterprises.models import IPItem, TechTransfer
from enterprises.services.ip import (
    IPImportError,
    ip_item_create,
    ip_item_update,
    ip_items_import,
    tech_transfer_record,
)

HEADERS = [h for h, _f, _r, _w in IP_COLUMNS]


def ip_file(*rows: dict[str, Any], headers: list[str] = HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = IP_SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD_ROW = {
    "知识产权类型": "发明专利",
    "申请号/登记号": "ZL202110001234.5",
    "名称": "一种高效散热装置",
    "申请日": "2021-03-01",
    "授权日": "2023-05-06",
    "状态": "已授权",
    "获得方式": "自主研发",
}


def item(
    enterprise: Any, ip_type: str = "utility", number: str = "1", **kw: Any
) -> IPItem:
    fields: dict[str, Any] = {
        "title": f"条目{number}",
        "status": "granted",
        "granted_on": date(2023, 1, 1),
    }
    fields.update(kw)
    return ip_item_create(
        enterprise=enterprise, by=None, ip_type=ip_type, number=number, **fields
    )


class IPItemServiceTests(CastTestCase):
    def test_the_class_is_derived_from_the_type_and_stored(self) -> None:
        patent = item(self.enterprise_a, "invention", "A1")
        mark = item(self.enterprise_a, "trademark", "T1")
        software = item(self.enterprise_a, "software", "S1")
        self.assertEqual(
            [IPItem.objects.get(pk=i.pk).ip_class for i in (patent, mark, software)],
            ["1", "", "2"],
        )
        ip_item_update(item=software, by=self.officer, ip_type="ic_layout")
        self.assertEqual(IPItem.objects.get(pk=software.pk).ip_class, "1")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="ip_item.update", actor=self.officer
            ).exists()
        )

    def test_a_granted_item_needs_a_grant_date_after_its_application(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            item(self.enterprise_a, granted_on=None)
        self.assertIn("granted_on", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            item(
                self.enterprise_a,
                applied_on=date(2024, 1, 2),
                granted_on=date(2024, 1, 1),
            )
        self.assertIn("granted_on", caught.exception.message_dict)

    def test_the_same_type_and_number_once_per_enterprise(self) -> None:
        item(self.enterprise_a, number="X")
        with self.assertRaises(ValidationError):
            item(self.enterprise_a, number="X")
        item(self.enterprise_b, number="X")  # another enterprise may

    def test_a_future_application_year_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            item(self.enterprise_a, hnte_used_year=timezone.localdate().year + 1)
        self.assertIn("hnte_used_year", caught.exception.message_dict)

    def test_a_transfer_links_only_the_enterprises_own_items(self) -> None:
        other = item(self.enterprise_b)
        with self.assertRaises(ValidationError):
            tech_transfer_record(
                enterprise=self.enterprise_a,
                by=None,
                title="成果",
                year=2024,
                way="transfer",
                ip_items=[other],
            )
        self.assertFalse(TechTransfer.objects.exists())


class IPImportTests(CastTestCase):
    def test_it_creates_then_updates_by_type_and_number(self) -> None:
        result = ip_items_import(
            enterprise=self.enterprise_a,
            file=ip_file(
                GOOD_ROW,
                {**GOOD_ROW, "知识产权类型": "商标", "申请号/登记号": "45678901"},
                {
                    **GOOD_ROW,
                    "知识产权类型": "实用新型",
                    "申请号/登记号": "ZL202220005678.1",
                    "已用于高企申请的年度": 2023,
                },
            ),
            by=self.ent_user,
        )
        self.assertEqual((result.created, result.updated, result.unchanged), (3, 0, 0))
        utility = IPItem.objects.get(number="ZL202220005678.1")
        self.assertEqual((utility.ip_class, utility.hnte_used_year), ("2", 2023))
        again = ip_items_import(
            enterprise=self.enterprise_a,
            file=ip_file(
                GOOD_ROW, {**GOOD_ROW, "名称": "改名", "申请号/登记号": "ZL1"}
            ),
            by=self.ent_user,
        )
        self.assertEqual((again.created, again.updated, again.unchanged), (1, 0, 1))
        self.assertTrue(AuditEvent.objects.filter(action="ip_item.import").exists())

    def test_it_reports_every_bad_cell_by_row_and_header_and_stores_nothing(
        self,
    ) -> None:
        with self.assertRaises(IPImportError) as caught:
            ip_items_import(
                enterprise=self.enterprise_a,
                file=ip_file(
                    GOOD_ROW,
                    {**GOOD_ROW, "知识产权类型": "专利", "授权日": "2023-13-01"},
                    {
                        **GOOD_ROW,
                        "申请号/登记号": None,
                        "状态": "已授权",
                        "授权日": None,
                        "名称": "无号",
                    },
                    {**GOOD_ROW, "授权日": None, "申请号/登记号": "ZL9"},
                    GOOD_ROW,
                ),
                by=self.ent_user,
            )
        errors = [(e.row, e.column) for e in caught.exception.errors]
        self.assertEqual(
            errors,
            [
                (3, "知识产权类型"),
                (3, "授权日"),
                (4, "申请号/登记号"),
                (5, "授权日"),
                (6, "申请号/登记号"),
            ],
        )
        messages = [e.message for e in caught.exception.errors]
        self.assertIn("「专利」无法识别", messages[0])
        self.assertEqual(messages[2], "必须填写。")
        self.assertEqual(messages[3], "已授权的条目须填写授权日。")
        self.assertEqual(messages[4], "与第2行的类型和编号重复。")
        self.assertFalse(IPItem.objects.exists())

    def test_a_missing_column_is_named(self) -> None:
        with self.assertRaises(IPImportError) as caught:
            ip_items_import(
                enterprise=self.enterprise_a,
                file=ip_file(GOOD_ROW, headers=[h for h in HEADERS if h != "状态"]),
                by=self.ent_user,
            )
        self.assertEqual(
            [(e.row, e.column) for e in caught.exception.errors], [(1, "状态")]
        )

    def test_the_template_has_the_columns_and_lists(self) -> None:
        book = load_workbook(io.BytesIO(ip_import_template()))
        sheet = book[IP_SHEET]
        self.assertEqual([c.value for c in sheet[1]], HEADERS)
        lists = [v.formula1 for v in sheet.data_validations.dataValidation]
        self.assertTrue(any("发明专利" in f and "商标" in f for f in lists))


class IPPageTests(CastTestCase):
    def test_the_enterprise_user_adds_an_item_and_sees_the_band(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.post(
            f"/enterprises/{self.enterprise_a.pk}/ip/add/",
            {
                "ip_type": "invention",
                "number": "ZL1",
                "title": "一种传感器",
                "granted_on": "2024-02-01",
                "status": "granted",
                "ownership": "own_rd",
            },
            follow=True,
        )
        self.assertContains(response, "一种传感器")
        self.assertContains(response, "Ⅰ类知识产权1")
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, "知识产权数量档次")

    def test_a_form_error_keeps_what_was_typed_beside_the_field(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            f"/enterprises/{self.enterprise_a.pk}/ip/add/",
            {
                "ip_type": "utility",
                "number": "ZL2",
                "title": "待授权",
                "status": "granted",
                "ownership": "own_rd",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已授权的条目须填写授权日")
        self.assertContains(response, 'value="待授权"')

    def test_scoping_404_for_another_enterprise_403_for_readers(self) -> None:
        other = item(self.enterprise_b, number="B1")
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.client.get(f"/enterprises/{self.enterprise_b.pk}/ip/").status_code, 404
        )
        self.assertEqual(
            self.client.get(f"/enterprises/ip/{other.pk}/edit/").status_code, 404
        )
        self.client.force_login(self.liaison)  # street A: reads, never writes
        mine = item(self.enterprise_a, number="A1")
        self.assertEqual(
            self.client.get(f"/enterprises/{self.enterprise_a.pk}/ip/").status_code, 200
        )
        self.assertEqual(
            self.client.get(f"/enterprises/ip/{mine.pk}/edit/").status_code, 403
        )
        self.assertEqual(
            self.client.get(f"/enterprises/ip/{other.pk}/edit/").status_code, 404
        )

    def test_the_list_filters_exports_and_counts_queries(self) -> None:
        for n in range(3):
            item(self.enterprise_a, number=f"A{n}")
        item(self.enterprise_b, "invention", number="B1")
        self.client.force_login(self.officer)
        self.client.get("/enterprises/ip/")  # warm caches (menu, session)
        # Session, user, streets, count, page: the same for any number of rows.
        with self.assertNumQueries(5):
            response = self.client.get("/enterprises/ip/?ip_class=1")
        self.assertEqual(response.context["page"].paginator.count, 1)
        export = self.client.get("/enterprises/ip/?export=xlsx")
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet is not None
        self.assertEqual(sheet.max_row, 5)
        self.client.force_login(self.liaison)
        response = self.client.get("/enterprises/ip/")
        self.assertEqual(response.context["page"].paginator.count, 3)

    def test_a_conversion_is_recorded_and_counted_once(self) -> None:
        self.client.force_login(self.ent_user)
        year = timezone.localdate().year - 1
        for contract in ("HT-1", "HT-2"):
            self.client.post(
                f"/enterprises/{self.enterprise_a.pk}/transfers/add/",
                {
                    "title": "智能温控系统",
                    "year": year,
                    "way": "licence",
                    "contract_number": contract,
                },
            )
        self.assertEqual(TechTransfer.objects.count(), 2)
        response = self.client.get(f"/enterprises/{self.enterprise_a.pk}/ip/")
        self.assertEqual(response.context["summary"].transfers_3y, 1)


class IPApiTests(CastTestCase):
    def test_create_and_list_scoped(self) -> None:
        self.client.force_login(self.ent_user)
        url = f"/api/v1/enterprises/{self.enterprise_a.pk}/ip-items/"
        created = self.post_json(
            url,
            {
                "ip_type": "software",
                "number": "2024SR0001",
                "title": "管理软件V1.0",
                "granted_on": "2024-01-10",
                "status": "granted",
                "ownership": "own_rd",
            },
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["ip_class"], "2")
        self.assertEqual(self.client.get(url).json()["count"], 1)
        other = f"/api/v1/enterprises/{self.enterprise_b.pk}/ip-items/"
        self.assertEqual(self.client.get(other).status_code, 404)
        self.assertEqual(self.post_json(other, {}).status_code, 404)
        item(self.enterprise_b, number="B1")
        self.assertEqual(self.client.get("/api/v1/ip-items/").json()["count"], 1)
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get("/api/v1/ip-items/").json()["count"], 2)
        self.assertEqual(self.post_json(url, {}).status_code, 403)

    def test_a_bad_item_is_400_with_the_field(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            f"/api/v1/enterprises/{self.enterprise_a.pk}/ip-items/",
            {
                "ip_type": "utility",
                "number": "1",
                "title": "t",
                "status": "granted",
                "ownership": "own_rd",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("granted_on", str(response.json()))

    def test_the_summary_counts_class_2_used_before_once(self) -> None:
        item(self.enterprise_a, number="U1", hnte_used_year=2023)
        item(self.enterprise_a, number="U2")
        self.client.force_login(self.officer)
        body = self.client.get(
            f"/api/v1/enterprises/{self.enterprise_a.pk}/ip-summary/?on=2025-06-01"
        ).json()
        self.assertEqual(
            (
                body["hnte_class2"],
                body["hnte_class2_used_before"],
                body["tech_sme_class2"],
            ),
            (1, 1, 2),
        )
        self.assertEqual(body["hnte_ip_count_band"], "D")


class EnterprisePageRegistersTests(CastTestCase):
    """The enterprise page counts the IP and transfers from the rows its
    pre-check read: the same summary as ip_summary(), read once."""

    def summaries(self) -> tuple[Any, Any]:
        from enterprises.selectors.eligibility import eligibility_inputs
        from enterprises.selectors.ip import ip_summary, ip_summary_of

        today = timezone.localdate()
        inputs = eligibility_inputs(enterprise=self.enterprise_a, on=today)
        return (
            ip_summary(enterprise=self.enterprise_a, on=today),
            ip_summary_of(inputs.ip_items or [], inputs.transfers or [], on=today),
        )

    def test_the_summary_from_the_precheck_inputs_is_ip_summary(self) -> None:
        fresh, reused = self.summaries()  # no items, no transfers
        self.assertEqual(reused, fresh)
        self.assertEqual(fresh.items, 0)
        patent = item(self.enterprise_a, "invention", "A1")
        item(self.enterprise_a, "utility", "U1", hnte_used_year=2024)
        item(self.enterprise_a, "software", "S1", status="lapsed")
        year = timezone.localdate().year - 1
        for contract in ("HT-1", "HT-2"):
            tech_transfer_record(
                enterprise=self.enterprise_a,
                by=None,
                title="智能温控系统",
                year=year,
                way="own_use",
                contract_number=contract,
                ip_items=[patent],
            )
        fresh, reused = self.summaries()
        self.assertEqual(reused, fresh)
        self.assertEqual((fresh.items, fresh.transfers_3y), (3, 1))

    def test_the_page_reads_the_registers_once(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        item(self.enterprise_a, "invention", "A1")
        self.client.force_login(self.officer)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(response.context["precheck"].inputs.ip_items)
        tables = [q["sql"].split(" FROM ", 1)[-1].split()[0] for q in queries]
        for table in (
            '"enterprises_ipitem"',
            '"enterprises_techtransfer"',
            '"enterprises_annualreturn"',
        ):
            # IP and transfers: the pre-check's read. Returns: the
            # pre-check's years, the page's list (the timeline reuses it)
            # and the 规上 proposal's revenue.
            expected = 3 if table == '"enterprises_annualreturn"' else 1
            self.assertEqual(tables.count(table), expected, table)
        self.assertContains(response, "登记条目")
