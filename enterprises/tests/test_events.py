"""Events and 科普 bases: recording with attendees (scoped for a liaison),
the enterprise page listing what it attended, scoping (404), the figures
for the work summary, the Excel import (all or nothing), the API and the
list's query count."""

from __future__ import annotations

import io
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from bureau.models import AuditEvent
from bureau.tests.agreement import PageApiAgreement, Route, api_ids, context_ids
from bureau.tests.base import CastTestCase
from enterprises.models import Event, ScienceBase
from enterprises.selectors import event_figures
from enterprises.services import EventImportError, event_save, events_import
from enterprises.tests.factories import EnterpriseFactory

DAY = date(2026, 5, 20)


def make_event(by, enterprises=(), **changes) -> Event:  # type: ignore[no-untyped-def]
    fields = {
        "kind": Event.Kind.POLICY,
        "title": "高企申报政策直通车",
        "starts_on": DAY,
        "organiser": "区科技局",
        "participants": 80,
        "materials": 200,
        **changes,
    }
    return event_save(by=by, event=Event(**fields), enterprises=list(enterprises))


class EventServiceTests(CastTestCase):
    def test_record_links_attendees_and_audits(self) -> None:
        event = make_event(self.officer, [self.enterprise_a, self.enterprise_b])
        self.assertEqual(event.enterprises.count(), 2)
        entry = AuditEvent.objects.get(action="event.create")
        self.assertEqual(
            sorted(entry.changes["enterprises"][1]),
            sorted([self.enterprise_a.pk, self.enterprise_b.pk]),
        )

    def test_liaison_records_their_street_with_their_enterprises(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            make_event(self.liaison, [self.enterprise_a], org_unit=self.street_b)
        self.assertIn("org_unit", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            make_event(self.liaison, [self.enterprise_b], org_unit=self.street_a)
        self.assertIn("enterprises", caught.exception.message_dict)
        event = make_event(self.liaison, [self.enterprise_a], org_unit=self.street_a)
        self.assertEqual(event.org_unit, self.street_a)

    def test_end_before_start_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            make_event(self.officer, ends_on=date(2026, 5, 1))

    def test_figures_by_type_and_science(self) -> None:
        make_event(self.officer, [self.enterprise_a], participants=80, materials=200)
        make_event(
            self.officer,
            [self.enterprise_a, self.enterprise_b],
            kind=Event.Kind.SCIENCE_DAY,
            title="全国科普日",
            participants=500,
            materials=3000,
            trained=0,
        )
        make_event(
            self.officer,
            kind=Event.Kind.COUNTRYSIDE,
            title="科技三下乡",
            participants=300,
            materials=1500,
            trained=260,
        )
        make_event(self.officer, starts_on=date(2025, 9, 1), participants=999)
        ScienceBase.objects.create(
            name="运河科技馆",
            level="municipal",
            host="运河文化发展中心",
            recognised_on=date(2024, 3, 1),
            yearly_visitors=42000,
        )
        figures = event_figures(2026)
        self.assertEqual(figures["events"], 3)
        self.assertEqual(figures["participants"], 880)
        self.assertEqual(figures["materials"], 4700)
        self.assertEqual(figures["trained"], 260)
        self.assertEqual(figures["enterprises_served"], 2)
        self.assertEqual(figures["by_kind"]["policy"]["events"], 1)
        self.assertEqual(figures["science"]["events"], 2)
        self.assertEqual(figures["science"]["materials"], 4500)
        self.assertEqual(figures["science_bases"], 1)
        self.assertEqual(figures["science_base_visitors"], 42000)


class EventScopingTests(CastTestCase):
    def test_liaison_sees_street_events_and_those_their_enterprises_attended(
        self,
    ) -> None:
        held = make_event(self.officer, org_unit=self.street_a, title="街道路演")
        attended = make_event(self.officer, [self.enterprise_a], title="银企对接会")
        other = make_event(self.officer, [self.enterprise_b], title="产学研对接会")
        self.client.force_login(self.liaison)
        for event, status in ((held, 200), (attended, 200), (other, 404)):
            self.assertEqual(
                self.client.get(f"/events/{event.pk}/").status_code, status
            )
            self.assertEqual(
                self.client.get(f"/api/v1/events/{event.pk}/").status_code, status
            )
        ids = {
            row["id"] for row in self.client.get("/api/v1/events/").json()["results"]
        }
        self.assertEqual(ids, {held.pk, attended.pk})
        # Staff's event: the liaison may read but not change it.
        self.assertEqual(
            self.client.get(f"/events/{attended.pk}/edit/").status_code, 403
        )

    def test_enterprise_page_lists_what_it_attended(self) -> None:
        make_event(self.officer, [self.enterprise_a], title="科创微课堂第3期")
        make_event(self.officer, [self.enterprise_b], title="别家的活动")
        self.client.force_login(self.ent_user)
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, "科创微课堂第3期")
        self.assertNotContains(page, "别家的活动")
        self.assertEqual(self.client.get("/events/").status_code, 403)


class EventPageTests(CastTestCase):
    def test_form_saves_attendees_and_keeps_input_on_error(self) -> None:
        self.client.force_login(self.officer)
        data = {
            "kind": "training",
            "title": "知识产权培训班",
            "starts_on": "2026-06-02",
            "ends_on": "2026-06-01",
            "organiser": "区科技局",
            "participants": "60",
            "materials": "60",
            "trained": "60",
            "attendee-TOTAL_FORMS": "2",
            "attendee-INITIAL_FORMS": "0",
            "attendee-0-enterprise": str(self.enterprise_a.pk),
            "attendee-1-enterprise": "",
        }
        bad = self.client.post("/events/new/", data)
        self.assertEqual(bad.status_code, 200)
        self.assertContains(bad, "结束日期不能早于开始日期")
        self.assertContains(bad, "知识产权培训班")
        data["ends_on"] = "2026-06-03"
        done = self.client.post("/events/new/", data)
        self.assertEqual(done.status_code, 302)
        event = Event.objects.get(title="知识产权培训班")
        self.assertEqual(list(event.enterprises.all()), [self.enterprise_a])

    def test_list_export_and_query_count(self) -> None:
        make_event(self.officer, [self.enterprise_a])
        self.client.force_login(self.officer)
        self.assertContains(self.client.get("/events/"), "高企申报政策直通车")
        export = self.client.get("/events/?export=xlsx")
        sheet = load_workbook(io.BytesIO(export.content)).active
        self.assertEqual(sheet.cell(2, 1).value, "政策宣讲（政策直通车）")
        self.assertEqual(sheet.cell(2, 8).value, self.enterprise_a.credit_code)
        with CaptureQueriesContext(connection) as first:
            self.client.get("/events/")
        for i in range(4):
            make_event(
                self.officer,
                [EnterpriseFactory(org_unit=self.street_a)],
                title=f"活动{i}",
            )
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get("/events/")

    def test_api_create_and_list(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            "/api/v1/events/",
            {
                "kind": "roadshow",
                "title": "科技成果路演",
                "starts_on": "2026-07-01",
                "organiser": "区科技局",
                "participants": 120,
                "enterprises": [self.enterprise_a.pk],
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["enterprises"], [self.enterprise_a.pk])
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/api/v1/events/").status_code, 403)


def _event_book(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "活动类型",
            "活动名称",
            "开始日期",
            "结束日期",
            "主办单位",
            "地点",
            "参加人数",
            "参加企业（统一社会信用代码）",
            "发放资料（份）",
            "培训人次",
            "备注",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


class EventImportTests(CastTestCase):
    def test_errors_by_row_and_column_nothing_written(self) -> None:
        book = _event_book(
            [
                [
                    "培训",
                    "实用技术培训班",
                    DAY,
                    None,
                    "区科协",
                    "",
                    50,
                    "",
                    100,
                    50,
                    "",
                ],
                ["茶话会", "新春茶话会", DAY, None, "区科技局", "", 10, "", 0, 0, ""],
                [
                    "路演",
                    "",
                    "某天",
                    None,
                    "区科技局",
                    "",
                    -3,
                    "91330000XXXX",
                    0,
                    0,
                    "",
                ],
            ]
        )
        with self.assertRaises(EventImportError) as caught:
            events_import(by=self.officer, file=book)
        found = {(e.row, e.column) for e in caught.exception.errors}
        self.assertEqual(
            found,
            {
                (3, "活动类型"),
                (4, "活动类型"),
                (4, "开始日期"),
                (4, "参加人数"),
                (4, "参加企业（统一社会信用代码）"),
            },
        )
        self.assertFalse(Event.objects.exists())

    def test_good_file_links_enterprises_by_credit_code(self) -> None:
        book = _event_book(
            [
                [
                    "科技活动周",
                    "2026年科技活动周启动仪式",
                    DAY,
                    date(2026, 5, 26),
                    "区科技局、区科协",
                    "运河广场",
                    1200,
                    f"{self.enterprise_a.credit_code}、{self.enterprise_b.credit_code}",
                    5000,
                    0,
                    "",
                ]
            ]
        )
        self.assertEqual(events_import(by=self.officer, file=book), 1)
        event = Event.objects.get()
        self.assertEqual(event.kind, Event.Kind.SCIENCE_WEEK)
        self.assertEqual(event.enterprises.count(), 2)

    def test_liaison_may_not_link_another_streets_enterprise(self) -> None:
        book = _event_book(
            [
                [
                    "培训",
                    "街道培训",
                    DAY,
                    None,
                    "米市巷街道",
                    "",
                    30,
                    self.enterprise_b.credit_code,
                    0,
                    30,
                    "",
                ]
            ]
        )
        with self.assertRaises(EventImportError) as caught:
            events_import(by=self.liaison, file=book)
        self.assertEqual(
            [(e.row, e.column) for e in caught.exception.errors],
            [(2, "参加企业（统一社会信用代码）")],
        )


class EventAgreementTests(PageApiAgreement, CastTestCase):
    """Every role gets the same answer (and rows) from the pages and the API."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.held = make_event(cls.officer, org_unit=cls.street_a, title="街道路演")
        cls.attended = make_event(cls.officer, [cls.enterprise_a], title="银企对接会")
        cls.other = make_event(cls.officer, [cls.enterprise_b], title="产学研对接")

    def routes(self) -> list[Route]:
        return [
            Route(
                "event list",
                "/events/",
                "/api/v1/events/",
                context_ids("page"),
                api_ids,
            ),
            *(
                Route(name, f"/events/{e.pk}/", f"/api/v1/events/{e.pk}/")
                for name, e in (
                    ("held by street A", self.held),
                    ("attended by A", self.attended),
                    ("attended by B", self.other),
                )
            ),
        ]


class LiaisonPageTests(CastTestCase):
    def test_liaison_event_is_their_streets(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.post(
            "/events/new/",
            {
                "kind": "policy",
                "title": "街道企业服务日",
                "starts_on": "2026-04-25",
                "organiser": "米市巷街道",
                "participants": "40",
                "materials": "80",
                "trained": "0",
                "attendee-TOTAL_FORMS": "1",
                "attendee-INITIAL_FORMS": "0",
                "attendee-0-enterprise": str(self.enterprise_a.pk),
            },
        )
        self.assertEqual(response.status_code, 302)
        event = Event.objects.get(title="街道企业服务日")
        self.assertEqual(event.org_unit, self.street_a)
        self.assertEqual(self.client.get(f"/events/{event.pk}/edit/").status_code, 200)
