"""Keyset (?cursor=) and deep numbered pages give the same rows, in the same
order, as the plain list; cursors are checked."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from bureau.lib import paging
from bureau.tests.base import CastTestCase
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from projects.models import Application


class CursorPaginationTests(CastTestCase):
    url = "/api/v1/enterprises/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Equal names: the order (name, id) needs its tie-break.
        for n in range(7):
            EnterpriseFactory(org_unit=cls.street_a, name=f"杭州同名{n % 3}有限公司")

    def walk(self, first: str) -> tuple[list[int], list[dict]]:
        ids: list[int] = []
        bodies = []
        link: str | None = first
        while link:
            response = self.client.get(link)
            self.assertEqual(response.status_code, 200, response.content)
            body = response.json()
            self.assertNotIn("count", body)
            bodies.append(body)
            ids += [row["id"] for row in body["results"]]
            link = body["next"]
        return ids, bodies

    def test_following_next_gives_every_row_once_in_the_list_order(self) -> None:
        self.client.force_login(self.officer)
        expected = list(
            Enterprise.objects.order_by("name", "id").values_list("pk", flat=True)
        )
        ids, bodies = self.walk(f"{self.url}?page_size=2&cursor=")
        self.assertEqual(ids, expected)
        self.assertEqual(len(bodies), 5)  # 9 rows, 2 a page
        self.assertIsNone(bodies[0]["previous"])

    def test_previous_goes_back_one_page(self) -> None:
        self.client.force_login(self.officer)
        _ids, bodies = self.walk(f"{self.url}?page_size=2&cursor=")
        back = self.client.get(bodies[3]["previous"]).json()
        self.assertEqual(back["results"], bodies[2]["results"])
        first = self.client.get(bodies[1]["previous"]).json()
        self.assertEqual(first["results"], bodies[0]["results"])
        self.assertIsNone(first["previous"])

    def test_filters_and_scope_hold_across_pages(self) -> None:
        self.client.force_login(self.liaison)  # street A only
        ids, _bodies = self.walk(f"{self.url}?page_size=3&cursor=&q=同名1")
        self.assertEqual(
            ids,
            list(
                Enterprise.objects.filter(name="杭州同名1有限公司")
                .order_by("id")
                .values_list("pk", flat=True)
            ),
        )
        ids, _bodies = self.walk(f"{self.url}?page_size=50&cursor=")
        self.assertNotIn(self.enterprise_b.pk, ids)

    def test_a_forged_cursor_is_a_400(self) -> None:
        self.client.force_login(self.officer)
        for cursor in ("nonsense", "eyJ2IjogWzFdfQ", "eyJ2IjogWyJ4IiwgIm5vIl19"):
            with self.subTest(cursor=cursor):
                response = self.client.get(f"{self.url}?cursor={cursor}")
                self.assertEqual(response.status_code, 400)
                self.assertIn("cursor", response.json()["errors"])

    def test_applications_newest_first_with_equal_times(self) -> None:
        from projects.tests.factories import make_application, make_call

        call = make_call(self.officer)
        for n in range(5):
            make_application(call, self.ent_user, title=f"项目{n}")
        Application.objects.update(created_at=timezone.now() - timedelta(days=1))
        self.client.force_login(self.officer)
        expected = list(
            Application.objects.order_by("-created_at", "-id").values_list(
                "pk", flat=True
            )
        )
        ids, _bodies = self.walk("/api/v1/applications/?page_size=2&cursor=")
        self.assertEqual(ids, expected)


class DeepPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(9):
            EnterpriseFactory(org_unit=cls.street_b, name=f"杭州深页{n:02d}有限公司")

    def test_a_deep_page_loads_the_same_rows_by_their_keys_first(self) -> None:
        self.client.force_login(self.officer)
        plain = [
            self.client.get(f"/api/v1/enterprises/?page_size=3&page={n}").json()
            for n in (1, 2, 3, 4)
        ]
        with mock.patch.object(paging, "DEFERRED_JOIN_FROM", 3):
            # session, user, count, the page's keys, the page's rows
            with self.assertNumQueries(5):
                deep = self.client.get("/api/v1/enterprises/?page_size=3&page=3").json()
            shallow = self.client.get("/api/v1/enterprises/?page_size=3&page=1").json()
        self.assertEqual(deep, plain[2])
        self.assertEqual(shallow, plain[0])
        self.assertEqual(
            [row["id"] for body in plain for row in body["results"]],
            list(
                Enterprise.objects.order_by("name", "id").values_list("pk", flat=True)
            ),
        )
