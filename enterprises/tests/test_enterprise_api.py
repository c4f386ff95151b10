from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import Certification, Enterprise, Tier
from enterprises.tests.factories import EnterpriseFactory, award
from enterprises.validators import credit_code_for_serial


class EnterpriseApiTests(CastTestCase):
    url = "/api/v1/enterprises/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hnte = Tier.objects.get(code="hnte")
        cls.sme = Tier.objects.get(code="tech_sme")
        today = timezone.localdate()
        award(cls.enterprise_a, cls.sme, today.replace(month=1, day=1))
        award(
            cls.enterprise_a, cls.hnte, today - timedelta(days=900), year=today.year - 2
        )

    def test_staff_create_with_just_code_name_and_street(self) -> None:
        self.client.force_login(self.officer)
        code = credit_code_for_serial(424242)
        response = self.post_json(
            self.url,
            {
                "credit_code": code.lower(),
                "name": "杭州新创科技有限公司",
                "org_unit": "330105002",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["credit_code"], code)
        self.assertEqual(body["org_unit"], "330105002")
        self.assertIsNone(body["current_tier"])
        self.assertTrue(
            AuditEvent.objects.filter(
                action="enterprise.create", object_id=str(body["id"])
            ).exists()
        )

    def test_a_bad_credit_code_is_a_400_saying_what_is_wrong(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            self.url,
            {"credit_code": "91330106673959654Q", "name": "x", "org_unit": "330105001"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("credit_code", response.json()["errors"])
        self.assertIn("校验码", response.json()["errors"]["credit_code"][0])
        self.assertFalse(Enterprise.objects.filter(name="x").exists())

    def test_a_duplicate_code_is_refused(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            self.url,
            {
                "credit_code": self.enterprise_a.credit_code,
                "name": "y",
                "org_unit": "330105001",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("已存在", response.json()["errors"]["credit_code"][0])

    def test_only_staff_create(self) -> None:
        for user in (self.leader, self.liaison, self.ent_user, self.expert, self.admin):
            self.client.force_login(user)
            response = self.post_json(
                self.url,
                {
                    "credit_code": credit_code_for_serial(7),
                    "name": "z",
                    "org_unit": "330105001",
                },
            )
            self.assertEqual(response.status_code, 403, user.role)

    def test_the_current_tier_is_the_highest_in_force(self) -> None:
        self.client.force_login(self.officer)
        body = self.client.get(f"{self.url}{self.enterprise_a.pk}/").json()
        self.assertEqual(body["current_tier"], "hnte")
        self.assertEqual(body["current_tier_name"], "国家高新技术企业")
        cert = Certification.objects.get(enterprise=self.enterprise_a, tier=self.hnte)
        self.assertEqual(
            cert.expires_on,
            cert.issued_on.replace(year=cert.issued_on.year + 3) - timedelta(days=1),
        )

    def test_scoping_another_enterprise_is_404(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.client.get(f"{self.url}{self.enterprise_b.pk}/").status_code, 404
        )
        self.assertEqual(
            self.client.get(f"{self.url}{self.enterprise_a.pk}/").status_code, 200
        )
        listed = self.client.get(self.url).json()
        self.assertEqual([e["id"] for e in listed["results"]], [self.enterprise_a.pk])
        patch = self.patch_json(
            f"{self.url}{self.enterprise_b.pk}/", {"contact_name": "x"}
        )
        self.assertEqual(patch.status_code, 404)

    def test_a_liaison_sees_only_their_street(self) -> None:
        self.client.force_login(self.liaison)  # street A
        listed = self.client.get(self.url).json()
        self.assertEqual({e["org_unit"] for e in listed["results"]}, {"330105001"})
        self.assertEqual(
            self.client.get(f"{self.url}{self.enterprise_b.pk}/").status_code, 404
        )

    def test_experts_and_admins_see_no_enterprise(self) -> None:
        # The list is refused as the page refuses it (it was an empty 200).
        for user in (self.expert, self.admin, self.auditor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.get("/enterprises/").status_code, 403)
            self.assertEqual(
                self.client.get(f"{self.url}{self.enterprise_a.pk}/").status_code, 404
            )

    def test_an_enterprise_edits_its_contacts_but_not_its_code(self) -> None:
        self.client.force_login(self.ent_user)
        url = f"{self.url}{self.enterprise_a.pk}/"
        ok = self.patch_json(url, {"contact_phone": "0571-88888888"})
        self.assertEqual(ok.status_code, 200)
        # Stored (SM4-encrypted) as typed; answered masked, as everywhere.
        self.assertEqual(ok.json()["contact_phone"], "057******8888")
        self.enterprise_a.refresh_from_db()
        self.assertEqual(self.enterprise_a.contact_phone, "0571-88888888")
        refused = self.patch_json(url, {"name": "改名"})
        self.assertEqual(refused.status_code, 403)
        self.client.force_login(self.leader)
        self.assertEqual(
            self.patch_json(url, {"contact_phone": "1"}).status_code,
            403,
        )

    def test_a_liaison_may_not_rename_recode_or_move_an_enterprise(self) -> None:
        self.client.force_login(self.liaison)
        url = f"{self.url}{self.enterprise_a.pk}/"
        for field, value in (
            ("name", "改名"),
            ("credit_code", self.enterprise_b.credit_code),
            ("org_unit", self.street_b.code),
        ):
            with self.subTest(field=field):
                refused = self.patch_json(url, {field: value})
                self.assertEqual(refused.status_code, 403)
                self.assertIn(field, refused.json()["detail"])
        self.enterprise_a.refresh_from_db()
        self.assertEqual(self.enterprise_a.org_unit, self.street_a)
        ok = self.patch_json(
            url, {"contact_phone": "0571-88888888", "industry_section": "C"}
        )
        self.assertEqual(ok.status_code, 200)
        self.assertEqual(ok.json()["industry_section"], "C")

    def test_filters(self) -> None:
        self.client.force_login(self.officer)
        EnterpriseFactory(
            org_unit=self.street_b,
            name="杭州湖墅数据服务有限公司",
            high_tech_field="services",
            is_above_scale=True,
        )
        cases = {
            "?tier=hnte": {self.enterprise_a.pk},
            "?tier=none&org_unit=330105001": set(),
            "?org_unit=330105002&high_tech_field=services": None,
            "?is_above_scale=true": None,
            "?q=湖墅数据": None,
            f"?q={self.enterprise_b.credit_code.lower()}": {self.enterprise_b.pk},
            "?expiring_within=400": {self.enterprise_a.pk},
            "?expiring_within=10": set(),
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                response = self.client.get(self.url + query)
                self.assertEqual(response.status_code, 200)
                ids = {e["id"] for e in response.json()["results"]}
                if expected is None:
                    self.assertEqual(len(ids), 1)
                else:
                    self.assertEqual(ids, expected)
        self.assertEqual(
            self.client.get(self.url + "?high_tech_field=magic").status_code, 400
        )

    def test_the_list_has_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.officer)
        # session, user, count, one page with the tier annotated
        with self.assertNumQueries(4):
            self.client.get(self.url + "?page_size=200")
        for _ in range(30):
            e = EnterpriseFactory(org_unit=self.street_a)
            award(e, self.sme, date(2025, 1, 1))
        with self.assertNumQueries(4):
            response = self.client.get(self.url + "?page_size=200")
        self.assertEqual(response.json()["count"], 32)
        with self.assertNumQueries(3):  # session, user, the row
            self.client.get(f"{self.url}{self.enterprise_a.pk}/")


class CertificationApiTests(CastTestCase):
    def test_staff_record_and_revoke_and_the_year_bar_holds(self) -> None:
        self.client.force_login(self.officer)
        url = f"/api/v1/enterprises/{self.enterprise_b.pk}/certifications/"
        response = self.post_json(
            url,
            {
                "tier": "hnte",
                "year": 2024,
                "issued_on": "2024-12-01",
                "number": "GR202433001234",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["expires_on"], "2027-11-30")
        cert_id = response.json()["id"]
        revoke = self.post_json(
            f"{url}{cert_id}/revoke/",
            {"reason": "两次未报年报", "revoked_on": "2026-06-01"},
        )
        self.assertEqual(revoke.json()["status"], "revoked")
        again = self.post_json(
            url, {"tier": "hnte", "year": 2026, "issued_on": "2026-12-01"}
        )
        self.assertEqual(again.status_code, 409)
        self.assertEqual(again.json()["code"], "revoked_this_year")

    def test_district_tier_needs_an_echelon(self) -> None:
        self.client.force_login(self.head)
        url = f"/api/v1/enterprises/{self.enterprise_b.pk}/certifications/"
        response = self.post_json(
            url, {"tier": "xuri", "year": 2025, "issued_on": "2025-03-01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("echelon", response.json()["errors"])

    def test_enterprise_users_cannot_award_themselves(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.post_json(
            f"/api/v1/enterprises/{self.enterprise_a.pk}/certifications/",
            {"tier": "hnte", "year": 2025, "issued_on": "2025-01-01"},
        )
        self.assertEqual(response.status_code, 403)
