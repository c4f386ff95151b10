"""The finished dashboard is cached per (year, scope) and dropped when what it
shows changes; JSON API answers are gzipped, HTML pages never."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from unittest import mock

from django.core.cache import cache
from django.test import override_settings
from django.utils.text import compress_string

from bureau.tests.base import CastTestCase
from indicators.models import Indicator
from indicators.services import target_set, value_set
from indicators.tests.factories import value

YEAR = 2025
URL = f"/api/v1/dashboard/?year={YEAR}"


@override_settings(INDICATOR_DASHBOARD_CACHE_SECONDS=300)
class DashboardCacheTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for unit, amount in ((cls.district, 900), (cls.street_a, 500)):
            value("tech_contracts", unit, YEAR, amount, month=6)

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def contracts(self, body: dict) -> dict:
        return next(i for i in body["indicators"] if i["code"] == "tech_contracts")

    def test_a_repeated_request_reads_no_indicator_data(self) -> None:
        self.client.force_login(self.leader)
        first = self.client.get(URL).json()
        with self.assertNumQueries(2):  # session and user only
            again = self.client.get(URL).json()
        self.assertEqual(again, first)

    def test_a_cold_request_reads_a_fixed_number_of_queries(self) -> None:
        """session, user; indicators with their components, org units, the
        default comparison group, the value groups (one read), targets."""
        self.client.force_login(self.leader)
        with self.assertNumQueries(7):
            self.client.get(URL)
        for month in range(1, 13):
            for unit in (self.district, self.street_a, self.street_b):
                value("tech_contracts", unit, YEAR - 1, 10 * month, month=month)
            if month <= 5:
                value("tech_contracts", self.street_b, YEAR, 30, month=month)
        cache.clear()
        with self.assertNumQueries(7):
            body = self.client.get(URL).json()
        street_b = next(
            s for s in self.contracts(body)["streets"] if s["code"] == "330105002"
        )
        # 150 this year against 150 last year as of May (10 + 20 + … + 50).
        self.assertEqual(street_b["as_of_month"], 5)
        self.assertEqual(street_b["yoy"], "0.000000")

    def test_a_new_value_is_shown_at_once(self) -> None:
        self.client.force_login(self.leader)
        self.assertEqual(
            self.contracts(self.client.get(URL).json())["value"], "9000000.00"
        )
        with self.captureOnCommitCallbacks(execute=True):
            value_set(
                indicator=Indicator.objects.get(code="tech_contracts"),
                unit=self.district,
                year=YEAR,
                period=("M", 7),
                value=Decimal(100),
                by=None,
            )
        # 900 + 100 万元, as of July
        body = self.client.get(URL).json()
        self.assertEqual(self.contracts(body)["value"], "10000000.00")
        self.assertEqual(self.contracts(body)["as_of_month"], 7)

    def test_a_new_target_is_shown_at_once(self) -> None:
        self.client.force_login(self.leader)
        self.assertIsNone(self.contracts(self.client.get(URL).json())["target"])
        with self.captureOnCommitCallbacks(execute=True):
            target_set(
                indicator=Indicator.objects.get(code="tech_contracts"),
                unit=self.district,
                year=YEAR,
                value=Decimal(1800),
                by=self.head,
            )
        body = self.client.get(URL).json()
        self.assertEqual(self.contracts(body)["target"], "18000000.00")
        self.assertEqual(self.contracts(body)["progress"], "0.500000")

    def test_a_liaison_and_the_district_are_cached_apart(self) -> None:
        self.client.force_login(self.leader)
        district = self.contracts(self.client.get(URL).json())
        self.client.force_login(self.liaison)
        street = self.contracts(self.client.get(URL).json())
        self.assertEqual(
            {s["code"] for s in district["streets"]}, {"330105001", "330105002"}
        )
        self.assertEqual([s["code"] for s in street["streets"]], ["330105001"])
        self.client.force_login(self.leader)
        again = self.contracts(self.client.get(URL).json())
        self.assertEqual(again, district)

    def test_a_repeated_gzip_request_sends_the_cached_compressed_bytes(
        self,
    ) -> None:
        self.client.force_login(self.leader)
        plain = self.client.get(URL)
        with mock.patch(
            "indicators.apis.dashboard.compress_string", wraps=compress_string
        ) as compress:
            first = self.client.get(URL, HTTP_ACCEPT_ENCODING="gzip, deflate")
            with self.assertNumQueries(2):  # session and user only
                again = self.client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(compress.call_count, 1)
        for response in (first, again):
            self.assertEqual(response["Content-Encoding"], "gzip")
            self.assertEqual(response["Content-Length"], str(len(response.content)))
            self.assertIn("Accept-Encoding", response["Vary"])
            self.assertEqual(gzip.decompress(response.content), plain.content)
        self.assertEqual(again.content, first.content)
        self.assertIn("Accept-Encoding", plain["Vary"])
        self.assertNotIn("Content-Encoding", plain)

    def test_new_data_is_compressed_afresh(self) -> None:
        self.client.force_login(self.leader)
        self.client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
        with self.captureOnCommitCallbacks(execute=True):
            value_set(
                indicator=Indicator.objects.get(code="tech_contracts"),
                unit=self.district,
                year=YEAR,
                period=("M", 7),
                value=Decimal(100),
                by=None,
            )
        packed = self.client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
        body = json.loads(gzip.decompress(packed.content))
        self.assertEqual(self.contracts(body)["value"], "10000000.00")

    def test_the_page_shows_the_same_fresh_figures(self) -> None:
        self.client.force_login(self.leader)
        self.client.get(f"/dashboard/?year={YEAR}")
        with self.captureOnCommitCallbacks(execute=True):
            value_set(
                indicator=Indicator.objects.get(code="tech_contracts"),
                unit=self.district,
                year=YEAR,
                period=("M", 7),
                value=Decimal(100),
                by=None,
            )
        page = self.client.get(f"/dashboard/?year={YEAR}")
        self.assertContains(page, "1,000.00")


class CompressionTests(CastTestCase):
    def test_api_json_is_gzipped_for_clients_that_accept_it(self) -> None:
        self.client.force_login(self.leader)
        plain = self.client.get(URL)
        packed = self.client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
        self.assertNotIn("Content-Encoding", plain)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertEqual(
            json.loads(gzip.decompress(packed.content)), json.loads(plain.content)
        )

    def test_html_pages_are_never_compressed(self) -> None:
        self.client.force_login(self.leader)
        page = self.client.get(f"/dashboard/?year={YEAR}", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Content-Encoding", page)
        self.assertIn(b"csrfmiddlewaretoken", page.content)
