"""The pre-check on stored data (ELIGIBILITY_API.md, GET …/eligibility/{tier}/):
passed, failed or pending per condition, with what is missing named; facts
staff record decide what the figures cannot."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import time_machine
from django.test import override_settings

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import (
    EligibilitySnapshot,
    EnterpriseFact,
    FactSubject,
    Tier,
)
from enterprises.selectors import closest_to_qualifying, eligibility_for
from enterprises.services import eligibility_snapshots_refresh, enterprise_fact_record
from enterprises.tests.factories import EnterpriseFactory, award
from enterprises.tests.test_ladder import add_return


def by_code(assessment) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {c["code"]: c for c in assessment.result["conditions"]}


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
class HighTechYearsTests(CastTestCase):
    """§2.2(5) and §2.5: the years the rule requires, from established_on."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hnte = Tier.objects.get(code="hnte")

    def test_founded_2015_with_only_fy2025_is_pending_and_names_the_years(
        self,
    ) -> None:
        self.enterprise_a.founded_on = date(2015, 4, 1)
        self.enterprise_a.save()
        # One return that alone would pass: 300万 / 4000万 = 7.5%.
        add_return(self.enterprise_a, 2025, rd_personnel=Decimal("3000000"))
        assessment = eligibility_for(self.enterprise_a, self.hnte)
        conditions = by_code(assessment)
        rd = conditions["rd_expense_ratio"]
        self.assertEqual(rd["status"], "pending")
        self.assertIsNone(rd["passed"])
        self.assertEqual(rd["missing"], ["2023、2024年度报表"])
        self.assertIn("缺少2023、2024年度报表", rd["message"])
        self.assertEqual(conditions["rd_domestic_share"]["status"], "pending")
        # The transfers are not divided by the one return on file.
        bands = assessment.result["bands"]
        self.assertEqual(bands["tech_transfers"]["status"], "pending")
        self.assertIsNone(bands["tech_transfers"]["band"])
        self.assertEqual(bands["sales_growth"]["status"], "pending")
        # Nothing failed but much is pending: never "all met".
        self.assertIsNone(assessment.eligible)
        self.assertIsNone(assessment.result["eligible"])
        self.assertEqual(assessment.failed, [])

    def test_a_firm_operating_two_years_uses_two_years(self) -> None:
        self.enterprise_a.founded_on = date(2024, 2, 1)
        self.enterprise_a.save()
        add_return(self.enterprise_a, 2024, tech_transfers=3)
        add_return(self.enterprise_a, 2025, tech_transfers=5)
        assessment = eligibility_for(self.enterprise_a, self.hnte)
        rd = by_code(assessment)["rd_expense_ratio"]
        self.assertEqual(rd["status"], "failed")
        # 2 × 190万 / 2 × 4000万 = 4.75%, over 近2年.
        self.assertEqual(rd["actual"], "0.047500")
        self.assertIn("近2年", rd["message"])
        # (3 + 5) / 2 years operated = 4 → band B.
        transfers = assessment.result["bands"]["tech_transfers"]
        self.assertEqual(transfers["average"], "4.000000")
        self.assertEqual(transfers["band"], "B")

    def test_three_years_on_file_decide_and_an_older_gap_does_not_matter(
        self,
    ) -> None:
        self.enterprise_a.founded_on = date(2010, 1, 1)
        self.enterprise_a.save()
        for year in (2022, 2023, 2024, 2025):
            add_return(self.enterprise_a, year, rd_personnel=Decimal("2500000"))
        assessment = eligibility_for(self.enterprise_a, self.hnte)
        rd = by_code(assessment)["rd_expense_ratio"]
        self.assertEqual(rd["status"], "passed")
        self.assertEqual(rd["actual"], "0.072500")  # (250 + 40) / 4000

    def test_a_missing_middle_year_is_named(self) -> None:
        self.enterprise_a.founded_on = date(2012, 1, 1)
        self.enterprise_a.save()
        add_return(self.enterprise_a, 2023)
        add_return(self.enterprise_a, 2025)
        rd = by_code(eligibility_for(self.enterprise_a, self.hnte))["rd_expense_ratio"]
        self.assertEqual(rd["missing"], ["2024年度报表"])

    def test_without_the_last_return_the_last_year_figures_are_pending(self) -> None:
        self.enterprise_a.founded_on = date(2012, 1, 1)
        self.enterprise_a.save()
        add_return(self.enterprise_a, 2024)
        conditions = by_code(eligibility_for(self.enterprise_a, self.hnte))
        for code in ("owns_ip", "tech_staff_ratio", "hightech_income_ratio"):
            with self.subTest(code=code):
                self.assertEqual(conditions[code]["status"], "pending")
                self.assertEqual(conditions[code]["missing"], ["2025年度报表"])
        self.assertEqual(conditions["registered_one_year"]["status"], "passed")

    def test_judgements_are_pending_whatever_the_profile_says(self) -> None:
        self.enterprise_a.founded_on = date(2012, 1, 1)
        self.enterprise_a.high_tech_field = "electronics"
        self.enterprise_a.save()
        add_return(self.enterprise_a, 2025)
        conditions = by_code(eligibility_for(self.enterprise_a, self.hnte))
        for code in ("core_tech_field", "innovation_score", "no_major_incident"):
            with self.subTest(code=code):
                self.assertEqual(conditions[code]["status"], "pending")
                self.assertTrue(conditions[code]["missing"])
                self.assertNotIn("✓", conditions[code]["message"])


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
class FactTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.founded_on = date(2016, 1, 1)
        cls.enterprise_a.save()
        for year in (2023, 2024, 2025):
            add_return(cls.enterprise_a, year, rd_personnel=Decimal("2500000"))
        cls.hnte = Tier.objects.get(code="hnte")
        cls.sme = Tier.objects.get(code="tech_sme")

    def record(self, subject: str, met: bool, on: date, **extra):  # type: ignore[no-untyped-def]
        return enterprise_fact_record(
            enterprise=self.enterprise_a,
            subject=subject,
            met=met,
            checked_on=on,
            source=extra.pop("source", "应急管理局函"),
            by=self.officer,
            **extra,
        )

    def test_a_recorded_fact_decides_the_condition_with_its_evidence(self) -> None:
        self.record(FactSubject.INCIDENTS, True, date(2026, 2, 10))
        self.record(
            FactSubject.CORE_TECH, False, date(2026, 2, 12), source="专家论证意见"
        )
        conditions = by_code(eligibility_for(self.enterprise_a, self.hnte))
        incident = conditions["no_major_incident"]
        self.assertIs(incident["passed"], True)
        self.assertIn("据应急管理局函（2026-02-10）", incident["message"])
        core = conditions["core_tech_field"]
        self.assertIs(core["passed"], False)
        self.assertIn("据专家论证意见（2026-02-12）", core["message"])

    def test_the_latest_check_wins(self) -> None:
        self.record(FactSubject.INCIDENTS, True, date(2025, 12, 1))
        self.record(FactSubject.INCIDENTS, False, date(2026, 2, 1))
        incident = by_code(eligibility_for(self.enterprise_a, self.hnte))[
            "no_major_incident"
        ]
        self.assertIs(incident["passed"], False)

    def test_an_incident_check_expires_after_the_setting(self) -> None:
        self.record(FactSubject.INCIDENTS, True, date(2025, 3, 1))
        # Checked 2025-03-01, valid 365 days: to 2026-03-01 inclusive.
        incident = by_code(eligibility_for(self.enterprise_a, self.hnte))[
            "no_major_incident"
        ]
        self.assertIs(incident["passed"], True)
        later = eligibility_for(self.enterprise_a, self.hnte, on=date(2026, 3, 2))
        self.assertEqual(by_code(later)["no_major_incident"]["status"], "pending")
        with override_settings(ELIGIBILITY_FACT_VALID_DAYS={"incidents": 730}):
            kept = eligibility_for(self.enterprise_a, self.hnte, on=date(2026, 3, 2))
            self.assertIs(by_code(kept)["no_major_incident"]["passed"], True)

    def test_a_check_dated_after_the_day_assessed_does_not_count(self) -> None:
        self.record(FactSubject.INCIDENTS, True, date(2026, 2, 20))
        earlier = eligibility_for(self.enterprise_a, self.hnte, on=date(2026, 2, 1))
        self.assertEqual(by_code(earlier)["no_major_incident"]["status"], "pending")

    def test_tech_sme_compliance_needs_both_checks(self) -> None:
        compliance = by_code(eligibility_for(self.enterprise_a, self.sme))["compliance"]
        self.assertEqual(compliance["status"], "pending")
        self.assertEqual(len(compliance["missing"]), 2)
        self.record(FactSubject.CREDIT, True, date(2026, 2, 1), source="信用中国查询")
        compliance = by_code(eligibility_for(self.enterprise_a, self.sme))["compliance"]
        self.assertEqual(compliance["status"], "pending")
        self.assertEqual(len(compliance["missing"]), 1)
        self.record(FactSubject.INCIDENTS, True, date(2026, 2, 2))
        compliance = by_code(eligibility_for(self.enterprise_a, self.sme))["compliance"]
        self.assertIs(compliance["passed"], True)
        self.assertIn("据信用中国查询（2026-02-01）", compliance["message"])

    def test_a_failed_credit_check_fails_compliance(self) -> None:
        self.record(FactSubject.CREDIT, False, date(2026, 2, 1), source="信用中国查询")
        compliance = by_code(eligibility_for(self.enterprise_a, self.sme))["compliance"]
        self.assertIs(compliance["passed"], False)

    def test_recording_is_audited_and_refuses_a_future_date(self) -> None:
        fact = self.record(FactSubject.INDUSTRY, True, date(2026, 2, 1), note="C39")
        event = AuditEvent.objects.get(action="enterprise_fact.record")
        self.assertEqual(event.object_id, str(fact.pk))
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.record(FactSubject.INDUSTRY, True, date(2026, 3, 2))
        self.assertEqual(EnterpriseFact.objects.count(), 1)


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
class TechSmeRdMeasureTests(CastTestCase):
    """§3.4: the super-deduction figure, never the HNTE figure."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.founded_on = date(2020, 1, 1)
        cls.enterprise_a.save()
        cls.sme = Tier.objects.get(code="tech_sme")

    def test_blank_super_deduction_is_pending_not_the_hnte_figure(self) -> None:
        # rd_incurred 190万 / 4000万 = 4.75% would score 30; it is not used.
        add_return(self.enterprise_a, 2025, rd_super_deduction=None)
        assessment = eligibility_for(self.enterprise_a, self.sme)
        score = by_code(assessment)["score"]
        self.assertEqual(score["status"], "pending")
        self.assertEqual(score["missing"], ["2025年度研发费用加计扣除额"])
        self.assertIn("缺少2025年度研发费用加计扣除额", score["message"])
        self.assertIsNone(assessment.result["scores"]["rd"])
        self.assertIsNone(assessment.result["scores"]["total"])

    def test_the_super_deduction_figure_scores(self) -> None:
        add_return(self.enterprise_a, 2025, rd_super_deduction=Decimal("2400000"))
        assessment = eligibility_for(self.enterprise_a, self.sme)
        # 240万 / 4000万 = 6% → 50; staff 20% → 12; IP Class Ⅰ → 30.
        self.assertEqual(assessment.result["scores"]["rd"], 50)
        self.assertEqual(assessment.result["scores"]["total"], 92)
        self.assertIs(by_code(assessment)["score"]["passed"], True)

    def test_a_hopeless_score_fails_even_without_the_figure(self) -> None:
        add_return(self.enterprise_a, 2025, tech_staff=Decimal("5"))
        score = by_code(eligibility_for(self.enterprise_a, self.sme))["score"]
        self.assertIs(score["passed"], False)  # staff 5% scores 0

    def test_the_estimate_hook_is_used_only_when_allowed_and_labelled(self) -> None:
        add_return(self.enterprise_a, 2025, rd_super_deduction=None)
        with mock.patch(
            "enterprises.assessment.tech_sme_rd_estimate",
            return_value=__import__("fractions").Fraction(2_400_000),
        ):
            off = by_code(eligibility_for(self.enterprise_a, self.sme))["score"]
            self.assertEqual(off["status"], "pending")
            with override_settings(TECH_SME_RD_ESTIMATE=True):
                on = by_code(eligibility_for(self.enterprise_a, self.sme))["score"]
        self.assertIs(on["passed"], True)
        self.assertIn("估算", on["message"])

    def test_the_estimate_follows_the_super_deduction_rules(self) -> None:
        """In-house 150万 + 40万, entrusted domestic 100万 at 80%: 270万 (the
        高企 scope would count the entrusted R&D in full: 290万)."""
        from enterprises.assessment import tech_sme_rd_estimate

        annual = add_return(
            self.enterprise_a,
            2025,
            rd_super_deduction=None,
            rd_entrusted_domestic=Decimal("1000000"),
        )
        self.assertEqual(tech_sme_rd_estimate(annual), 2_700_000)
        with override_settings(TECH_SME_RD_ESTIMATE=True):
            assessment = eligibility_for(self.enterprise_a, self.sme)
        score = by_code(assessment)["score"]
        self.assertNotEqual(score["status"], "pending")
        self.assertIn("估算", score["message"])
        # 270万 / 4000万 = 6.75% → 50 (RULES §3.4's R&D points).
        self.assertEqual(assessment.result["scores"]["rd"], 50)


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
class SnapshotTests(CastTestCase):
    def test_pending_only_is_not_eligible_and_ranks_after_all_passed(self) -> None:
        self.enterprise_a.founded_on = date(2015, 4, 1)
        self.enterprise_a.save()
        add_return(self.enterprise_a, 2025, rd_personnel=Decimal("3000000"))
        award(self.enterprise_a, Tier.objects.get(code="tech_sme"), date(2026, 1, 5))
        eligibility_snapshots_refresh()
        snapshot = EligibilitySnapshot.objects.get(
            enterprise=self.enterprise_a, tier__code="hnte"
        )
        self.assertIsNone(snapshot.eligible)
        self.assertEqual(snapshot.failed_count, 0)
        self.assertGreaterEqual(snapshot.pending_count, 4)
        pending = {f["code"]: f for f in snapshot.failed}
        self.assertEqual(pending["rd_expense_ratio"]["status"], "pending")
        self.assertEqual(pending["rd_expense_ratio"]["missing"], ["2023、2024年度报表"])
        self.client.force_login(self.officer)
        body = self.client.get("/enterprises/closest/?tier=hnte").content.decode()
        self.assertIn("无未满足条件，部分待核实", body)
        self.assertIn("缺少2023、2024年度报表", body)
        self.assertNotIn("全部条件满足", body)

    def test_a_side_tier_is_snapshot_beside_the_next_rung(self) -> None:
        young = EnterpriseFactory(org_unit=self.street_a, founded_on=date(2023, 5, 1))
        add_return(young, 2025)
        award(young, Tier.objects.get(code="tech_sme"), date(2026, 1, 5))
        eligibility_snapshots_refresh()
        codes = set(
            EligibilitySnapshot.objects.filter(enterprise=young).values_list(
                "tier__code", flat=True
            )
        )
        self.assertEqual(codes, {"hnte", "new_chuying"})
        self.assertEqual(
            [
                s.enterprise_id
                for s in closest_to_qualifying(
                    user=self.officer, tier_code="new_chuying"
                )
            ],
            [young.pk],
        )

    def test_closest_page_stays_when_every_assessed_tier_is_off(self) -> None:
        # It answered 500 (tiers[-1] of an empty list) instead.
        Tier.objects.update(is_active=False)
        self.client.force_login(self.officer)
        response = self.client.get("/enterprises/closest/?tier=hnte")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "暂无后备企业")


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
class EnterpriseEligibilityApiTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.founded_on = date(2015, 4, 1)
        cls.enterprise_a.save()
        add_return(cls.enterprise_a, 2025)

    def url(self, tier: str, pk: int | None = None) -> str:
        return f"/api/v1/enterprises/{pk or self.enterprise_a.pk}/eligibility/{tier}/"

    def test_the_shape_with_status_and_missing(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.client.get(self.url("high-tech"))
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertIsNone(body["eligible"])
        self.assertEqual(len(body["conditions"]), 9)
        rd = body["conditions"][4]
        self.assertEqual(rd["code"], "rd_expense_ratio")
        self.assertEqual(rd["status"], "pending")
        self.assertIsNone(rd["passed"])
        self.assertEqual(rd["missing"], ["2023、2024年度报表"])
        for condition in body["conditions"]:
            self.assertIn(condition["status"], {"passed", "failed", "pending"})
        self.assertIn("bands", body)

    def test_every_tier_slug_answers_its_codes(self) -> None:
        self.client.force_login(self.officer)
        expected = {
            "tech-sme": ["size_staff", "size_revenue", "size_assets", "industry"],
            "chuying": ["founded_in_window", "sales_ceiling"],
            "new-chuying": ["tech_sme", "age", "future_industry", "rd_staff_ratio"],
        }
        for slug, first in expected.items():
            with self.subTest(slug=slug):
                body = self.client.get(self.url(slug)).json()
                codes = [c["code"] for c in body["conditions"]]
                self.assertEqual(codes[: len(first)], first)
        self.assertEqual(self.client.get(self.url("xuri")).status_code, 404)

    def test_scoping(self) -> None:
        # Another enterprise's pre-check is a 404, for enterprise users and for
        # the liaison of another street.
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url("high-tech")).status_code, 404)
        self.client.force_login(self.liaison)
        self.assertEqual(self.client.get(self.url("high-tech")).status_code, 200)
        other = self.url("high-tech", pk=self.enterprise_b.pk)
        self.assertEqual(self.client.get(other).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(self.url("high-tech")).status_code, 401)


class EnterpriseFactsApiTests(CastTestCase):
    url_tpl = "/api/v1/enterprises/{}/facts/"

    def payload(self, **changes):  # type: ignore[no-untyped-def]
        return {
            "subject": "credit",
            "met": True,
            "checked_on": "2026-01-10",
            "source": "信用中国查询",
            **changes,
        }

    @time_machine.travel("2026-03-01 10:00 +0800", tick=False)
    def test_staff_record_and_everyone_in_scope_reads(self) -> None:
        url = self.url_tpl.format(self.enterprise_a.pk)
        self.client.force_login(self.head)
        response = self.post_json(url, self.payload())
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["evidence"], "据信用中国查询（2026-01-10）")
        self.assertEqual(response.json()["valid_until"], "2027-01-10")
        self.client.force_login(self.ent_user)
        listed = self.client.get(url).json()
        self.assertEqual(listed["count"], 1)

    def test_roles_that_may_not_record_get_403_and_outsiders_404(self) -> None:
        url = self.url_tpl.format(self.enterprise_a.pk)
        for user in (self.ent_user, self.liaison, self.leader):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.post_json(url, self.payload()).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.post_json(url, self.payload()).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(EnterpriseFact.objects.exists())

    def test_bad_input_is_400(self) -> None:
        self.client.force_login(self.officer)
        url = self.url_tpl.format(self.enterprise_a.pk)
        response = self.post_json(url, self.payload(subject="weather", source=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn("subject", response.json()["errors"])
        self.assertIn("source", response.json()["errors"])


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
class PrecheckPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enterprise_a.founded_on = date(2015, 4, 1)
        cls.enterprise_a.save()
        add_return(cls.enterprise_a, 2025)
        # A 科小: the next rung is 高企, 新雏鹰 a side tier.
        award(cls.enterprise_a, Tier.objects.get(code="tech_sme"), date(2026, 1, 5))

    def test_the_page_shows_pending_with_what_is_missing(self) -> None:
        self.client.force_login(self.ent_user)
        body = self.client.get(f"/enterprises/{self.enterprise_a.pk}/").content.decode()
        self.assertIn("待核实", body)
        self.assertIn("缺少2023、2024年度报表", body)
        self.assertNotIn("全部条件满足", body)
        # Enterprise users do not get the staff form.
        self.assertNotIn(f'action="/enterprises/{self.enterprise_a.pk}/facts/"', body)

    def test_staff_record_a_check_from_the_page(self) -> None:
        self.client.force_login(self.officer)
        url = f"/enterprises/{self.enterprise_a.pk}/facts/"
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, f'action="{url}"')
        response = self.client.post(
            url,
            {
                "subject": "incidents",
                "met": "true",
                "checked_on": "2026-02-20",
                "source": "区应急管理局函",
            },
        )
        self.assertRedirects(response, f"/enterprises/{self.enterprise_a.pk}/")
        page = self.client.get(f"/enterprises/{self.enterprise_a.pk}/")
        self.assertContains(page, "据区应急管理局函（2026-02-20）")

    def test_a_bad_form_keeps_what_was_typed(self) -> None:
        self.client.force_login(self.officer)
        url = f"/enterprises/{self.enterprise_a.pk}/facts/"
        response = self.client.post(
            url,
            {
                "subject": "incidents",
                "met": "true",
                "checked_on": "2026-03-05",
                "source": "区应急管理局函",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "核实日期不能晚于今天", status_code=400)
        self.assertContains(response, "区应急管理局函", status_code=400)

    def test_access_to_the_facts_page(self) -> None:
        url = f"/enterprises/{self.enterprise_a.pk}/facts/"
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, {}).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.officer)
        self.assertEqual(self.client.put(url).status_code, 405)

    def test_a_side_tier_can_be_picked(self) -> None:
        self.client.force_login(self.officer)
        body = self.client.get(
            f"/enterprises/{self.enterprise_a.pk}/?precheck=new_chuying"
        ).content.decode()
        self.assertIn("预审：新雏鹰企业", body)
        self.assertIn("国家高新技术企业", body)  # the other tab
