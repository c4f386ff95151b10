"""A street liaison sees a cooperation agreement that has a party (or the
registered partner) in their street, but like an alliance's members, the
signing parties of other streets are left out (no name, no credit code, no
link) in the page, the API and the export, only counted; a registered
partner of another street is shown by name only; the search and the street
filter do not match the hidden parties."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from enterprises.models import Enterprise
from enterprises.services import cooperation_visit_record
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.test_cooperation import CooperationCase


class AgreementScopeTests(CooperationCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The partner (a university) and one party are of street B.
        cls.neighbour = EnterpriseFactory(
            name="湖墅精密机械有限公司", org_unit=cls.street_b
        )

    def setUp(self) -> None:
        super().setUp()
        self.shared = self.agreement(
            parties=[self.enterprise_a, self.neighbour], district_is_party=True
        )

    def test_the_api_leaves_other_streets_parties_out(self) -> None:
        self.client.force_login(self.liaison)
        body = self.client.get("/api/v1/cooperations/").json()
        (row,) = body["results"]
        self.assertEqual([p["id"] for p in row["parties"]], [self.enterprise_a.pk])
        self.assertEqual(row["other_parties"], 1)
        self.assertNotIn(self.neighbour.credit_code, str(body))
        self.assertNotIn(self.neighbour.name, str(body))
        self.assertNotIn(self.university.credit_code, str(body))
        self.assertEqual(row["partner"]["name"], "浙江运河职业技术学院")
        self.assertIsNone(row["partner"]["id"])
        self.assertEqual(row["partner_display"], "浙江运河职业技术学院")

    def test_staff_see_every_party(self) -> None:
        for day in (1, 2):
            cooperation_visit_record(
                agreement=self.shared,
                by=self.officer,
                visited_on=date(2025, 6, day),
                visitors="产学研科",
            )
        self.client.force_login(self.officer)
        (row,) = self.client.get("/api/v1/cooperations/").json()["results"]
        self.assertEqual(
            {p["id"] for p in row["parties"]}, {self.enterprise_a.pk, self.neighbour.pk}
        )
        self.assertEqual(row["other_parties"], 0)
        # Two visits, however many parties the agreement has.
        self.assertEqual(row["visit_count"], 2)
        self.assertEqual(row["partner"]["id"], self.university.pk)
        self.assertEqual(row["partner"]["credit_code"], self.university.credit_code)
        page = self.client.get(f"/cooperation/{self.shared.pk}/")
        self.assertContains(page, f"/enterprises/{self.neighbour.pk}/")
        self.assertContains(page, f"/enterprises/{self.university.pk}/")
        self.assertNotContains(page, "其他街道")
        listed = self.client.get("/cooperation/")
        self.assertContains(listed, self.neighbour.name)
        self.assertNotContains(listed, "其他街道")

    def test_the_pages_show_no_name_or_link_of_other_streets(self) -> None:
        self.client.force_login(self.liaison)
        page = self.client.get(f"/cooperation/{self.shared.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.enterprise_a.name)
        self.assertContains(page, f"/enterprises/{self.enterprise_a.pk}/")
        self.assertNotContains(page, self.neighbour.name)
        self.assertNotContains(page, f"/enterprises/{self.neighbour.pk}/")
        self.assertNotContains(page, f"/enterprises/{self.university.pk}/")
        self.assertContains(page, "浙江运河职业技术学院")
        self.assertContains(page, "另有1家其他街道的签约单位")
        listed = self.client.get("/cooperation/")
        self.assertContains(listed, self.enterprise_a.name)
        self.assertNotContains(listed, self.neighbour.name)
        self.assertContains(listed, "另有1家其他街道的签约单位")

    def test_a_partner_of_the_liaisons_street_keeps_its_link(self) -> None:
        home = EnterpriseFactory(
            name="米市巷研究院", kind=Enterprise.Kind.INSTITUTE, org_unit=self.street_a
        )
        own = self.agreement(
            title="院企合作协议", partner=home, parties=[self.neighbour]
        )
        self.client.force_login(self.liaison)
        page = self.client.get(f"/cooperation/{own.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, f"/enterprises/{home.pk}/")
        self.assertNotContains(page, self.neighbour.name)
        self.assertContains(page, "另有1家其他街道的签约单位")
        body = self.client.get("/api/v1/cooperations/?q=院企").json()
        (row,) = body["results"]
        self.assertEqual(row["parties"], [])
        self.assertEqual(row["other_parties"], 1)
        self.assertEqual(row["partner"]["id"], home.pk)

    def test_search_and_street_filter_do_not_reveal_other_streets_parties(
        self,
    ) -> None:
        self.client.force_login(self.liaison)
        found = self.client.get("/api/v1/cooperations/?q=湖墅精密").json()
        self.assertEqual(found["count"], 0)
        found = self.client.get(
            f"/api/v1/cooperations/?org_unit={self.street_b.code}"
        ).json()
        self.assertEqual(found["count"], 0)
        self.assertEqual(
            self.client.get("/cooperation/?q=湖墅精密").context["page"].paginator.count,
            0,
        )
        self.client.force_login(self.officer)
        found = self.client.get("/api/v1/cooperations/?q=湖墅精密").json()
        self.assertEqual(found["count"], 1)
        found = self.client.get(
            f"/api/v1/cooperations/?org_unit={self.street_b.code}"
        ).json()
        self.assertEqual(found["count"], 1)

    def test_the_export_leaves_them_out_too(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/cooperation/?export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        text = " ".join(
            str(v) for row in sheet.iter_rows(values_only=True) for v in row if v
        )
        self.assertIn(self.enterprise_a.name, text)
        self.assertNotIn(self.neighbour.name, text)
        self.assertNotIn(self.neighbour.credit_code, text)
        self.assertNotIn(self.university.credit_code, text)
        parties = [c.value for c in sheet[2]][2]
        self.assertEqual(
            parties,
            f"区政府/科技局、{self.enterprise_a.name}、另有1家其他街道的签约单位",
        )
        self.client.force_login(self.officer)
        response = self.client.get("/cooperation/?export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertIn(self.neighbour.name, [c.value for c in sheet[2]][2])
