"""A street liaison sees an alliance that has a member in their street, but
like an event's attendees, the members of other streets are left out (no
name, no credit code, no link), in the page, the API and the export; a lead
of another street is shown by name only."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from enterprises.models import Alliance
from enterprises.services import alliance_save
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.test_cooperation import CooperationCase


class AllianceScopeTests(CooperationCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The lead (a university) and one member are of street B.
        cls.neighbour = EnterpriseFactory(
            name="湖墅精密机械有限公司", org_unit=cls.street_b
        )
        cls.alliance = alliance_save(
            alliance=Alliance(
                kind=Alliance.Kind.CONSORTIUM,
                name="运河智能制造创新联合体",
                lead=cls.university,
                level="municipal",
                founded_on=date(2025, 9, 1),
            ),
            by=cls.officer,
            members=[cls.enterprise_a, cls.neighbour],
        )

    def test_the_api_leaves_other_streets_members_out(self) -> None:
        self.client.force_login(self.liaison)
        body = self.client.get("/api/v1/alliances/").json()
        (row,) = body["results"]
        self.assertEqual([m["id"] for m in row["members"]], [self.enterprise_a.pk])
        self.assertEqual(row["other_members"], 1)
        self.assertNotIn(self.neighbour.credit_code, str(body))
        self.assertNotIn(self.university.credit_code, str(body))
        self.assertEqual(row["lead"]["name"], "浙江运河职业技术学院")
        self.assertIsNone(row["lead"]["id"])

    def test_staff_see_every_member(self) -> None:
        self.client.force_login(self.officer)
        (row,) = self.client.get("/api/v1/alliances/").json()["results"]
        self.assertEqual(
            {m["id"] for m in row["members"]}, {self.enterprise_a.pk, self.neighbour.pk}
        )
        self.assertEqual(row["other_members"], 0)
        self.assertEqual(row["lead"]["credit_code"], self.university.credit_code)
        page = self.client.get(f"/alliances/{self.alliance.pk}/")
        self.assertContains(page, f"/enterprises/{self.neighbour.pk}/")
        self.assertContains(page, f"/enterprises/{self.university.pk}/")

    def test_the_page_shows_no_name_or_link_of_other_streets(self) -> None:
        self.client.force_login(self.liaison)
        page = self.client.get(f"/alliances/{self.alliance.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.enterprise_a.name)
        self.assertContains(page, f"/enterprises/{self.enterprise_a.pk}/")
        self.assertNotContains(page, self.neighbour.name)
        self.assertNotContains(page, f"/enterprises/{self.neighbour.pk}/")
        self.assertNotContains(page, f"/enterprises/{self.university.pk}/")
        self.assertContains(page, "浙江运河职业技术学院")
        self.assertContains(page, "另有1家其他街道的成员单位")
        listed = self.client.get("/alliances/")
        self.assertEqual(listed.context["page"][0].member_total, 2)

    def test_the_search_does_not_reveal_other_streets_members(self) -> None:
        self.client.force_login(self.liaison)
        found = self.client.get("/api/v1/alliances/?q=湖墅精密").json()
        self.assertEqual(found["count"], 0)
        self.client.force_login(self.officer)
        found = self.client.get("/api/v1/alliances/?q=湖墅精密").json()
        self.assertEqual(found["count"], 1)

    def test_the_export_leaves_them_out_too(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/alliances/?export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        values = [c.value for c in sheet[2]]
        text = " ".join(str(v) for v in values if v is not None)
        self.assertIn(self.enterprise_a.credit_code, text)
        self.assertNotIn(self.neighbour.credit_code, text)
        self.assertNotIn(self.neighbour.name, text)
        self.assertNotIn(self.university.credit_code, text)
        self.assertEqual(values[8], 3)  # the lead and both members
