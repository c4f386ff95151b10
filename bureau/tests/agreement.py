"""The page/API agreement harness.

A test declares an object type's routes as data (`Route`: the page, the API
answering the same question, and how to read the rows each one shows); the
harness walks every role of the cast over every route, one subTest per role
and route, and asserts that the page and the API give the same answer
(200, 403 or 404) and, where rows are declared, show the same rows:

    class AccessAgreementTests(PageApiAgreement, CastTestCase):
        def routes(self) -> list[Route]:
            return [
                Route("annual return list", "/filings/annual/",
                      "/api/v1/annual-returns/", context_ids("page"), api_ids),
                Route("annual return", f"/filings/annual/{pk}/",
                      f"/api/v1/annual-returns/{pk}/"),
            ]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.test import Client

from bureau.models import User
from bureau.tests.base import CAST_ROLES, CastTestCase

# A URL to GET, or a function of the test client that sends the request
# (a POST, or one that needs a fresh object on every call).
Request = str | Callable[[Client], HttpResponse]
# The rows an answer shows, compared as a multiset: the same rows, as many
# times each, in any order (a reader returns a set to compare distinct rows).
Rows = Callable[[HttpResponse], Iterable[Hashable]]

# The answers a page and its API may agree on.
ANSWERS = (200, 403, 404)


@dataclass(frozen=True)
class Route:
    """One question asked of a page and of the API.

    `page_rows` and `api_rows` read the rows of a 200 answer (both or
    neither: without them a route is compared by status alone).
    `redirect`: where the page may send a user instead of answering (an
    enterprise user's list is its own page); the harness checks the target
    and compares the page it lands on. `success_redirect`: the page is a form
    POST whose redirect after success is the API's 200.
    """

    name: str
    page: Request
    api: Request
    page_rows: Rows | None = None
    api_rows: Rows | None = None
    redirect: Callable[[User], str] | None = None
    success_redirect: bool = False

    def __post_init__(self) -> None:
        if (self.page_rows is None) != (self.api_rows is None):
            raise ValueError(f"{self.name}: give page_rows and api_rows, or neither")


def send(client: Client, request: Request) -> HttpResponse:
    if isinstance(request, str):
        return client.get(request)
    return request(client)


def api_field(name: str) -> Rows:
    """The `name` of each row of a paginated API answer."""

    def rows(response: HttpResponse) -> list[Any]:
        return [row[name] for row in response.json()["results"]]

    return rows


api_ids = api_field("id")


def context_ids(key: str) -> Rows:
    """The primary keys of the rows a page hands its template as `key` (a
    list, a queryset or a Paginator page)."""

    def rows(response: HttpResponse) -> list[Any]:
        found = response.context[key]
        return [row.pk for row in getattr(found, "object_list", found)]

    return rows


def _body(response: HttpResponse) -> bytes:
    """What a failure message shows of an answer: a file download streams
    its body and has no `content`, so it shows nothing."""
    return b"" if response.streaming else response.content


if TYPE_CHECKING:
    _Base = CastTestCase
else:
    _Base = object


class PageApiAgreement(_Base):
    """Mix in before CastTestCase and declare `routes()`; the test below
    walks `roles` × routes. Not a TestCase itself, so that importing it does
    not collect (and run) an empty walk."""

    roles: tuple[str, ...] = CAST_ROLES

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def test_page_and_api_agree_for_every_role(self) -> None:
        for role, user, route in self.cases():
            with self.subTest(role=role, route=route.name):
                self.assert_agree(route, user)

    def cases(self) -> Iterator[tuple[str, User, Route]]:
        """Every role × route, logged in as the role's user."""
        for role in self.roles:
            user = getattr(self, role)
            self.client.force_login(user)
            for route in self.routes():
                yield role, user, route

    def assert_agree(self, route: Route, user: User) -> None:
        page = send(self.client, route.page)
        if page.status_code == 302 and route.redirect is not None:
            self.assertEqual(page.url, route.redirect(user))
            page = self.client.get(page.url)
        status = page.status_code
        if status == 302 and route.success_redirect:
            status = 200
        api = send(self.client, route.api)
        self.assertIn(status, ANSWERS, f"the page answers {status}")
        self.assertEqual(status, api.status_code, _body(api))
        if status == 200 and route.page_rows and route.api_rows:
            self.assertEqual(
                Counter(route.page_rows(page)), Counter(route.api_rows(api))
            )
