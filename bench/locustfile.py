"""The load test's users: every role's daily requests, pages and API.
Driven headless by bench/loadtest.py (`make loadtest`), which passes the
accounts and tokens of bench/loadtest_data.py in LOADTEST_* variables.

The users are locust's FastHttpUser (geventhttpclient): the load generator
shares the two cores with gunicorn and PostgreSQL, and python-requests'
HttpUser spent several times its CPU per request — CPU the server then
lacked."""

from __future__ import annotations

import json
import os
import random

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

CONFIG = json.loads(os.environ.get("LOADTEST_CONFIG", "{}"))
TOKENS = CONFIG.get("tokens", [])
ENTERPRISE_ID = CONFIG.get("enterprise_id")
PAGES = max(1, CONFIG.get("enterprises", 50_000) // 50)
APP_PAGES = max(1, CONFIG.get("applications", 100_000) // 50)
YEAR = 2026


class PortalUser(FastHttpUser):
    """A person at a browser, already signed in (bench/loadtest_data.py makes
    one session per simulated person: the morning's login is not part of the
    day's load)."""

    abstract = True
    role = ""
    wait_time = between(0.5, 1.5)
    _next: dict[str, int] = {}

    def on_start(self) -> None:
        sessions = CONFIG["sessions"][self.role]
        n = PortalUser._next.get(self.role, 0)
        PortalUser._next[self.role] = n + 1
        self.cookie = f"{CONFIG['session_cookie']}={sessions[n % len(sessions)]}"

    def get(self, url: str, name: str) -> None:
        """A page, which must answer 200 itself: a redirect (to the login
        page, say) is a failure, not a fast success."""
        with self.client.get(
            url,
            name=name,
            allow_redirects=False,
            catch_response=True,
            headers={"Cookie": self.cookie, "Accept-Encoding": "gzip"},
        ) as response:
            if response.status_code != 200:
                response.failure(
                    f"{response.status_code} {response.headers.get('Location', '')}"
                )


class Staff(PortalUser):
    """科员: enterprise and application lists at any depth, search, details."""

    role = "staff"
    weight = 4

    @task(4)
    def enterprise_list(self) -> None:
        page = random.choice([1, 2, random.randint(1, PAGES)])
        self.get(f"/enterprises/?page={page}", name="/enterprises/?page=N")

    @task(2)
    def enterprise_search(self) -> None:
        self.get(
            f"/enterprises/?q=基准测试{random.randint(0, 499):03d}",
            name="/enterprises/?q=…",
        )

    @task(2)
    def enterprise_filtered(self) -> None:
        self.get("/enterprises/?tier=hnte", name="/enterprises/?tier=hnte")

    @task(2)
    def home(self) -> None:
        self.get("/", name="/ (home)")

    @task(3)
    def application_list(self) -> None:
        page = random.choice([1, random.randint(1, APP_PAGES)])
        self.get(
            f"/projects/applications/?page={page}",
            name="/projects/applications/?page=N",
        )

    @task(2)
    def enterprise_detail(self) -> None:
        self.get(f"/enterprises/{ENTERPRISE_ID}/", name="/enterprises/{id}/")


class Leader(PortalUser):
    """局领导: the dashboard, page and API."""

    role = "leader"
    weight = 2

    @task(2)
    def dashboard_page(self) -> None:
        self.get("/dashboard/", name="/dashboard/")

    @task(3)
    def dashboard_api(self) -> None:
        self.get(f"/api/v1/dashboard/?year={YEAR}", name="/api/v1/dashboard/")

    @task(1)
    def home(self) -> None:
        self.get("/", name="/ (home)")


class Liaison(PortalUser):
    """街道联络员: the street's enterprises."""

    role = "liaison"
    weight = 1

    @task(3)
    def street_list(self) -> None:
        self.get("/enterprises/", name="/enterprises/ (street)")

    @task(1)
    def home(self) -> None:
        self.get("/", name="/ (home)")


class EnterpriseClerk(PortalUser):
    """企业填报员: their own page, applications and filings."""

    role = "enterprise"
    weight = 2

    @task(2)
    def own_page(self) -> None:
        self.get(f"/enterprises/{ENTERPRISE_ID}/", name="/enterprises/{own}/")

    @task(2)
    def applications(self) -> None:
        self.get("/projects/applications/", name="/projects/applications/ (own)")

    @task(1)
    def filings(self) -> None:
        self.get("/filings/annual/", name="/filings/annual/")

    @task(1)
    def home(self) -> None:
        self.get("/", name="/ (home)")


class ApiClient(FastHttpUser):
    """A system reading the REST API with a token (page by page, deep too)."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.headers = {
            "Authorization": f"Token {random.choice(TOKENS)}",
            "Accept-Encoding": "gzip",
        }

    def read(self, url: str, name: str) -> None:
        self.client.get(url, name=name, headers=self.headers)

    @task(3)
    def enterprises(self) -> None:
        page = random.choice([1, random.randint(1, PAGES)])
        self.read(
            f"/api/v1/enterprises/?page={page}", name="/api/v1/enterprises/?page=N"
        )

    @task(2)
    def applications(self) -> None:
        page = random.choice([1, random.randint(1, APP_PAGES)])
        self.read(
            f"/api/v1/applications/?page={page}", name="/api/v1/applications/?page=N"
        )

    @task(1)
    def expiring(self) -> None:
        self.read(
            "/api/v1/enterprises/?expiring_within=180",
            name="/api/v1/enterprises/?expiring_within=180",
        )

    @task(1)
    def detail(self) -> None:
        self.read(
            f"/api/v1/enterprises/{ENTERPRISE_ID}/", name="/api/v1/enterprises/{id}/"
        )
