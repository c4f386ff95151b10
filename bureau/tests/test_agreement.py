"""The page/API agreement harness (bureau/tests/agreement.py) against itself:
it must fail when the page and the API disagree. The bureau's own object
types are walked in test_access_agreement.py."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.test import Client

from bureau.tests.agreement import (
    PageApiAgreement,
    Request,
    Route,
    api_ids,
)
from bureau.tests.base import CAST_ROLES, CastTestCase


def answer(status: int, *ids: int) -> Request:
    """A made-up answer: `status`, listing the rows `ids`."""

    def send(client: Client) -> HttpResponse:
        body = {"results": [{"id": pk} for pk in ids]}
        response = JsonResponse(body, status=status)
        response.json = lambda: body  # as the test client's answers have
        return response

    return send


def rows(name: str, page: Request, api: Request) -> Route:
    return Route(name, page, api, api_ids, api_ids)


def redirect_to(url: str) -> Request:
    return lambda client: HttpResponseRedirect(url)


class HarnessTests(PageApiAgreement, CastTestCase):
    """Made-up routes, so that each disagreement is the only one."""

    def routes(self) -> list[Route]:
        return [
            Route("both refuse", answer(403), answer(403)),
            Route("neither finds it", answer(404), answer(404)),
            rows("same rows", answer(200, 1, 2), answer(200, 2, 1)),
        ]

    def assert_disagree(self, route: Route) -> None:
        self.client.force_login(self.officer)
        with self.assertRaises(AssertionError):
            self.assert_agree(route, self.officer)

    def test_the_walk_logs_in_every_role_for_every_route(self) -> None:
        seen = []
        for role, user, route in self.cases():
            self.assertEqual(self.client.session["_auth_user_id"], str(user.pk))
            seen.append((role, route.name))
        names = [route.name for route in self.routes()]
        self.assertEqual(seen, [(r, n) for r in CAST_ROLES for n in names])

    def test_it_fails_when_the_statuses_differ(self) -> None:
        self.assert_disagree(Route("status", answer(200), answer(403)))
        self.assert_disagree(Route("status", answer(403), answer(404)))

    def test_it_fails_when_the_rows_differ(self) -> None:
        self.assert_disagree(rows("rows", answer(200, 1, 2), answer(200, 1)))
        self.assert_disagree(rows("repeated", answer(200, 1, 1), answer(200, 1)))

    def test_it_fails_on_any_other_answer_even_when_both_give_it(self) -> None:
        self.assert_disagree(Route("error", answer(500), answer(500)))
        self.assert_disagree(Route("conflict", answer(409), answer(409)))
        self.assert_disagree(Route("redirect", redirect_to("/"), answer(302)))

    def test_a_declared_redirect_is_checked_and_followed(self) -> None:
        def own_page(user: object) -> str:
            return "/notifications/"

        page = redirect_to("/notifications/")
        self.client.force_login(self.officer)
        self.assert_agree(
            Route("own page", page, answer(200), redirect=own_page), self.officer
        )
        self.assert_disagree(
            Route("elsewhere", page, answer(200), redirect=lambda user: "/")
        )
        self.assert_disagree(Route("refused", page, answer(403), redirect=own_page))

    def test_a_forms_redirect_is_its_success(self) -> None:
        done = redirect_to("/notifications/")
        self.client.force_login(self.officer)
        self.assert_agree(
            Route("form", done, answer(200), success_redirect=True), self.officer
        )
        self.assert_disagree(Route("form", done, answer(403), success_redirect=True))

    def test_a_route_reads_rows_on_both_sides_or_neither(self) -> None:
        with self.assertRaises(ValueError):
            Route("half", "/a/", "/b/", page_rows=api_ids)
