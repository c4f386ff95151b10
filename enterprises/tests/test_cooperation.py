"""Cooperation agreements, their follow-up visits, alliances: the rules of
the services, scoping of pages and API, imports and the summary figures."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import (
    Agreement,
    Alliance,
    Enterprise,
    InstitutionType,
    RDInstitution,
)
from enterprises.selectors import cooperation_figures
from enterprises.services import (
    CooperationImportError,
    agreement_save,
    agreements_import,
    alliance_save,
    alliances_import,
    cooperation_visit_record,
)
from enterprises.tests.factories import EnterpriseFactory


def workbook(headers: list[str], *rows: dict[str, Any]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


AGREEMENT_HEADERS = [
    "协议名称",
    "合作类型",
    "区政府/科技局为签约方",
    "区内签约单位信用代码",
    "合作院校/院所",
    "签订日期",
    "到期日期",
    "合作内容",
    "联系人",
    "联系电话",
]
ALLIANCE_HEADERS = [
    "名称",
    "类型",
    "级别",
    "牵头单位信用代码",
    "成员单位信用代码",
    "区外成员",
    "成立日期",
    "领域",
]


class CooperationCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.university = EnterpriseFactory(
            name="浙江运河职业技术学院",
            kind=Enterprise.Kind.UNIVERSITY,
            org_unit=cls.street_b,
        )

    def agreement(self, **changes: Any) -> Agreement:
        parties = changes.pop("parties", [self.enterprise_a])
        fields: dict[str, Any] = {
            "kind": Agreement.Kind.UNIVERSITY_ENTERPRISE,
            "title": "智能制造产学研合作协议",
            "partner": self.university,
            "signed_on": date(2025, 3, 10),
            "term_ends_on": date(2028, 3, 9),
        }
        fields.update(changes)
        return agreement_save(
            agreement=Agreement(**fields), by=self.officer, parties=parties
        )


class AgreementServiceTests(CooperationCase):
    def test_it_records_an_agreement_and_audits_it(self) -> None:
        agreement = self.agreement()
        self.assertEqual(list(agreement.parties.all()), [self.enterprise_a])
        self.assertEqual(agreement.partner_display, "浙江运河职业技术学院")
        event = AuditEvent.objects.get(action="agreement.create")
        self.assertEqual(event.object_repr, "智能制造产学研合作协议")
        self.assertEqual(event.actor, self.officer)

    def test_it_needs_a_party_on_our_side(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.agreement(parties=[])
        self.assertIn("parties", raised.exception.message_dict)
        # The district signing alone is enough.
        agreement = self.agreement(parties=[], district_is_party=True)
        self.assertIs(agreement.district_is_party, True)

    def test_the_partner_is_a_university_or_institute(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.agreement(partner=self.enterprise_b)
        self.assertIn("partner", raised.exception.message_dict)

    def test_the_partner_is_chosen_or_named_not_both(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.agreement(partner=None)
        self.assertIn("partner_name", raised.exception.message_dict)
        with self.assertRaises(ValidationError):
            self.agreement(partner_name="浙江大学")
        outside = self.agreement(partner=None, partner_name="浙江大学")
        self.assertEqual(outside.partner_display, "浙江大学")

    def test_the_term_cannot_end_before_signing(self) -> None:
        with self.assertRaises(ValidationError):
            self.agreement(term_ends_on=date(2025, 3, 1))

    def test_a_visit_is_between_signing_and_today(self) -> None:
        agreement = self.agreement()
        with self.assertRaises(ValidationError):
            cooperation_visit_record(
                agreement=agreement,
                by=self.officer,
                visited_on=date(2025, 3, 1),
                visitors="产学研科",
            )
        with self.assertRaises(ValidationError):
            cooperation_visit_record(
                agreement=agreement,
                by=self.officer,
                visited_on=timezone.localdate() + timedelta(days=1),
                visitors="产学研科",
            )
        visit = cooperation_visit_record(
            agreement=agreement,
            by=self.officer,
            visited_on=date(2025, 3, 10),
            visitors="产学研科",
            projects=2,
        )
        self.assertEqual(visit.projects, 2)
        self.assertTrue(AuditEvent.objects.filter(action="cooperation_visit.record"))


class AgreementPageTests(CooperationCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ours = agreement_save(
            agreement=Agreement(
                kind=Agreement.Kind.UNIVERSITY_ENTERPRISE,
                title="米市巷产学研协议",
                partner_name="浙江大学",
                signed_on=date(2025, 3, 10),
            ),
            by=cls.officer,
            parties=[cls.enterprise_a],
        )
        cls.theirs = agreement_save(
            agreement=Agreement(
                kind=Agreement.Kind.UNIVERSITY_ENTERPRISE,
                title="湖墅产学研协议",
                partner_name="浙江大学",
                signed_on=date(2024, 3, 10),
            ),
            by=cls.officer,
            parties=[cls.enterprise_b],
        )

    def test_a_liaison_sees_only_their_streets_agreements(self) -> None:
        self.client.force_login(self.liaison)
        page = self.client.get("/cooperation/")
        self.assertEqual([a.pk for a in page.context["page"]], [self.ours.pk])
        self.assertEqual(
            self.client.get(f"/cooperation/{self.theirs.pk}/").status_code, 404
        )
        self.assertEqual(
            self.client.get(
                f"/api/v1/cooperations/{self.theirs.pk}/visits/"
            ).status_code,
            404,
        )
        api = self.client.get("/api/v1/cooperations/").json()
        self.assertEqual([row["id"] for row in api["results"]], [self.ours.pk])

    def test_a_liaison_and_the_leader_may_not_record(self) -> None:
        for user in (self.liaison, self.leader):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/cooperation/new/").status_code, 403)
            self.assertEqual(
                self.client.post(
                    f"/cooperation/{self.ours.pk}/visits/add/", {}
                ).status_code,
                403,
            )
            self.assertEqual(
                self.post_json("/api/v1/cooperations/", {}).status_code, 403
            )

    def test_an_enterprise_user_has_no_cooperation_pages(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/cooperation/").status_code, 403)
        self.assertEqual(self.client.get("/api/v1/cooperations/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/cooperation/{self.ours.pk}/").status_code, 404
        )

    def test_an_organisations_page_lists_its_agreements_for_readers_only(
        self,
    ) -> None:
        link = f'href="/cooperation/{self.ours.pk}/"'
        self.client.force_login(self.officer)
        self.assertContains(
            self.client.get(f"/enterprises/{self.enterprise_a.pk}/"), link
        )
        # The enterprise itself sees its page but has no cooperation pages.
        self.client.force_login(self.ent_user)
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, link)

    def test_the_list_filters_and_searches(self) -> None:
        self.client.force_login(self.officer)
        by_year = self.client.get("/cooperation/?year=2024")
        self.assertEqual([a.pk for a in by_year.context["page"]], [self.theirs.pk])
        by_name = self.client.get("/cooperation/", {"q": self.enterprise_a.name})
        self.assertEqual([a.pk for a in by_name.context["page"]], [self.ours.pk])
        by_street = self.client.get("/api/v1/cooperations/?org_unit=330105002").json()
        self.assertEqual([r["id"] for r in by_street["results"]], [self.theirs.pk])

    def test_staff_create_one_through_the_form(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/cooperation/new/",
            {
                "kind": "univ_district",
                "title": "区校全面战略合作框架协议",
                "district_is_party": "on",
                "partner": self.university.pk,
                "partner_name": "",
                "signed_on": "2025-05-20",
                "term_ends_on": "2030-05-19",
                "content": "共建研究院",
                "parties-TOTAL_FORMS": "3",
                "parties-INITIAL_FORMS": "0",
                "parties-0-organisation": str(self.enterprise_b.pk),
                "parties-1-organisation": "",
                "parties-2-organisation": "",
            },
        )
        created = Agreement.objects.get(title="区校全面战略合作框架协议")
        self.assertRedirects(response, f"/cooperation/{created.pk}/")
        self.assertEqual(list(created.parties.all()), [self.enterprise_b])

    def test_a_refused_form_keeps_what_was_typed(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/cooperation/new/",
            {
                "kind": "univ_enterprise",
                "title": "无签约方的协议",
                "partner_name": "浙江大学",
                "signed_on": "2025-05-20",
                "parties-TOTAL_FORMS": "3",
                "parties-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "无签约方的协议")
        self.assertContains(response, "请填写区内签约单位")
        self.assertFalse(Agreement.objects.filter(title="无签约方的协议").exists())

    def test_a_visit_is_recorded_from_the_page(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            f"/cooperation/{self.ours.pk}/visits/add/",
            {
                "visited_on": "2025-06-01",
                "visitors": "产学研科 王科长",
                "outcome": "签订技术开发合同",
                "projects": "1",
                "platforms": "0",
                "talents": "2",
                "achievements": "0",
            },
        )
        self.assertRedirects(response, f"/cooperation/{self.ours.pk}/")
        self.assertEqual(self.ours.visits.get().talents, 2)
        early = self.client.post(
            f"/cooperation/{self.ours.pk}/visits/add/",
            {
                "visited_on": "2025-01-01",
                "visitors": "产学研科",
                "projects": "0",
                "platforms": "0",
                "talents": "0",
                "achievements": "0",
            },
        )
        self.assertEqual(early.status_code, 400)
        self.assertContains(early, "回访日期早于协议签订日期", status_code=400)

    def test_the_api_creates_and_refuses(self) -> None:
        self.client.force_login(self.officer)
        answer = self.post_json(
            "/api/v1/cooperations/",
            {
                "kind": "inst_district",
                "title": "院地合作协议",
                "district_is_party": True,
                "partner_name": "中科院某研究所",
                "signed_on": "2025-08-01",
            },
        )
        self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(answer.json()["partner_display"], "中科院某研究所")
        bad = self.post_json(
            "/api/v1/cooperations/",
            {
                "kind": "inst_district",
                "title": "缺签约方",
                "partner_name": "某所",
                "signed_on": "2025-08-01",
            },
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("parties", str(bad.json()))

    def test_the_export_lists_what_the_page_lists(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/cooperation/?export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[
            0
        ]
        header, *rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(header[0], "协议名称")
        self.assertEqual([row[0] for row in rows], ["米市巷产学研协议"])

    def test_the_list_and_api_run_a_fixed_number_of_queries(self) -> None:
        for n in range(5):
            agreement_save(
                agreement=Agreement(
                    kind=Agreement.Kind.UNIVERSITY_ENTERPRISE,
                    title=f"协议{n}",
                    partner_name="浙江大学",
                    signed_on=date(2025, 4, 1),
                ),
                by=self.officer,
                parties=[self.enterprise_a, self.enterprise_b],
            )
        self.client.force_login(self.officer)
        # Session and user; the filter form's streets; count; the page of
        # agreements with their visit counts; its parties; its platforms.
        with self.assertNumQueries(7):
            self.client.get("/cooperation/")
        # Session and user; count; the page; parties; platforms.
        with self.assertNumQueries(6):
            self.client.get("/api/v1/cooperations/")


class AgreementImportTests(CooperationCase):
    def test_it_reports_every_bad_cell_and_writes_nothing(self) -> None:
        file = workbook(
            AGREEMENT_HEADERS,
            {
                "协议名称": "好协议",
                "合作类型": "校企合作",
                "区内签约单位信用代码": self.enterprise_a.credit_code,
                "合作院校/院所": "浙江大学",
                "签订日期": "2025-03-01",
            },
            {
                "协议名称": "坏协议",
                "合作类型": "联谊",
                "区内签约单位信用代码": "91330105XXXXXXXXXX",
                "合作院校/院所": "浙江大学",
                "签订日期": "2025年13月1日",
            },
        )
        with self.assertRaises(CooperationImportError) as raised:
            agreements_import(file=file, by=self.officer)
        where = {(e.row, e.column) for e in raised.exception.errors}
        self.assertEqual(
            where, {(3, "合作类型"), (3, "区内签约单位信用代码"), (3, "签订日期")}
        )
        self.assertFalse(Agreement.objects.exists())

    def test_it_imports_and_matches_the_registered_partner(self) -> None:
        file = workbook(
            AGREEMENT_HEADERS,
            {
                "协议名称": "区校合作协议",
                "合作类型": "校地合作",
                "区政府/科技局为签约方": "是",
                "合作院校/院所": "浙江运河职业技术学院",
                "签订日期": "2025-03-01",
                "到期日期": "2030-02-28",
            },
        )
        result = agreements_import(file=file, by=self.officer)
        self.assertEqual((result.created, result.updated), (1, 0))
        agreement = Agreement.objects.get()
        self.assertEqual(agreement.partner, self.university)
        self.assertIs(agreement.district_is_party, True)
        self.assertTrue(AuditEvent.objects.filter(action="agreement.import").exists())
        # Importing the same again updates it.
        file.seek(0)
        again = agreements_import(file=file, by=self.officer)
        self.assertEqual((again.created, again.updated), (0, 1))

    def test_a_service_rule_is_reported_on_its_row(self) -> None:
        file = workbook(
            AGREEMENT_HEADERS,
            {
                "协议名称": "无签约方",
                "合作类型": "校企合作",
                "合作院校/院所": "浙江大学",
                "签订日期": "2025-03-01",
            },
        )
        with self.assertRaises(CooperationImportError) as raised:
            agreements_import(file=file, by=self.officer)
        [error] = raised.exception.errors
        self.assertEqual((error.row, error.column), (2, "区内签约单位信用代码"))
        self.assertFalse(Agreement.objects.exists())

    def test_the_page_shows_the_errors(self) -> None:
        self.client.force_login(self.officer)
        file = workbook(AGREEMENT_HEADERS, {"协议名称": "缺东西"})
        file.name = "agreements.xlsx"  # type: ignore[attr-defined]
        response = self.client.post("/cooperation/import/", {"file": file})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "合作类型")
        self.assertContains(response, "必须填写")
        template = self.client.get("/cooperation/import/template/")
        headers = [
            c.value
            for c in load_workbook(io.BytesIO(template.content)).worksheets[0][1]
        ]
        self.assertEqual(headers, AGREEMENT_HEADERS)


class AllianceTests(CooperationCase):
    def test_the_lead_is_not_repeated_among_members(self) -> None:
        alliance = alliance_save(
            alliance=Alliance(
                kind=Alliance.Kind.CONSORTIUM,
                name="运河数字安防创新联合体",
                lead=self.university,
                level="municipal",
                founded_on=date(2025, 9, 1),
            ),
            by=self.officer,
            members=[self.university, self.enterprise_a],
        )
        self.assertEqual(list(alliance.members.all()), [self.enterprise_a])

    def test_a_liaison_sees_alliances_with_a_member_of_their_street(self) -> None:
        mine = alliance_save(
            alliance=Alliance(
                kind=Alliance.Kind.ALLIANCE,
                name="甲联盟",
                lead=self.university,
                level="district",
                founded_on=date(2025, 9, 1),
            ),
            by=self.officer,
            members=[self.enterprise_a],
        )
        other = alliance_save(
            alliance=Alliance(
                kind=Alliance.Kind.ALLIANCE,
                name="乙联盟",
                lead=self.university,
                level="district",
                founded_on=date(2025, 9, 1),
            ),
            by=self.officer,
            members=[self.enterprise_b],
        )
        self.client.force_login(self.liaison)
        page = self.client.get("/alliances/")
        self.assertEqual([a.pk for a in page.context["page"]], [mine.pk])
        self.assertEqual(self.client.get(f"/alliances/{other.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/alliances/{mine.pk}/").status_code, 200)
        self.assertEqual(
            self.client.get(f"/alliances/{mine.pk}/edit/").status_code, 403
        )

    def test_the_api_creates_one_and_refuses_a_duplicate_name(self) -> None:
        self.client.force_login(self.officer)
        payload = {
            "kind": "consortium",
            "name": "生物医药协同创新联合体",
            "level": "provincial",
            "lead": self.university.pk,
            "members": [self.enterprise_a.pk, self.enterprise_b.pk],
            "outside_members": ["浙江中医药大学"],
            "founded_on": "2025-06-18",
        }
        answer = self.post_json("/api/v1/alliances/", payload)
        self.assertEqual(answer.status_code, 201, answer.content)
        body = answer.json()
        self.assertEqual(len(body["members"]), 2)
        self.assertEqual(body["outside_members"], ["浙江中医药大学"])
        again = self.post_json("/api/v1/alliances/", payload)
        self.assertEqual(again.status_code, 400)

    def test_the_import_checks_codes_and_levels(self) -> None:
        bad = workbook(
            ALLIANCE_HEADERS,
            {
                "名称": "某联盟",
                "类型": "创新联合体",
                "级别": "宇宙",
                "牵头单位信用代码": "91330105XXXXXXXXXX",
                "成立日期": "2025-09-01",
            },
        )
        with self.assertRaises(CooperationImportError) as raised:
            alliances_import(file=bad, by=self.officer)
        self.assertEqual(
            {(e.row, e.column) for e in raised.exception.errors},
            {(2, "级别"), (2, "牵头单位信用代码")},
        )
        good = workbook(
            ALLIANCE_HEADERS,
            {
                "名称": "某联盟",
                "类型": "产业技术创新联盟",
                "级别": "市",
                "牵头单位信用代码": self.university.credit_code,
                "成员单位信用代码": f"{self.enterprise_a.credit_code}、"
                f"{self.enterprise_b.credit_code}",
                "区外成员": "浙江大学",
                "成立日期": "2025-09-01",
            },
        )
        result = alliances_import(file=good, by=self.officer)
        self.assertEqual(result.created, 1)
        alliance = Alliance.objects.get()
        self.assertEqual(alliance.level, "municipal")
        self.assertEqual(alliance.members.count(), 2)


class CooperationFiguresTests(CooperationCase):
    def test_it_counts_what_a_summary_prints(self) -> None:
        institute = InstitutionType.objects.get(code="co_built")
        platform = RDInstitution.objects.create(
            enterprise=self.university,
            name="运河数字经济研究院",
            type=institute,
            level="district",
            recognised_on=date(2025, 10, 1),
        )
        signed = self.agreement()
        signed.platforms.add(platform)
        self.agreement(title="旧协议", signed_on=date(2023, 3, 1), term_ends_on=None)
        self.agreement(
            title="已到期", signed_on=date(2022, 3, 1), term_ends_on=date(2024, 3, 1)
        )
        cooperation_visit_record(
            agreement=signed,
            by=self.officer,
            visited_on=date(2025, 6, 1),
            visitors="产学研科",
            projects=2,
            talents=3,
        )
        alliance_save(
            alliance=Alliance(
                kind=Alliance.Kind.CONSORTIUM,
                name="创新联合体甲",
                lead=self.university,
                level="municipal",
                founded_on=date(2025, 9, 1),
            ),
            by=self.officer,
        )
        alliance_save(
            alliance=Alliance(
                kind=Alliance.Kind.ALLIANCE,
                name="联盟乙",
                lead=self.university,
                level="district",
                founded_on=date(2024, 9, 1),
            ),
            by=self.officer,
        )
        figures = cooperation_figures(2025)
        self.assertEqual(figures["agreements_signed"], 1)
        self.assertEqual(figures["agreements_signed_by_kind"], {"univ_enterprise": 1})
        self.assertEqual(figures["agreements_in_force"], 2)
        self.assertEqual(figures["follow_up_visits"], 1)
        self.assertEqual(figures["visit_outputs"]["projects"], 2)
        self.assertEqual(figures["visit_outputs"]["talents"], 3)
        self.assertEqual(figures["platforms_co_built"], 1)
        self.assertEqual(figures["alliances_founded"], 1)
        self.assertEqual(figures["alliances_standing"], 2)
        self.assertEqual(
            figures["alliances_by_kind_level"],
            {"consortium": {"municipal": 1}, "alliance": {"district": 1}},
        )
