"""The role home pages' work queues are true: every panel's `data-count` is
the number of rows the list it links to shows that user, no link on a home
page answers 403 or 404, and a home page costs the same queries whatever
the amount of data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from bureau.home import SHOWN
from bureau.models import LoginThrottle, Role, User
from bureau.services import login_failure_record
from bureau.tests.base import CastTestCase
from bureau.tests.factories import UserFactory
from enterprises.models import (
    AnnualReturn,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.monitoring import latest_due_quarter
from enterprises.services import visit_record
from enterprises.tests.factories import EnterpriseFactory, award
from indicators.tests.factories import target, value
from projects.models import Application, ReviewAssignment
from projects.tests.factories import make_application, make_call, make_expert

S = Application.State


class HomePage(HTMLParser):
    """The queues of a home page (name, count, the links inside each) and
    every link on it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.queues: dict[str, dict[str, Any]] = {}
        self.links: list[str] = []
        self._queue: dict[str, Any] | None = None
        self._more = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("data-queue"):
            self._queue = {"count": int(a["data-count"] or 0), "more": []}
            self.queues[str(a["data-queue"])] = self._queue
        elif tag == "p" and a.get("class") == "more":
            self._more = True
        elif tag == "a" and a.get("href"):
            href = str(a["href"])
            self.links.append(href)
            if self._queue is not None and self._more:
                self._queue["more"].append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._queue = None
        elif tag == "p":
            self._more = False


class ListPage(HTMLParser):
    """Counts what a list page shows: the body rows of its tables (each
    table apart), the dashboard's indicator cards, the open calls of the
    projects page and the rows of an /admin/ list."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: list[int] = []
        self.black_list = 0
        self.kpis = 0
        self.calls = 0
        self.admin_rows = 0
        self._tbody = False
        self._black = False
        self._admin = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "section" and "list-black" in classes:
            self._black = True
        elif tag == "tbody":
            self._tbody = True
            self.tables.append(0)
        elif tag == "tr" and self._tbody:
            self.tables[-1] += 1
            if self._black:
                self.black_list += 1
        elif tag == "td" and self._tbody and "empty" in classes:
            self.tables[-1] -= 1  # the "nothing here" row
        elif tag == "a" and "kpi" in classes:
            self.kpis += 1
        elif tag == "div" and "visit" in classes:
            self.calls += 1
        if tag == "table" and a.get("id") == "result_list":
            self._admin = True
        elif tag == "tr" and self._admin and self._tbody:
            self.admin_rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._tbody = False
        elif tag == "section":
            self._black = False
        elif tag == "table":
            self._admin = False


def shown(queue: str, url: str, html: str) -> int:
    """How many rows the list at `url` shows for `queue`."""
    page = ListPage(html)
    path = urlsplit(url).path
    if path == "/dashboard/":
        return page.kpis if queue == "headline" else page.black_list
    if path == "/projects/":
        return page.calls
    if path.startswith("/admin/"):
        return page.admin_rows
    assert len(page.tables) == 1, (url, page.tables)
    return page.tables[0]


# The API list each page list mirrors, where it takes the same filters.
API_LISTS = {
    "/projects/applications/": "/api/v1/applications/",
    "/enterprises/": "/api/v1/enterprises/",
    "/audit/": "/api/v1/audit-events/",
}


def api_url(url: str) -> str | None:
    """The API twin of the list at `url` with the same filters, if any (the
    API takes one state at a time and has no `privileged` filter)."""
    parts = urlsplit(url)
    api = API_LISTS.get(parts.path)
    if api is None or "%2C" in parts.query or "privileged" in parts.query:
        return None
    return f"{api}?{parts.query}"


class HomeQueueTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.year = cls.today.year
        cls.expert_profile = make_expert(cls.expert, "陈专家")
        cls.call = make_call(cls.officer)
        cls.past_call = make_call(
            cls.officer,
            title="往年项目申报",
            opens_at=timezone.now() - timedelta(days=90),
            closes_at=timezone.now() - timedelta(days=60),
        )
        cls.make_data()

    @classmethod
    def make_data(cls) -> None:
        """One more piece of work of every kind (the query counts must not
        change when this runs again)."""
        street = cls.street_a
        enterprise = EnterpriseFactory(org_unit=street)
        clerk = UserFactory(role=Role.ENTERPRISE, enterprise=enterprise)
        # Applications: submitted (formal check), under review (decisions,
        # reviews, a panel), and the enterprise's own returned one.
        make_application(cls.call, clerk)
        reviewed = make_application(cls.past_call, clerk, state=S.UNDER_REVIEW)
        ReviewAssignment.objects.create(
            application=reviewed,
            expert=make_expert(UserFactory(role=Role.EXPERT), "王专家"),
            declared_at=timezone.now(),
            submitted_at=timezone.now(),
            weighted_score=Decimal("80"),
        )
        waiting = make_application(cls.call, clerk, state=S.UNDER_REVIEW)
        ReviewAssignment.objects.create(application=waiting, expert=cls.expert_profile)
        make_application(cls.past_call, cls.ent_user, state=S.RETURNED)
        # Filings: submitted (to review) and returned (the enterprise's and
        # the liaison's street's).
        last = cls.year - 1 - AnnualReturn.objects.count()
        AnnualReturn.objects.create(
            enterprise=enterprise, year=last, status=FilingStatus.SUBMITTED
        )
        QuarterlyReport.objects.create(
            enterprise=enterprise,
            year=last,
            quarter=1,
            status=FilingStatus.RETURNED,
            return_reason="数据有误",
        )
        QuarterlyReport.objects.create(
            enterprise=cls.ent_user.enterprise,
            year=last,
            quarter=2,
            status=FilingStatus.RETURNED,
            return_reason="营收口径不对",
        )
        # An overdue follow-up for the officer and the liaison.
        visit_record(
            enterprise=enterprise,
            by=cls.officer,
            visited_on=cls.today - timedelta(days=30),
            issues_raised="融资",
            follow_ups=[
                {
                    "action": "对接银行",
                    "owner": owner,
                    "due_on": cls.today - timedelta(days=3),
                }
                for owner in (cls.officer, cls.head, cls.liaison)
            ],
        )
        # A certificate expiring within the warning window.
        award(
            enterprise,
            Tier.objects.get(code=Tier.HNTE),
            cls.today - timedelta(days=3 * 365 - 90),
        )
        # A failed login, a locked account, a disabled account.
        login_failure_record(username=f"nobody{enterprise.pk}", ip_address="10.0.0.1")
        LoginThrottle.objects.create(
            username=f"locked{enterprise.pk}",
            failures=5,
            last_failure_at=timezone.now(),
            locked_until=timezone.now() + timedelta(minutes=30),
        )
        UserFactory(is_active=False)
        # Tasks: the officer's own and a section's (the officer assigned it,
        # the head heads it), the street's (one overdue, one done) and the
        # enterprise user's enterprise's.
        cls.make_tasks()

    @classmethod
    def make_tasks(cls) -> None:
        from bureau.models import Task
        from bureau.services.tasks import task_complete, task_create

        K = Task.OwnerKind
        today = cls.today
        for by, owner, due in (
            (cls.head, {"owner_kind": K.USER, "owner_user": cls.officer}, 5),
            (cls.head, {"owner_kind": K.USER, "owner_user": cls.leader}, 4),
            (cls.officer, {"owner_kind": K.SECTION, "owner_section": "办公室"}, 9),
            (cls.officer, {"owner_kind": K.STREET, "owner_unit": cls.street_a}, 3),
            (cls.officer, {"owner_kind": K.STREET, "owner_unit": cls.street_a}, -2),
            (
                cls.officer,
                {"owner_kind": K.ENTERPRISE, "owner_enterprise": cls.enterprise_a},
                7,
            ),
        ):
            task_create(
                by=by,
                task=Task(
                    title="报送材料",
                    received_on=today - timedelta(days=20),
                    due_on=today + timedelta(days=due),
                    **owner,
                ),
            )
        done = task_create(
            by=cls.officer,
            task=Task(
                title="已办结的任务",
                received_on=today - timedelta(days=20),
                due_on=today,
                owner_kind=K.STREET,
                owner_unit=cls.street_a,
            ),
        )
        task_complete(task=done, by=cls.liaison, result="已完成")

    @classmethod
    def make_indicators(cls) -> None:
        year = cls.year
        value("rd_spending", cls.district, year, "12000")
        value("rd_spending", cls.street_a, year, "4500")
        value("rd_spending", cls.street_b, year, "1000")
        target("rd_spending", cls.district, year, "15000")
        target("rd_spending", cls.street_a, year, "4000")
        target("rd_spending", cls.street_b, year, "4000")  # behind: 黑榜

    def home(self, user: User) -> HomePage:
        self.client.force_login(user)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        return HomePage(response.content.decode())

    def assert_queues_true(self, user: User, expected: dict[str, int]) -> None:
        """Each queue has the expected count, and the lists it links to
        show exactly that many rows (plus the items no list holds: reports
        not yet started)."""
        page = self.home(user)
        self.assertEqual(
            {name: q["count"] for name, q in page.queues.items()},
            expected,
            user.role,
        )
        for name, queue in page.queues.items():
            listed = 0
            for url in queue["more"]:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                rows = shown(name, url, response.content.decode())
                listed += rows
                if (api := api_url(url)) is not None:
                    body = self.client.get(api).json()
                    self.assertEqual(body["count"], rows, api)
            self.assertEqual(
                listed + self.unlisted(user, name), queue["count"], (user.role, name)
            )

    def unlisted(self, user: User, queue: str) -> int:
        if queue == "filings_due":
            from enterprises.selectors import filings_due

            return len(filings_due(user=user))
        # Street figures not yet imported are listed at /work/street_figures/.
        return 0

    def assert_links_open(self, user: User) -> None:
        """No link on the home page answers 403 or 404 to its user."""
        for href in set(self.home(user).links):
            if not href.startswith("/") or href.startswith("/logout"):
                continue
            status = self.client.get(href).status_code
            self.assertIn(status, (200, 302), f"{user.role}: {href} → {status}")

    # --- Each role's queues equal their lists ---------------------------------

    def test_enterprise(self) -> None:
        self.assert_queues_true(
            self.ent_user,
            {"open_calls": 1, "my_actions": 1, "filings_due": 3, "my_tasks": 1},
        )
        # Applying takes the call off the queue, here and on the projects page.
        make_application(self.call, self.ent_user, state=S.DRAFT)
        self.assert_queues_true(
            self.ent_user,
            {"open_calls": 0, "my_actions": 2, "filings_due": 3, "my_tasks": 1},
        )
        self.assert_links_open(self.ent_user)

    def test_staff(self) -> None:
        self.assert_queues_true(
            self.officer,
            {
                "formal_check": 1,
                "filings_to_review": 1,
                "overdue_followups": 1,
                "expiring": 1,
                "my_tasks": 2,
            },
        )
        self.assert_links_open(self.officer)

    def test_section_head(self) -> None:
        self.assert_queues_true(
            self.head,
            {
                "decisions": 2,
                "panels": 1,
                "formal_check": 1,
                "filings_to_review": 1,
                "overdue_followups": 1,
                "my_tasks": 1,
            },
        )
        self.assert_links_open(self.head)

    def test_expert(self) -> None:
        self.assert_queues_true(self.expert, {"reviews": 1})
        # Scored, it leaves the queue but stays on 我的评审.
        ReviewAssignment.objects.filter(expert=self.expert_profile).update(
            declared_at=timezone.now(), submitted_at=timezone.now()
        )
        self.assert_queues_true(self.expert, {"reviews": 0})
        self.client.force_login(self.expert)
        self.assertEqual(
            shown(
                "",
                "/projects/reviews/",
                self.client.get("/projects/reviews/").content.decode(),
            ),
            1,
        )
        self.assert_links_open(self.expert)

    def test_leader(self) -> None:
        self.make_indicators()
        page = self.home(self.leader)
        self.assertGreater(page.queues["headline"]["count"], 0)
        self.assertEqual(page.queues["lagging_streets"]["count"], 1)
        self.assertEqual(page.queues["my_tasks"]["count"], 1)
        self.assert_queues_true(
            self.leader,
            {name: q["count"] for name, q in page.queues.items()},
        )
        self.assert_links_open(self.leader)

    def test_street_liaison(self) -> None:
        from indicators.selectors.queues import street_figures_due

        figures = len(street_figures_due(user=self.liaison))
        self.assertGreater(figures, 0)  # no street value imported in the tests
        # Two returned reports in the street (enterprise A's and the new
        # one's), and both enterprises have yet to file the due quarter.
        self.assert_queues_true(
            self.liaison,
            {"street_tasks": figures + 2 + 2, "overdue_followups": 1, "my_tasks": 2},
        )
        # Filed, an enterprise leaves the queue and the filtered list.
        year, quarter = latest_due_quarter(self.today)
        QuarterlyReport.objects.create(
            enterprise=self.enterprise_a,
            year=year,
            quarter=quarter,
            status=FilingStatus.SUBMITTED,
        )
        self.assert_queues_true(
            self.liaison,
            {"street_tasks": figures + 2 + 1, "overdue_followups": 1, "my_tasks": 2},
        )
        self.assert_links_open(self.liaison)
        # Nothing the liaison cannot act on: no review queue, no review link.
        page = self.home(self.liaison)
        self.assertNotIn("filings_to_review", page.queues)
        self.assertFalse([h for h in page.links if "state=submitted" in h])

    def test_every_street_figure_due_is_reachable(self) -> None:
        """More street figures are due than the home page shows: the
        street_tasks panel links to /work/street_figures/, which lists every
        one of them, each leading to the import page (journeys finding: 5 of
        8 shown and no way to the rest)."""
        from indicators.models import Indicator
        from indicators.selectors.queues import due_month, street_figures_due

        due = street_figures_due(user=self.liaison)
        missing = SHOWN + 2 - len(due)
        for i in range(max(missing, 0)):
            Indicator.objects.create(
                code=f"street_extra_{i}",
                name=f"街道补充指标{i}",
                unit="项",
                source=Indicator.Source.IMPORT,
                kind=Indicator.Kind.RAW,
                sort_order=900 + i,
            )
        due = street_figures_due(user=self.liaison)
        self.assertGreater(len(due), SHOWN)
        page = self.home(self.liaison)
        self.assertIn("/work/street_figures/", page.queues["street_tasks"]["more"])
        response = self.client.get("/work/street_figures/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(shown("street_tasks", "/work/street_figures/", html), len(due))
        self.assertContains(response, "街道指标待报送")
        # Each row leads to the import page (the menu has one more link).
        year, month = due_month(self.today)
        self.assertContains(
            response, f'<a href="/indicators/imports/">报送{year}年{month}月', len(due)
        )
        for figure in due:
            self.assertContains(response, escape(figure.indicator.name))
        # Imported for the due month, a figure leaves the page and the queue.
        value(due[0].indicator.code, self.street_a, year, "3", month=month)
        self.assertEqual(
            shown(
                "street_tasks",
                "/work/street_figures/",
                self.client.get("/work/street_figures/").content.decode(),
            ),
            len(due) - 1,
        )
        # The page is the street liaison's only.
        for user in (self.officer, self.ent_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/work/street_figures/").status_code, 403)

    def test_administrators(self) -> None:
        from bureau.selectors import audit_event_list, privileged_events

        self.assert_queues_true(
            self.auditor,
            {
                "privileged": privileged_events(audit_event_list()).count(),
                "failed_logins": 1,
            },
        )
        self.assert_queues_true(self.security, {"locked": 1})
        self.assert_queues_true(self.admin, {"inactive_accounts": 1})
        for user in (self.auditor, self.security, self.admin):
            self.assert_links_open(user)

    def test_a_queue_page_of_another_role_is_refused(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/work/panels/").status_code, 403)
        self.assertEqual(self.client.get("/work/nothing/").status_code, 404)
        self.client.force_login(self.head)
        self.assertEqual(self.client.get("/work/panels/").status_code, 200)

    # --- A home page costs the same queries whatever the data -----------------

    def test_query_counts_stay_constant(self) -> None:
        self.make_indicators()
        users = [
            self.ent_user,
            self.officer,
            self.head,
            self.expert,
            self.leader,
            self.liaison,
            self.auditor,
            self.security,
            self.admin,
        ]
        before = {}
        for user in users:
            self.client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get("/").status_code, 200)
            before[user.role] = len(queries)
        self.assertEqual(before, HOME_QUERIES)
        for _more in range(2):
            self.make_data()
        for user in users:
            self.client.force_login(user)
            with self.assertNumQueries(HOME_QUERIES[user.role]):
                self.client.get("/")


# What each role's home page costs (session, user, menu, notifications and
# two queries per queue: its count and its newest items).
HOME_QUERIES: dict[str, int] = {
    Role.ENTERPRISE: 19,
    Role.STAFF: 18,
    Role.SECTION_HEAD: 20,
    Role.EXPERT: 7,
    Role.LEADER: 13,  # dashboard: indicators, values (one read each); group; my tasks
    Role.STREET_LIAISON: 18,
    Role.AUDITOR: 12,
    Role.SECURITY_ADMIN: 9,
    Role.BUREAU_ADMIN: 9,
}
