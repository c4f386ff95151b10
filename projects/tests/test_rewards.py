from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import (
    AnnualReturn,
    FilingStatus,
    InstitutionType,
    RDInstitution,
    Tier,
)
from enterprises.services import certification_create, certification_revoke
from enterprises.tests.factories import EnterpriseFactory
from projects.exports_rewards import EXPORT_HEADERS
from projects.models import Entitlement, Programme, RewardBatch, RewardRule
from projects.reward_arithmetic import tier_amount
from projects.services.rewards import (
    entitlement_exclude,
    entitlement_restore,
    figure_ranking,
    reward_batch_approve,
    reward_batch_build,
)

YEAR = 2025
WAN = Decimal(10_000)


def rd_return(enterprise, year: int, wan: int, status=FilingStatus.ACCEPTED):  # type: ignore[no-untyped-def]
    return AnnualReturn.objects.create(
        enterprise=enterprise, year=year, status=status, rd_personnel=wan * WAN
    )


class RewardDataTestCase(CastTestCase):
    """A small district: three rules and enterprises A–H whose data the
    rules read (R&D in 万元).

    growth 2024→2025: A 1000→1500 (50%), B 800→1200 (50%, tie), C 2047→2830
    (38.3%), D 1000→1100 (10%), E 1000→1050 (5%, beyond the last tier),
    F 0→500 (zero base), G only 2025, H 2024 still a draft.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = Programme.objects.create(
            name="研发投入奖励",
            level=Programme.Level.DISTRICT,
            kind=Programme.Kind.REWARD,
        )
        cls.hnte_rule = RewardRule.objects.create(
            programme=cls.programme,
            name="新认定国家高新技术企业奖励",
            kind=RewardRule.Kind.NEW_TIER,
            target="hnte",
            amount=Decimal("200000"),
        )
        cls.growth_rule = RewardRule.objects.create(
            programme=cls.programme,
            name="研发投入增长前4名奖励",
            kind=RewardRule.Kind.RANKING,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.GROWTH,
            tiers=[
                {"up_to_rank": 3, "amount": "300000"},
                {"up_to_rank": 4, "amount": "100000"},
            ],
        )
        cls.institution_rule = RewardRule.objects.create(
            programme=cls.programme,
            name="新认定省级研发机构奖励",
            kind=RewardRule.Kind.NEW_RD_INSTITUTION,
            target="provincial",
            amount=Decimal("500000"),
        )
        cls.a, cls.b = cls.enterprise_a, cls.enterprise_b
        cls.c, cls.d, cls.e, cls.f, cls.g, cls.h = (
            EnterpriseFactory(org_unit=cls.street_a, name=f"杭州{x}科技有限公司")
            for x in "丙丁戊己庚辛"
        )
        for enterprise, before, after in [
            (cls.a, 1000, 1500),
            (cls.b, 800, 1200),
            (cls.c, 2047, 2830),
            (cls.d, 1000, 1100),
            (cls.e, 1000, 1050),
            (cls.f, 0, 500),
        ]:
            rd_return(enterprise, YEAR - 1, before)
            rd_return(enterprise, YEAR, after)
        rd_return(cls.g, YEAR, 900)
        rd_return(cls.h, YEAR - 1, 100, status=FilingStatus.DRAFT)
        rd_return(cls.h, YEAR, 900, status=FilingStatus.SUBMITTED)

        hnte = Tier.objects.get(code="hnte")
        cls.a_hnte = certification_create(
            by=None,
            enterprise=cls.a,
            tier=hnte,
            year=YEAR,
            issued_on=date(YEAR, 12, 1),
            number="GR202533001234",
        )
        # Awarded in another year, revoked, and another tier: none counts.
        certification_create(
            by=None,
            enterprise=cls.b,
            tier=hnte,
            year=YEAR - 1,
            issued_on=date(2024, 12, 1),
        )
        revoked = certification_create(
            by=None, enterprise=cls.c, tier=hnte, year=YEAR, issued_on=date(2025, 12, 1)
        )
        certification_revoke(certification=revoked, by=None, reason="虚假申报")
        certification_create(
            by=None,
            enterprise=cls.g,
            tier=Tier.objects.get(code="tech_sme"),
            year=YEAR,
            issued_on=date(2025, 6, 1),
        )

        for enterprise, level, recognised in [
            (cls.d, "provincial", date(2025, 11, 15)),
            (cls.e, "municipal", date(2025, 11, 15)),
            (cls.f, "provincial", date(2024, 11, 15)),
        ]:
            RDInstitution.objects.create(
                enterprise=enterprise,
                name=f"{enterprise.name.removesuffix('有限公司')}研发中心",
                type=InstitutionType.objects.get(code="rd_centre"),
                level=level,
                recognised_on=recognised,
            )

    def rows(self, batch: RewardBatch) -> dict[tuple[str, str], Entitlement]:
        return {(e.rule.name, e.enterprise.name): e for e in batch.entitlements.all()}


class RewardBatchBuildTests(RewardDataTestCase):
    def test_it_computes_each_rule_with_plain_chinese_reasons(self) -> None:
        batch = reward_batch_build(year=YEAR, by=self.officer)

        found = {
            (rule, enterprise): (e.amount, e.reason)
            for (rule, enterprise), e in self.rows(batch).items()
        }
        self.assertEqual(
            found,
            {
                (self.hnte_rule.name, self.a.name): (
                    Decimal("200000"),
                    "2025年新认定国家高新技术企业（证书编号GR202533001234），"
                    "定额奖励 20万元",
                ),
                (self.growth_rule.name, self.a.name): (
                    Decimal("300000"),
                    "2025年研发投入增长率 50.0%（2025年 1,500万元，2024年 1,000万元），"
                    "全区并列第1名，按第1至3名档奖励 30万元",
                ),
                (self.growth_rule.name, self.b.name): (
                    Decimal("300000"),
                    "2025年研发投入增长率 50.0%（2025年 1,200万元，2024年 800万元），"
                    "全区并列第1名，按第1至3名档奖励 30万元",
                ),
                (self.growth_rule.name, self.c.name): (
                    Decimal("300000"),
                    "2025年研发投入增长率 38.3%（2025年 2,830万元，2024年 2,047万元），"
                    "全区第3名，按第1至3名档奖励 30万元",
                ),
                (self.growth_rule.name, self.d.name): (
                    Decimal("100000"),
                    "2025年研发投入增长率 10.0%（2025年 1,100万元，2024年 1,000万元），"
                    "全区第4名，按第4名档奖励 10万元",
                ),
                (self.institution_rule.name, self.d.name): (
                    Decimal("500000"),
                    "2025年新认定省级研发机构：杭州丁科技研发中心，定额奖励 50万元",
                ),
            },
        )
        self.assertIsNotNone(batch.built_at)
        self.assertEqual(batch.status, RewardBatch.Status.DRAFT)
        event = AuditEvent.objects.get(action="reward_batch.build")
        self.assertEqual(event.changes["entitlements"], [None, 6])

    def test_it_ranks_ties_together_and_skips_the_next_rank(self) -> None:
        ranking = [
            (c.rank, c.row.enterprise_id)
            for c in figure_ranking(self.growth_rule, YEAR)
        ]
        self.assertEqual(
            ranking,
            [
                (1, self.a.pk),
                (1, self.b.pk),
                (3, self.c.pk),
                (4, self.d.pk),
                (5, self.e.pk),
            ],
        )

    def test_it_leaves_zero_missing_and_draft_bases_unranked(self) -> None:
        ranked = {c.row.enterprise_id for c in figure_ranking(self.growth_rule, YEAR)}
        self.assertFalse(ranked & {self.f.pk, self.g.pk, self.h.pk})

    def test_it_pays_the_first_tier_that_reaches_the_rank(self) -> None:
        tiers = [
            {"up_to_rank": 3, "amount": "300000"},
            {"up_to_rank": 10, "amount": "100000"},
        ]
        self.assertEqual(tier_amount(tiers, 1), Decimal("300000"))
        self.assertEqual(tier_amount(tiers, 3), Decimal("300000"))
        self.assertEqual(tier_amount(tiers, 4), Decimal("100000"))
        self.assertEqual(tier_amount(tiers, 10), Decimal("100000"))
        self.assertEqual(tier_amount(tiers, 11), Decimal(0))

    def test_it_pays_no_growth_reward_for_a_fall_even_at_the_top(self) -> None:
        rd_return(self.a, 2022, 1000)
        rd_return(self.a, 2023, 900)
        batch = reward_batch_build(year=2023, by=self.officer)
        # A fall is no growth: not even ranked.
        self.assertEqual(figure_ranking(self.growth_rule, 2023), [])
        self.assertFalse(batch.entitlements.exists())

    def test_building_twice_adds_nothing(self) -> None:
        reward_batch_build(year=YEAR, by=self.officer)
        batch = reward_batch_build(year=YEAR, by=self.head)
        self.assertEqual(RewardBatch.objects.count(), 1)
        self.assertEqual(batch.entitlements.count(), 6)

    def test_rebuilding_follows_the_data_and_keeps_exclusions(self) -> None:
        batch = reward_batch_build(year=YEAR, by=self.officer)
        d_growth = self.rows(batch)[(self.growth_rule.name, self.d.name)]
        entitlement_exclude(
            entitlement=d_growth, reason="存在失信记录", by=self.officer
        )
        certification_revoke(certification=self.a_hnte, by=None, reason="撤销认定")
        AnnualReturn.objects.filter(enterprise=self.d, year=YEAR).update(
            rd_personnel=1200 * WAN
        )

        batch = reward_batch_build(year=YEAR, by=self.officer)

        rows = self.rows(batch)
        self.assertEqual(len(rows), 5)
        self.assertNotIn((self.hnte_rule.name, self.a.name), rows)
        d_growth = rows[(self.growth_rule.name, self.d.name)]
        self.assertIs(d_growth.excluded, True)
        self.assertEqual(d_growth.exclusion_reason, "存在失信记录")
        self.assertIn("研发投入增长率 20.0%", d_growth.reason)
        self.assertIn("全区第4名", d_growth.reason)
        self.assertEqual(
            AuditEvent.objects.filter(action="reward_batch.build").latest("id").message,
            "新增0条，更新1条，删除1条",
        )

    def test_an_approved_batch_cannot_be_rebuilt(self) -> None:
        batch = reward_batch_build(year=YEAR, by=self.officer)
        reward_batch_approve(batch=batch, by=self.head)
        with self.assertRaises(ApplicationError) as raised:
            reward_batch_build(year=YEAR, by=self.officer)
        self.assertEqual(raised.exception.code, "batch_approved")

    def test_only_staff_build_and_only_section_heads_approve(self) -> None:
        with self.assertRaises(PermissionDenied):
            reward_batch_build(year=YEAR, by=self.leader)
        batch = reward_batch_build(year=YEAR, by=self.officer)
        with self.assertRaises(PermissionDenied):
            reward_batch_approve(batch=batch, by=self.officer)
        batch = reward_batch_approve(batch=batch, by=self.head)
        self.assertEqual(batch.status, RewardBatch.Status.APPROVED)
        self.assertEqual(batch.approved_by, self.head)

    def test_exclusion_needs_a_reason_and_can_be_undone(self) -> None:
        from django.core.exceptions import ValidationError

        batch = reward_batch_build(year=YEAR, by=self.officer)
        entitlement = batch.entitlements.first()
        with self.assertRaises(ValidationError):
            entitlement_exclude(entitlement=entitlement, reason="  ", by=self.officer)
        entitlement_exclude(entitlement=entitlement, reason="重复享受", by=self.officer)
        event = AuditEvent.objects.get(action="entitlement.exclude")
        self.assertEqual(event.changes["excluded"], [False, True])
        entitlement = entitlement_restore(entitlement=entitlement, by=self.officer)
        self.assertIs(entitlement.excluded, False)
        self.assertEqual(entitlement.exclusion_reason, "")


class RewardBatchApiTests(RewardDataTestCase):
    def setUp(self) -> None:
        self.batch = reward_batch_build(year=YEAR, by=self.officer)

    def entitlement_of(self, enterprise, rule) -> Entitlement:  # type: ignore[no-untyped-def]
        return self.batch.entitlements.get(enterprise=enterprise, rule=rule)

    def test_staff_build_through_the_api(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(f"/api/v1/reward-batches/{YEAR - 1}/build/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["year"], YEAR - 1)

        response = self.client.post(f"/api/v1/reward-batches/{YEAR}/build/")
        self.assertEqual(response.json()["entitlement_count"], 6)
        self.assertEqual(response.json()["total_amount"], "1700000.00")

    def test_a_leader_reads_but_cannot_build(self) -> None:
        self.client.force_login(self.leader)
        self.assertEqual(
            self.client.post(f"/api/v1/reward-batches/{YEAR}/build/").status_code, 403
        )
        self.assertEqual(self.client.get("/api/v1/reward-batches/").status_code, 200)

    def test_an_approved_batch_refuses_a_rebuild_with_409(self) -> None:
        reward_batch_approve(batch=self.batch, by=self.head)
        self.client.force_login(self.officer)
        response = self.client.post(f"/api/v1/reward-batches/{YEAR}/build/")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "batch_approved")

    def test_the_detail_pages_the_entitlements(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(f"/api/v1/reward-batches/{YEAR}/?page_size=4")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 6)
        self.assertEqual(len(body["results"]), 4)
        self.assertEqual(body["batch"]["status"], "draft")
        self.assertEqual(body["batch"]["total_amount"], "1700000.00")
        self.assertEqual(
            self.client.get("/api/v1/reward-batches/1999/").status_code, 404
        )

    def test_staff_exclude_an_entitlement_with_a_reason(self) -> None:
        entitlement = self.entitlement_of(self.d, self.growth_rule)
        url = f"/api/v1/entitlements/{entitlement.pk}/exclude/"
        self.client.force_login(self.officer)
        response = self.post_json(url, {"reason": "存在失信记录"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIs(response.json()["excluded"], True)
        self.assertEqual(response.json()["exclusion_reason"], "存在失信记录")

        response = self.client.get(f"/api/v1/reward-batches/{YEAR}/?excluded=true")
        self.assertEqual(response.json()["count"], 1)
        self.assertEqual(response.json()["batch"]["total_amount"], "1600000.00")

    def test_an_exclusion_without_a_reason_is_a_400(self) -> None:
        entitlement = self.entitlement_of(self.d, self.growth_rule)
        self.client.force_login(self.officer)
        response = self.post_json(
            f"/api/v1/entitlements/{entitlement.pk}/exclude/", {"reason": ""}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.json()["errors"])

    def test_who_may_not_exclude(self) -> None:
        entitlement = self.entitlement_of(self.a, self.growth_rule)
        url = f"/api/v1/entitlements/{entitlement.pk}/exclude/"
        payload = {"reason": "x"}
        self.client.force_login(self.leader)
        self.assertEqual(
            self.post_json(url, payload).status_code,
            403,
        )
        # The batch is a draft: enterprises do not see it yet.
        self.client.force_login(self.ent_user)
        self.assertEqual(
            self.post_json(url, payload).status_code,
            404,
        )
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get(url).status_code, 405)
        reward_batch_approve(batch=self.batch, by=self.head)
        response = self.post_json(url, payload)
        self.assertEqual(response.status_code, 409)

    def test_only_a_section_head_approves(self) -> None:
        url = f"/api/v1/reward-batches/{YEAR}/approve/"
        self.client.force_login(self.officer)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.head)
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "approved")
        self.assertEqual(response.json()["approved_by"], self.head.display_name)
        self.assertEqual(self.client.post(url).status_code, 409)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="reward_batch.approve", actor=self.head
            ).exists()
        )

    def test_the_export_lists_payable_rows_and_excluded_ones_apart(self) -> None:
        entitlement_exclude(
            entitlement=self.entitlement_of(self.d, self.growth_rule),
            reason="存在失信记录",
            by=self.officer,
        )
        self.client.force_login(self.head)
        response = self.client.get(f"/api/v1/reward-batches/{YEAR}/export/")
        self.assertEqual(response.status_code, 200)
        book = load_workbook(BytesIO(response.content))
        payable, excluded = book.worksheets
        rows = list(payable.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), EXPORT_HEADERS)
        self.assertEqual(len(rows), 1 + 5 + 1)
        self.assertEqual(
            rows[1],
            (
                self.a.name,
                self.a.credit_code,
                "米市巷街道",
                self.hnte_rule.name,
                20,  # 万元, as the header says
                "2025年新认定国家高新技术企业（证书编号GR202533001234），定额奖励 20万元",
                "待审批",
            ),
        )
        self.assertEqual(rows[-1][0], "合计")
        self.assertEqual(rows[-1][4], 160)
        excluded_rows = list(excluded.iter_rows(values_only=True))
        self.assertEqual(len(excluded_rows), 2)
        self.assertEqual(excluded_rows[1][0], self.d.name)
        self.assertEqual(excluded_rows[1][6], "已剔除：存在失信记录")

    def test_enterprise_users_see_only_their_own_approved_entitlements(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/api/v1/entitlements/").json()["count"], 0)
        self.assertEqual(
            self.client.get(f"/api/v1/reward-batches/{YEAR}/").status_code, 404
        )

        reward_batch_approve(batch=self.batch, by=self.head)
        body = self.client.get("/api/v1/entitlements/").json()
        self.assertEqual(body["count"], 2)
        self.assertEqual({r["enterprise"] for r in body["results"]}, {self.a.pk})
        body = self.client.get(f"/api/v1/reward-batches/{YEAR}/").json()
        self.assertEqual(body["count"], 2)
        self.assertEqual(body["batch"]["total_amount"], "500000.00")
        batches = self.client.get("/api/v1/reward-batches/").json()["results"]
        self.assertEqual([b["total_amount"] for b in batches], ["500000.00"])

        own = self.entitlement_of(self.a, self.hnte_rule)
        others = self.entitlement_of(self.b, self.growth_rule)
        self.assertEqual(
            self.client.get(f"/api/v1/entitlements/{own.pk}/").status_code, 200
        )
        self.assertEqual(
            self.client.get(f"/api/v1/entitlements/{others.pk}/").status_code, 404
        )
        self.assertEqual(
            self.client.get(f"/api/v1/reward-batches/{YEAR}/export/").status_code, 403
        )

    def test_experts_and_administrators_see_nothing(self) -> None:
        reward_batch_approve(batch=self.batch, by=self.head)
        entitlement = self.batch.entitlements.first()
        for user in (self.expert, self.admin, self.auditor, self.liaison):
            self.client.force_login(user)
            # As the page: a role that may never view rewards is refused.
            for url in ("/api/v1/reward-batches/", "/api/v1/entitlements/"):
                self.assertEqual(self.client.get(url).status_code, 403)
            self.assertEqual(
                self.client.get(f"/api/v1/entitlements/{entitlement.pk}/").status_code,
                404,
            )

    def test_anonymous_callers_are_refused(self) -> None:
        self.assertEqual(self.client.get("/api/v1/reward-batches/").status_code, 401)


class RewardPageTests(RewardDataTestCase):
    def test_staff_build_from_the_page_and_see_reasons_in_wan(self) -> None:
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get("/rewards/").status_code, 200)
        response = self.client.post("/rewards/build/", {"year": YEAR})
        self.assertRedirects(response, f"/rewards/{YEAR}/")
        page = self.client.get(f"/rewards/{YEAR}/")
        self.assertContains(page, "研发投入增长率 38.3%")
        self.assertContains(page, "全区第3名，按第1至3名档奖励 30万元")
        self.assertContains(page, "30.00")  # 300,000 yuan in 万元
        self.assertContains(page, f"/rewards/{YEAR}/export/")
        self.assertContains(page, "/exclude/")
        self.assertNotContains(page, f"/rewards/{YEAR}/approve/")

    def test_a_section_head_approves_from_the_page(self) -> None:
        reward_batch_build(year=YEAR, by=self.officer)
        self.client.force_login(self.head)
        page = self.client.get(f"/rewards/{YEAR}/")
        self.assertContains(page, f"/rewards/{YEAR}/approve/")
        # The first post asks once more, restating the total in 大写.
        response = self.client.post(f"/rewards/{YEAR}/approve/")
        self.assertContains(response, 'name="confirmed" value="1"')
        self.assertEqual(RewardBatch.objects.get(year=YEAR).status, "draft")
        response = self.client.post(f"/rewards/{YEAR}/approve/", {"confirmed": "1"})
        self.assertRedirects(response, f"/rewards/{YEAR}/")
        page = self.client.get(f"/rewards/{YEAR}/")
        self.assertNotContains(page, "/exclude/")
        self.assertNotContains(page, f"/rewards/{YEAR}/approve/")

    def test_staff_exclude_from_the_page(self) -> None:
        batch = reward_batch_build(year=YEAR, by=self.officer)
        entitlement = batch.entitlements.get(rule=self.institution_rule)
        self.client.force_login(self.officer)
        response = self.client.post(
            f"/rewards/entitlements/{entitlement.pk}/exclude/",
            {"reason": "已享受市级同类奖励"},
        )
        self.assertRedirects(response, f"/rewards/{YEAR}/")
        entitlement.refresh_from_db()
        self.assertIs(entitlement.excluded, True)
        page = self.client.get(f"/rewards/{YEAR}/?state=excluded")
        self.assertContains(page, "已享受市级同类奖励")

    def test_the_page_export_is_a_workbook(self) -> None:
        reward_batch_build(year=YEAR, by=self.officer)
        self.client.force_login(self.officer)
        response = self.client.get(f"/rewards/{YEAR}/export/")
        rows = list(
            load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
        )
        self.assertIn(self.c.name, [row[0] for row in rows])

    def test_enterprises_see_only_their_approved_rewards(self) -> None:
        batch = reward_batch_build(year=YEAR, by=self.officer)
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get(f"/rewards/{YEAR}/").status_code, 404)
        self.assertNotContains(self.client.get("/rewards/"), "研发投入增长率")
        reward_batch_approve(batch=batch, by=self.head)
        page = self.client.get("/rewards/")
        self.assertContains(page, "证书编号GR202533001234")
        self.assertNotContains(page, self.b.name)
        # The batch page agrees with the API: its own rows, nobody else's.
        batch_page = self.client.get(f"/rewards/{YEAR}/")
        self.assertEqual(batch_page.status_code, 200)
        self.assertNotContains(batch_page, self.b.name)
        self.assertNotContains(batch_page, f"/rewards/{YEAR}/export/")
        self.assertEqual(self.client.get(f"/rewards/{YEAR}/export/").status_code, 403)
        self.assertEqual(
            self.client.post("/rewards/build/", {"year": YEAR}).status_code, 403
        )

    def test_experts_are_refused(self) -> None:
        self.client.force_login(self.expert)
        self.assertEqual(self.client.get("/rewards/").status_code, 403)
