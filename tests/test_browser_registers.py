"""The registers and lists landed with the upward projects, events, IP,
indicators and renewal work, opened in Chromium as a staff officer and as a
street liaison: each answers, shows no English or raw code, logs no console
error, fits 1280 px, and is photographed to
test-artifacts/registers/<role>-<page>.png. The liaison sees their street's
event and not another street's. On the event form an added attendee row
searches enterprises like the first (static/js/autocomplete.js sets up the
pickers table-editor.js adds)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bureau.tests.base import CastTestCase
from enterprises.models import Event
from enterprises.services import event_save
from tests.browser import ARTIFACTS, BrowserTestCase, leaks, page_text, watch_console

if TYPE_CHECKING:
    from playwright.sync_api import Page

SHOTS = "registers"

# (name of the photograph, path) as a staff officer opens them.
STAFF_PAGES = (
    ("upward", "/projects/upward/"),
    ("upward-reserve", "/projects/upward/reserve/"),
    ("upward-import", "/projects/upward/import/"),
    ("events", "/events/"),
    ("event-new", "/events/new/"),
    ("science-bases", "/events/science-bases/"),
    ("contracts", "/indicators/contracts/"),
    ("achievements", "/indicators/achievements/"),
    ("rd-statistics", "/indicators/rd-statistics/"),
    ("ip", "/enterprises/ip/"),
    ("above-scale", "/enterprises/above-scale/"),
    ("renewals", "/enterprises/renewals/"),
    ("closest", "/enterprises/closest/"),
    ("reward-rules", "/rewards/rules/"),
)

# The same registers a liaison opens, scoped to their street.
LIAISON_PAGES = (
    ("events", "/events/"),
    ("contracts", "/indicators/contracts/"),
    ("achievements", "/indicators/achievements/"),
    ("rd-statistics", "/indicators/rd-statistics/"),
    ("ip", "/enterprises/ip/"),
    ("above-scale", "/enterprises/above-scale/"),
    ("renewals", "/enterprises/renewals/"),
    ("closest", "/enterprises/closest/"),
    ("upward", "/projects/upward/"),
)


class RegisterPagesInBrowserTests(BrowserTestCase):
    # The tiers and indicators the lists read come from data migrations,
    # which a TransactionTestCase's flush would otherwise remove; they come
    # back for the first test only, so the checks are one test.
    serialized_rollback = True

    def setUp(self) -> None:
        super().setUp()
        CastTestCase.setUpTestData.__func__(self)  # type: ignore[attr-defined]
        self.own_event = event_save(
            by=self.officer,  # type: ignore[attr-defined]
            event=Event(
                kind=Event.Kind.POLICY,
                title="米市巷高企政策直通车",
                starts_on=date(2026, 5, 20),
                organiser="米市巷街道",
                org_unit=self.street_a,  # type: ignore[attr-defined]
                participants=60,
                materials=120,
            ),
            enterprises=[self.enterprise_a],  # type: ignore[attr-defined]
        )
        self.other_event = event_save(
            by=self.officer,  # type: ignore[attr-defined]
            event=Event(
                kind=Event.Kind.TRAINING,
                title="湖墅街道研发费用加计扣除培训",
                starts_on=date(2026, 6, 3),
                organiser="湖墅街道",
                org_unit=self.street_b,  # type: ignore[attr-defined]
                participants=40,
            ),
            enterprises=[self.enterprise_b],  # type: ignore[attr-defined]
        )

    def visit(self, page: Page, role: str, name: str, path: str) -> str:
        """Open `path`, check it and photograph it; its visible text."""
        response = page.goto(self.live_server_url + path)
        assert response is not None
        self.assertEqual(response.status, 200, path)
        page.wait_for_load_state("networkidle")
        text = page.locator("body").inner_text()
        self.assertEqual(leaks(text) + leaks(page_text(page.content())), [], path)
        self.assertLessEqual(
            page.evaluate("document.documentElement.scrollWidth"), 1280, path
        )
        self.shot(page, f"{SHOTS}/{role}-{name}")
        return text

    def test_registers_as_staff_and_liaison_and_the_event_form(self) -> None:
        self.staff_open_every_register()
        self.liaison_sees_their_street_only()
        self.an_added_attendee_row_searches_enterprises()

    def staff_open_every_register(self) -> None:
        page = self.open_page(self.officer.username, width=1280)  # type: ignore[attr-defined]
        errors = watch_console(page)
        for name, path in STAFF_PAGES:
            text = self.visit(page, "staff", name, path)
            if name == "events":
                self.assertIn(self.own_event.title, text)
                self.assertIn(self.other_event.title, text)
        self.assertEqual(errors, [])
        self.assertTrue((ARTIFACTS / SHOTS / "staff-events.png").exists())

    def liaison_sees_their_street_only(self) -> None:
        page = self.open_page(self.liaison.username, width=1280)  # type: ignore[attr-defined]
        errors = watch_console(page)
        for name, path in LIAISON_PAGES:
            text = self.visit(page, "liaison", name, path)
            if name == "events":
                self.assertIn(self.own_event.title, text)
                self.assertNotIn(self.other_event.title, text)
        self.assertEqual(errors, [])
        # Another street's event is not theirs to open.
        response = page.goto(f"{self.live_server_url}/events/{self.other_event.pk}/")
        assert response is not None
        self.assertEqual(response.status, 404)

    def an_added_attendee_row_searches_enterprises(self) -> None:
        page = self.open_page(self.officer.username, width=1280)  # type: ignore[attr-defined]
        errors = watch_console(page)
        page.goto(f"{self.live_server_url}/events/new/")
        self.assertEqual(page.locator("[data-rows] [data-row]").count(), 1)
        page.click("[data-add]")
        self.assertEqual(page.locator("[data-rows] [data-row]").count(), 2)
        self.assertEqual(page.input_value("#id_attendee-TOTAL_FORMS"), "2")
        box = page.locator("#id_attendee-1-enterprise")
        box.fill(self.enterprise_b.name)  # type: ignore[attr-defined]
        option = page.locator("#id_attendee-1-enterprise-options li").first
        option.wait_for(state="visible")
        option.click()
        self.assertEqual(
            page.input_value("input[name='attendee-1-enterprise']"),
            str(self.enterprise_b.pk),  # type: ignore[attr-defined]
        )
        page.select_option("#id_kind", Event.Kind.TRAINING.value)
        page.fill("#id_title", "研发费用归集实务培训")
        page.fill("#id_starts_on", "2026-07-08")
        page.fill("#id_organiser", "区科技局")
        page.fill("#id_participants", "35")
        self.shot(page, f"{SHOTS}/staff-event-form-filled")
        with page.expect_navigation():
            page.click("main form button[type=submit].primary")
        self.assertTrue(page.url.endswith("/events/"), page.url)
        saved = Event.objects.get(title="研发费用归集实务培训")
        self.assertEqual(
            list(saved.enterprises.values_list("pk", flat=True)),
            [self.enterprise_b.pk],  # type: ignore[attr-defined]
        )
        self.assertEqual(errors, [])
