"""Organisation types on the registry: a university or an institute is
registered as itself, never pre-checked nor put on the ladder; the list,
the API, the roster and self-registration carry the type."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from bureau.lib.exceptions import ApplicationError
from bureau.tests.base import CastTestCase
from enterprises.models import CarrierType, Enterprise, InstitutionType, Tier
from enterprises.selectors import enterprise_next_tier_assessment
from enterprises.services import (
    certification_create,
    eligibility_snapshots_refresh,
    registration_approve,
    registration_submit,
    roster_import,
)
from enterprises.services.roster import RosterImportError
from enterprises.tests.factories import EnterpriseFactory
from enterprises.tests.test_roster import HEADERS, code, roster_file


class OrganisationKindTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.university = EnterpriseFactory(
            name="浙江运河职业技术学院",
            kind=Enterprise.Kind.UNIVERSITY,
            org_unit=cls.street_a,
        )

    def test_the_default_kind_is_enterprise(self) -> None:
        self.assertEqual(self.enterprise_a.kind, Enterprise.Kind.ENTERPRISE)
        self.assertIs(self.enterprise_a.is_enterprise, True)
        self.assertIs(self.university.is_enterprise, False)

    def test_a_university_is_never_pre_checked(self) -> None:
        self.assertIsNone(enterprise_next_tier_assessment(enterprise=self.university))
        self.assertIsNotNone(
            enterprise_next_tier_assessment(enterprise=self.enterprise_a)
        )

    def test_a_universitys_page_hides_the_pre_check_and_the_ladder(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get(f"/enterprises/{self.university.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "晋级预审")
        self.assertNotContains(page, "梯队认定记录")
        self.assertContains(page, "高等院校")
        ours = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(ours, "梯队认定记录")

    def test_a_university_cannot_be_awarded_a_tier(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            certification_create(
                by=self.officer,
                enterprise=self.university,
                tier=Tier.objects.get(code=Tier.HNTE),
                year=2025,
                issued_on=date(2025, 12, 1),
            )
        self.assertEqual(raised.exception.code, "not_an_enterprise")
        self.client.force_login(self.officer)
        answer = self.post_json(
            f"/api/v1/enterprises/{self.university.pk}/certifications/",
            {"tier": "hnte", "year": 2025, "issued_on": "2025-12-01"},
        )
        self.assertEqual(answer.status_code, 409, answer.content)
        self.assertFalse(self.university.certifications.exists())

    def test_snapshots_skip_non_enterprises(self) -> None:
        eligibility_snapshots_refresh(today=date(2026, 6, 1))
        from enterprises.models import EligibilitySnapshot

        self.assertFalse(
            EligibilitySnapshot.objects.filter(enterprise=self.university).exists()
        )

    def test_the_registry_page_and_api_filter_by_kind(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get("/enterprises/?kind=university")
        self.assertEqual([e.pk for e in page.context["page"]], [self.university.pk])
        everyone = self.client.get("/enterprises/")
        self.assertEqual(everyone.context["page"].paginator.count, 3)
        api = self.client.get("/api/v1/enterprises/?kind=university").json()
        self.assertEqual([row["id"] for row in api["results"]], [self.university.pk])
        self.assertEqual(api["results"][0]["kind"], "university")
        unfiltered = self.client.get("/api/v1/enterprises/").json()
        self.assertEqual(unfiltered["count"], 3)
        self.assertEqual(
            self.client.get("/api/v1/enterprises/?kind=castle").status_code, 400
        )

    def test_a_university_is_not_chased_for_quarterly_reports(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get("/enterprises/?not_filed=2025Q4")
        ids = [e.pk for e in page.context["page"]]
        self.assertIn(self.enterprise_a.pk, ids)
        self.assertNotIn(self.university.pk, ids)

    def test_staff_register_an_institute_through_the_api(self) -> None:
        self.client.force_login(self.officer)
        answer = self.post_json(
            "/api/v1/enterprises/",
            {
                "credit_code": code(77),
                "name": "杭州市智能制造研究院",
                "org_unit": "330105001",
                "kind": "institute",
            },
        )
        self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(answer.json()["kind"], "institute")
        plain = self.post_json(
            "/api/v1/enterprises/",
            {"credit_code": code(78), "name": "杭州某公司", "org_unit": "330105001"},
        )
        self.assertEqual(plain.json()["kind"], "enterprise")

    def test_the_export_writes_the_kind_in_chinese(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get("/enterprises/?kind=university&export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[
            0
        ]
        header, *rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 1)
        self.assertEqual(
            dict(zip(header, rows[0], strict=True))["单位类型"], "高等院校"
        )

    def test_a_liaison_may_not_change_the_kind(self) -> None:
        self.client.force_login(self.liaison)
        answer = self.patch_json(
            f"/api/v1/enterprises/{self.enterprise_a.pk}/", {"kind": "university"}
        )
        self.assertEqual(answer.status_code, 403)
        self.enterprise_a.refresh_from_db()
        self.assertEqual(self.enterprise_a.kind, "enterprise")


class RosterKindTests(CastTestCase):
    def test_the_roster_sets_the_kind_and_leaves_it_when_blank(self) -> None:
        roster_import(
            file=roster_file(
                {
                    "统一社会信用代码": code(1),
                    "企业名称": "杭州半山果蔬专业合作社",
                    "街道/园区代码": "330105001",
                    "单位类型": "农民专业合作社",
                },
                {
                    "统一社会信用代码": code(2),
                    "企业名称": "杭州某科技有限公司",
                    "街道/园区代码": "330105001",
                },
            ),
            by=self.officer,
        )
        kinds = dict(
            Enterprise.objects.filter(credit_code__in=[code(1), code(2)]).values_list(
                "credit_code", "kind"
            )
        )
        self.assertEqual(kinds, {code(1): "cooperative", code(2): "enterprise"})
        # Updating without the column keeps the type.
        roster_import(
            file=roster_file(
                {
                    "统一社会信用代码": code(1),
                    "企业名称": "杭州半山果蔬专业合作社",
                    "街道/园区代码": "330105002",
                },
                headers=[h for h in HEADERS if h != "单位类型"],
            ),
            by=self.officer,
        )
        self.assertEqual(
            Enterprise.objects.get(credit_code=code(1)).kind, "cooperative"
        )

    def test_an_unknown_kind_is_named_by_row_and_column(self) -> None:
        with self.assertRaises(RosterImportError) as raised:
            roster_import(
                file=roster_file(
                    {
                        "统一社会信用代码": code(3),
                        "企业名称": "某单位",
                        "街道/园区代码": "330105001",
                        "单位类型": "城堡",
                    }
                ),
                by=self.officer,
            )
        [error] = raised.exception.errors
        self.assertEqual((error.row, error.column), (2, "单位类型"))
        self.assertIn("不是单位类型", error.message)
        self.assertFalse(Enterprise.objects.filter(credit_code=code(3)).exists())


class RegistrationKindTests(CastTestCase):
    def test_a_hospital_registers_as_itself(self) -> None:
        registration = registration_submit(
            credit_code=code(9),
            enterprise_name="杭州市拱墅区人民医院",
            kind=Enterprise.Kind.HOSPITAL,
            org_unit=self.street_a,
            contact_name="张联系",
            contact_mobile="13900139000",
            username="hospital",
            password="Qiye#Zhuce-2026",
        )
        registration_approve(registration=registration, by=self.officer)
        self.assertEqual(Enterprise.objects.get(credit_code=code(9)).kind, "hospital")

    def test_the_registration_page_offers_the_type(self) -> None:
        page = self.client.get("/register/")
        self.assertContains(page, 'name="kind"')
        self.assertContains(page, "科研院所")


class TypesAsDataTests(CastTestCase):
    def test_the_migration_converted_the_choices_and_seeded_the_new_types(
        self,
    ) -> None:
        institution_types = set(InstitutionType.objects.values_list("code", flat=True))
        self.assertLessEqual(
            {"rd_centre", "institute", "key_lab", "eng_centre"}, institution_types
        )
        names = set(InstitutionType.objects.values_list("name", flat=True))
        self.assertLessEqual({"新型研发机构", "院士专家工作站"}, names)
        carrier_names = set(CarrierType.objects.values_list("name", flat=True))
        self.assertLessEqual(
            {"科技企业孵化器", "众创空间", "星创天地", "产业创新服务综合体"},
            carrier_names,
        )

    def test_an_institution_may_be_hosted_by_a_university(self) -> None:
        university = EnterpriseFactory(
            kind=Enterprise.Kind.UNIVERSITY, org_unit=self.street_a
        )
        self.client.force_login(self.officer)
        answer = self.post_json(
            f"/api/v1/enterprises/{university.pk}/rd-institutions/",
            {
                "name": "智能装备院士专家工作站",
                "kind": "academician_ws",
                "level": "municipal",
                "recognised_on": "2025-09-20",
            },
        )
        self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(answer.json()["kind_name"], "院士专家工作站")
