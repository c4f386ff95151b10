"""The 梯队 funnel page (issue 13 item 6): an ECharts funnel configured by
json_script, the table, a year filter offering the years present, and the
Excel export of what the page shows."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from bureau.tests.base import CastTestCase
from enterprises.models import Tier
from enterprises.tests.factories import award


class FunnelPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        xuri, sme, hnte = (
            Tier.objects.get(code=c) for c in ("xuri", "tech_sme", "hnte")
        )
        a, b = cls.enterprise_a, cls.enterprise_b
        award(a, xuri, date(2021, 4, 1), echelon=1)
        award(b, xuri, date(2021, 4, 1), echelon=2)
        award(a, sme, date(2022, 5, 1))
        award(a, hnte, date(2023, 12, 1))

    def chart(self, response):  # type: ignore[no-untyped-def]
        html = response.content.decode()
        start = html.index('<script id="funnel-data" type="application/json">')
        body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
        return json.loads(body)

    def test_the_year_filter_offers_the_years_present(self) -> None:
        self.client.force_login(self.leader)
        page = self.client.get("/enterprises/funnel/")
        this_year = timezone.localdate().year
        self.assertEqual(page.context["year"], this_year)
        self.assertEqual(
            page.context["year_choices"],
            sorted({this_year, 2023, 2022, 2021}, reverse=True),
        )
        self.assertContains(page, '<option value="2022">2022年</option>', html=True)
        self.assertContains(page, "js/funnel.js")
        self.assertContains(page, 'data-chart="funnel"')
        self.assertNotContains(page, "<script>")  # no inline script

    def test_a_year_shows_its_funnel_and_its_five_years(self) -> None:
        self.client.force_login(self.leader)
        page = self.client.get("/enterprises/funnel/?year=2022")
        self.assertEqual(page.context["years"], [2018, 2019, 2020, 2021, 2022])
        chart = self.chart(page)
        self.assertEqual(chart["year"], 2022)
        held = {t["name"]: t["held"] for t in chart["tiers"]}
        self.assertEqual(held["科技型中小企业"], 1)
        self.assertEqual(held["旭日计划"], 2)
        self.assertEqual(chart["labels"]["held"], "年末持有")
        # An unknown year falls back to this year.
        fallback = self.client.get("/enterprises/funnel/?year=1999")
        self.assertEqual(fallback.context["year"], timezone.localdate().year)

    def test_the_excel_export_has_the_pages_figures(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/enterprises/funnel/?year=2022&export=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        book = load_workbook(BytesIO(response.content))
        counts = book["梯队企业数"]
        header = [c.value for c in counts[1]]
        self.assertEqual(
            header[:4],
            [
                "梯队",
                "2018年认定（含重新认定，家）",
                "2018年其中首次（家）",
                "2018年末持有（家）",
            ],
        )
        rows = {r[0]: r for r in counts.iter_rows(min_row=2, values_only=True)}
        # 2021 awarded / first / held for 旭日: columns 1 + 3 * (2021 - 2018).
        self.assertEqual(rows["旭日计划"][10:13], (2, 2, 2))
        climbed = list(book["梯队晋升"].iter_rows(min_row=2, values_only=True))
        self.assertIn((2021, "旭日计划", 2, "科技型中小企业"), [r[:4] for r in climbed])

    def test_the_page_reads_a_bounded_number_of_queries(self) -> None:
        self.client.force_login(self.leader)
        self.client.get("/enterprises/funnel/")  # warm the session and caches
        with self.assertNumQueries(5):
            self.client.get("/enterprises/funnel/?year=2022")

    def test_who_may_read_it(self) -> None:
        for user, status in ((self.ent_user, 403), (self.expert, 403)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(
                    self.client.get("/enterprises/funnel/?export=xlsx").status_code,
                    status,
                )
