"""Reward rules that express district policy (issue 10 item 6): a base
(a figure's total, increase or growth), a rate with a cap and a minimum,
floors, top-N rankings, first awards or renewals; kept by staff as data on
a page, in the admin and through the API; what they pay appears in the
reward lists, the exports and the confirmations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any
from unittest import skipUnless

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from openpyxl import load_workbook

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from enterprises.models import (
    AnnualReturn,
    Certification,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.services import certification_create
from enterprises.tests.factories import EnterpriseFactory
from projects.models import Programme, RewardBatch, RewardRule
from projects.services.rewards import (
    reward_batch_approve,
    reward_batch_build,
    reward_rule_create,
    reward_rule_update,
)

YEAR = 2025
WAN = Decimal(10_000)
HAS_FIRST_TIME = any(f.name == "first_time" for f in Certification._meta.get_fields())


def rd(enterprise: Any, year: int, wan: str) -> AnnualReturn:
    return AnnualReturn.objects.create(
        enterprise=enterprise,
        year=year,
        status=FilingStatus.ACCEPTED,
        rd_personnel=Decimal(wan) * WAN,
    )


class RuleTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = Programme.objects.create(
            name="研发投入奖励",
            level=Programme.Level.DISTRICT,
            kind=Programme.Kind.REWARD,
        )
        cls.hnte = Tier.objects.get(code="hnte")
        cls.tech_sme = Tier.objects.get(code="tech_sme")

    def enterprises(self, n: int) -> list[Any]:
        return [
            EnterpriseFactory(org_unit=self.street_a, name=f"杭州测试{i}号科技有限公司")
            for i in range(n)
        ]

    def rule(self, **values: Any) -> RewardRule:
        values.setdefault("programme", self.programme)
        values.setdefault("name", "测试规则")
        return reward_rule_create(by=self.officer, **values)

    def paid(self, rule: RewardRule) -> dict[int, tuple[Decimal, str]]:
        batch = reward_batch_build(year=YEAR, by=self.officer)
        return {
            e.enterprise_id: (e.amount, e.reason)
            for e in batch.entitlements.filter(rule=rule)
        }


class RateRuleTests(RuleTestCase):
    def test_increase_times_rate_with_cap_minimum_and_floor(self) -> None:
        big, mid, small, tiny, fall = self.enterprises(5)
        for enterprise, before, after in [
            (big, "1765.44", "3000"),  # +1,234.56万 × 5% = 61.73万 → cap 50万
            (mid, "400", "600"),  # +200万 × 5% = 10万: exactly the minimum
            (small, "400", "410"),  # +10万 × 5% = 0.5万 → raised to 10万
            (tiny, "1", "90"),  # below the floor on the year before
            (fall, "800", "700"),  # a fall earns nothing
        ]:
            rd(enterprise, YEAR - 1, before)
            rd(enterprise, YEAR, after)
        rule = self.rule(
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.INCREMENT,
            rate=Decimal("0.05"),
            cap=50 * WAN,
            minimum_amount=10 * WAN,
            minimum_previous=100 * WAN,
        )
        paid = self.paid(rule)
        self.assertEqual(set(paid), {big.pk, mid.pk, small.pk})
        self.assertEqual(
            paid[big.pk],
            (
                50 * WAN,
                "2025年研发投入增量 1,234.56万元（2025年 3,000万元，2024年 1,765.44万元）"
                " × 5% = 61.73万元，超过上限 50万元，按 50万元 计",
            ),
        )
        self.assertEqual(paid[mid.pk][0], 10 * WAN)
        self.assertNotIn("保底", paid[mid.pk][1])
        self.assertEqual(paid[small.pk][0], 10 * WAN)
        self.assertTrue(
            paid[small.pk][1].endswith("= 0.5万元，不足保底 10万元，按 10万元 计")
        )

    def test_top_n_by_the_base_with_a_tie_on_the_last_place(self) -> None:
        a, b, c, d = self.enterprises(4)
        for enterprise, wan in [(a, "3000"), (b, "2000"), (c, "2000"), (d, "1000")]:
            rd(enterprise, YEAR, wan)
        rule = self.rule(
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.TOTAL,
            rate=Decimal("0.01"),
            top_n=2,
        )
        paid = self.paid(rule)
        self.assertEqual(set(paid), {a.pk, b.pk, c.pk})
        self.assertEqual(paid[b.pk][0], 20 * WAN)
        self.assertEqual(
            paid[c.pk][1],
            "全区并列第2名（前2名），2025年研发投入 2,000万元 × 1% = 20万元",
        )

    @override_settings(REWARD_ROUNDING_YUAN="100")
    def test_the_rounding_is_a_setting_read_when_building(self) -> None:
        (a,) = self.enterprises(1)
        rd(a, YEAR, "123.4567")  # 1,234,567元 × 3% = 37,037.01元
        rule = self.rule(
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.TOTAL,
            rate=Decimal("0.03"),
        )
        self.assertEqual(self.paid(rule)[a.pk][0], Decimal("37000"))

    def test_tax_comes_from_the_fourth_quarter_report(self) -> None:
        a, b = self.enterprises(2)
        for enterprise, quarter, tax in [(a, 4, "250"), (b, 3, "900")]:
            QuarterlyReport.objects.create(
                enterprise=enterprise,
                year=YEAR,
                quarter=quarter,
                status=FilingStatus.ACCEPTED,
                tax_ytd=Decimal(tax) * WAN,
            )
        rule = self.rule(
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.TAX,
            base=RewardRule.Base.TOTAL,
            rate=Decimal("0.02"),
            minimum_current=200 * WAN,
        )
        self.assertEqual(
            self.paid(rule),
            {a.pk: (5 * WAN, "2025年实缴税收 250万元 × 2% = 5万元")},
        )


class RankingRuleTests(RuleTestCase):
    def test_growth_ranking_with_a_floor_on_the_year_before(self) -> None:
        """1万→10万 cannot beat 5000万→6000万."""
        tiny, large, mid, low = self.enterprises(4)
        for enterprise, before, after in [
            (tiny, "1", "10"),
            (large, "5000", "6000"),
            (mid, "200", "230"),
            (low, "200", "220"),
        ]:
            rd(enterprise, YEAR - 1, before)
            rd(enterprise, YEAR, after)
        rule = self.rule(
            kind=RewardRule.Kind.RANKING,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.GROWTH,
            minimum_previous=100 * WAN,
            tiers=[
                {"up_to_rank": 1, "amount": "300000"},
                {"up_to_rank": 2, "amount": "100000"},
            ],
        )
        paid = self.paid(rule)
        self.assertEqual(set(paid), {large.pk, mid.pk})
        self.assertEqual(
            paid[large.pk],
            (
                30 * WAN,
                "2025年研发投入增长率 20.0%（2025年 6,000万元，2024年 5,000万元），"
                "全区第1名，按第1名档奖励 30万元",
            ),
        )
        self.assertEqual(paid[mid.pk][0], 10 * WAN)

    def test_a_tie_on_a_band_edge_pays_both_the_band_of_their_rank(self) -> None:
        a, b, c, d = self.enterprises(4)
        for enterprise, wan in [(a, "900"), (b, "800"), (c, "800"), (d, "700")]:
            rd(enterprise, YEAR, wan)
        rule = self.rule(
            kind=RewardRule.Kind.RANKING,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.TOTAL,
            tiers=[
                {"up_to_rank": 2, "amount": "200000"},
                {"up_to_rank": 3, "amount": "50000"},
            ],
        )
        paid = self.paid(rule)
        # b and c share rank 2: both in the first band; d is 4th, past the last.
        self.assertEqual(
            {pk: amount for pk, (amount, _) in paid.items()},
            {a.pk: 20 * WAN, b.pk: 20 * WAN, c.pk: 20 * WAN},
        )
        self.assertIn("全区并列第2名，按第1至2名档奖励 20万元", paid[c.pk][1])

    def test_only_the_holders_of_a_tier_are_ranked(self) -> None:
        holder, other = self.enterprises(2)
        rd(holder, YEAR, "300")
        rd(other, YEAR, "3000")
        certification_create(
            by=None,
            enterprise=holder,
            tier=self.tech_sme,
            year=YEAR,
            issued_on=date(YEAR, 5, 1),
        )
        rule = self.rule(
            kind=RewardRule.Kind.RANKING,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.TOTAL,
            target="tech_sme",
            tiers=[{"up_to_rank": 20, "amount": "50000"}],
        )
        self.assertEqual(
            self.paid(rule),
            {
                holder.pk: (
                    5 * WAN,
                    "2025年研发投入 300万元，科技型中小企业中第1名，按第1至20名档奖励 5万元",
                )
            },
        )


class AwardRoundTests(RuleTestCase):
    """首次/重新/全部: a re-recognised 高企 is not paid as a new one."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.first, cls.renewed = (
            EnterpriseFactory(org_unit=cls.street_a, name=n)
            for n in ("杭州首认科技有限公司", "杭州复审科技有限公司")
        )
        certification_create(
            by=None,
            enterprise=cls.renewed,
            tier=cls.hnte,
            year=YEAR - 3,
            issued_on=date(YEAR - 3, 12, 1),
        )
        for enterprise in (cls.first, cls.renewed):
            certification_create(
                by=None,
                enterprise=enterprise,
                tier=cls.hnte,
                year=YEAR,
                issued_on=date(YEAR, 12, 1),
            )

    def tier_rule(self, award_round: str) -> RewardRule:
        return self.rule(
            name=f"高企奖励（{award_round}）",
            kind=RewardRule.Kind.NEW_TIER,
            target="hnte",
            award_round=award_round,
            amount=20 * WAN,
        )

    def test_first_awards_only(self) -> None:
        paid = self.paid(self.tier_rule(RewardRule.AwardRound.FIRST))
        self.assertEqual(set(paid), {self.first.pk})
        self.assertEqual(
            paid[self.first.pk][1], "2025年新认定国家高新技术企业，定额奖励 20万元"
        )

    def test_renewals_only(self) -> None:
        paid = self.paid(self.tier_rule(RewardRule.AwardRound.RENEWAL))
        self.assertEqual(
            paid,
            {
                self.renewed.pk: (
                    20 * WAN,
                    "2025年重新认定国家高新技术企业，定额奖励 20万元",
                )
            },
        )

    def test_both(self) -> None:
        paid = self.paid(self.tier_rule(RewardRule.AwardRound.ALL))
        self.assertEqual(set(paid), {self.first.pk, self.renewed.pk})

    @skipUnless(
        HAS_FIRST_TIME, "Certification.first_time arrives with the renew branch"
    )
    def test_the_stored_first_time_flag_decides(self) -> None:
        """An award recorded as a renewal (its earlier award not on file)
        counts as a renewal: the stored flag, not only the history."""
        Certification.objects.filter(enterprise=self.first, year=YEAR).update(
            first_time=False
        )
        paid = self.paid(self.tier_rule(RewardRule.AwardRound.FIRST))
        self.assertEqual(paid, {})


class RuleServiceTests(RuleTestCase):
    def test_a_rule_is_audited_and_switching_kind_clears_stale_terms(self) -> None:
        rule = self.rule(
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.INCREMENT,
            rate=Decimal("0.05"),
            cap=50 * WAN,
        )
        self.assertTrue(AuditEvent.objects.filter(action="reward_rule.create").exists())
        rule = reward_rule_update(
            rule=rule,
            by=self.head,
            kind=RewardRule.Kind.NEW_TIER,
            target="hnte",
            amount=20 * WAN,
        )
        self.assertEqual(
            (rule.figure, rule.base, rule.rate, rule.cap), ("", "", None, None)
        )
        event = AuditEvent.objects.get(action="reward_rule.update")
        self.assertEqual(event.changes["kind"], ["rate", "new_tier"])
        self.assertEqual(event.changes["cap"], ["500000.00", None])

    def test_what_each_kind_needs(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"kind": RewardRule.Kind.NEW_TIER, "amount": WAN}, "target"),
            (
                {
                    "kind": RewardRule.Kind.RATE,
                    "figure": RewardRule.Figure.RD,
                    "base": RewardRule.Base.GROWTH,
                    "rate": Decimal("0.05"),
                },
                "base",
            ),
            (
                {
                    "kind": RewardRule.Kind.RATE,
                    "figure": RewardRule.Figure.RD,
                    "base": RewardRule.Base.TOTAL,
                    "rate": Decimal("0.05"),
                    "cap": 10 * WAN,
                    "minimum_amount": 20 * WAN,
                },
                "minimum_amount",
            ),
            (
                {
                    "kind": RewardRule.Kind.RANKING,
                    "figure": RewardRule.Figure.RD,
                    "base": RewardRule.Base.TOTAL,
                },
                "tiers",
            ),
            (
                {
                    "kind": RewardRule.Kind.RANKING,
                    "figure": RewardRule.Figure.RD,
                    "base": RewardRule.Base.TOTAL,
                    "tiers": [
                        {"up_to_rank": 5, "amount": "1"},
                        {"up_to_rank": 5, "amount": "1"},
                    ],
                },
                "tiers",
            ),
            (
                {
                    "kind": RewardRule.Kind.RANKING,
                    "figure": RewardRule.Figure.RD,
                    "base": RewardRule.Base.TOTAL,
                    "minimum_previous": WAN,
                    "tiers": [{"up_to_rank": 5, "amount": "1"}],
                },
                "minimum_previous",
            ),
        ]
        for values, field in cases:
            with self.subTest(field=field, values=values):
                with self.assertRaises(ValidationError) as raised:
                    self.rule(**values)
                self.assertIn(field, raised.exception.message_dict)
        self.assertFalse(RewardRule.objects.exists())

    def test_a_tier_or_level_that_does_not_exist_is_refused(self) -> None:
        for values in (
            {"kind": RewardRule.Kind.NEW_TIER, "target": "hnet", "amount": WAN},
            {"kind": RewardRule.Kind.NEW_RD_INSTITUTION, "target": "x", "amount": WAN},
            {
                "kind": RewardRule.Kind.RANKING,
                "figure": RewardRule.Figure.RD,
                "base": RewardRule.Base.TOTAL,
                "target": "tech-sme",
                "tiers": [{"up_to_rank": 5, "amount": "1"}],
            },
        ):
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError) as raised,
            ):
                self.rule(**values)
            self.assertIn("target", raised.exception.message_dict)

    def test_only_staff_and_heads_write_rules(self) -> None:
        for user in (self.leader, self.ent_user, self.expert):
            with self.subTest(role=user.role), self.assertRaises(PermissionDenied):
                reward_rule_create(
                    by=user,
                    programme=self.programme,
                    name="x",
                    kind=RewardRule.Kind.NEW_TIER,
                    target="hnte",
                    amount=WAN,
                )


class RulePageTests(RuleTestCase):
    def form_data(self, **values: str) -> dict[str, str]:
        data = {
            "programme": str(self.programme.pk),
            "name": "研发投入增量奖励",
            "kind": "rate",
            "award_round": "first",
            "figure": "rd_incurred",
            "base": "increment",
            "rate": "5",
            "cap": "50",
            "minimum_amount": "1",
            "minimum_previous": "200",
            "is_active": "on",
            "bands-TOTAL_FORMS": "1",
            "bands-INITIAL_FORMS": "0",
            "bands-0-up_to_rank": "",
            "bands-0-amount": "",
        }
        data.update(values)
        return data

    def test_staff_write_a_rule_in_wan_and_per_cent(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get("/rewards/rules/new/")
        self.assertContains(page, 'data-kinds="rate"')
        self.assertContains(page, "万元")
        response = self.client.post("/rewards/rules/new/", self.form_data())
        self.assertRedirects(response, "/rewards/rules/")
        rule = RewardRule.objects.get()
        self.assertEqual(rule.rate, Decimal("0.05"))
        self.assertEqual(rule.cap, 50 * WAN)
        self.assertEqual(rule.minimum_previous, 200 * WAN)
        listing = self.client.get("/rewards/rules/")
        self.assertContains(
            listing,
            "全区按研发投入增量 × 5%，最高 50万元，保底 1万元；上年度不低于 200万元",
        )
        edit = self.client.get(f"/rewards/rules/{rule.pk}/edit/")
        self.assertContains(edit, 'value="5"')
        self.assertContains(edit, 'value="50"')

    def test_a_refused_rule_keeps_what_was_typed_and_says_why_beside_it(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.post(
            "/rewards/rules/new/",
            self.form_data(cap="5", minimum_amount="8", name="保底高于上限的规则"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "保底高于上限的规则", status_code=400)
        form = response.context["form"]
        self.assertIn("minimum_amount", form.errors)
        self.assertContains(response, "has-error", status_code=400)
        self.assertFalse(RewardRule.objects.exists())

    def test_a_ranking_takes_its_bands_as_a_table(self) -> None:
        self.client.force_login(self.head)
        data = self.form_data(
            kind="ranking",
            base="growth",
            name="研发投入增长前10名奖励",
            **{
                "bands-TOTAL_FORMS": "2",
                "bands-0-up_to_rank": "10",
                "bands-0-amount": "10",
                "bands-1-up_to_rank": "3",
                "bands-1-amount": "30",
            },
        )
        response = self.client.post("/rewards/rules/new/", data)
        self.assertRedirects(response, "/rewards/rules/")
        rule = RewardRule.objects.get()
        self.assertEqual(
            rule.tiers,
            [
                {"up_to_rank": 3, "amount": "300000.00"},
                {"up_to_rank": 10, "amount": "100000.00"},
            ],
        )
        # The rate's terms were not for a ranking: cleared.
        self.assertEqual((rule.rate, rule.cap), (None, None))
        # No band at all: the error stands on the table.
        data = self.form_data(kind="ranking", base="total")
        response = self.client.post("/rewards/rules/new/", data)
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["bands"].non_form_errors())

    def test_who_sees_and_who_writes(self) -> None:
        rule = self.rule(kind=RewardRule.Kind.NEW_TIER, target="hnte", amount=WAN)
        self.client.force_login(self.leader)
        page = self.client.get("/rewards/rules/")
        self.assertContains(page, "测试规则")
        self.assertNotContains(page, f"/rewards/rules/{rule.pk}/edit/")
        self.assertEqual(self.client.get("/rewards/rules/new/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/rewards/rules/{rule.pk}/edit/").status_code, 403
        )
        for user in (self.ent_user, self.expert, self.liaison):
            self.client.force_login(user)
            with self.subTest(role=user.role):
                self.assertEqual(self.client.get("/rewards/rules/").status_code, 403)
        self.client.force_login(self.officer)
        self.assertEqual(
            self.client.get("/rewards/rules/999999/edit/").status_code, 404
        )
        self.assertContains(self.client.get("/rewards/"), "/rewards/rules/")


class RuleApiTests(RuleTestCase):
    def test_staff_create_and_change_rules_in_yuan_and_fractions(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(
            "/api/v1/reward-rules/",
            {
                "programme": self.programme.pk,
                "name": "研发投入增量奖励",
                "kind": "rate",
                "figure": "rd_incurred",
                "base": "increment",
                "rate": "0.05",
                "cap": "500000",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["rate"], body["cap"]), ("0.050000", "500000.00"))
        self.assertEqual(body["terms"], "全区按研发投入增量 × 5%，最高 50万元")
        url = f"/api/v1/reward-rules/{body['id']}/"
        response = self.client.patch(
            url, {"cap": "3000000"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["cap"], "3000000.00")
        response = self.client.patch(
            url, {"base": "growth"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("base", response.json()["errors"])
        listing = self.client.get("/api/v1/reward-rules/").json()
        self.assertEqual(listing["count"], 1)

    def test_roles_as_on_the_page(self) -> None:
        rule = self.rule(kind=RewardRule.Kind.NEW_TIER, target="hnte", amount=WAN)
        url = f"/api/v1/reward-rules/{rule.pk}/"
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(
            self.client.patch(
                url, {"amount": "1"}, content_type="application/json"
            ).status_code,
            403,
        )
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/api/v1/reward-rules/").status_code, 403)
        self.assertEqual(self.client.get(url).status_code, 403)


class NewRuleEntitlementTests(RuleTestCase):
    """What the new rules pay goes through the existing lists, exports and
    the pay confirmation (figures and 大写)."""

    def test_a_rate_entitlement_in_the_list_the_export_and_the_pay_confirmation(
        self,
    ) -> None:
        (a,) = self.enterprises(1)
        rd(a, YEAR - 1, "1000")
        rd(a, YEAR, "1500")
        rule = self.rule(
            name="研发投入增量奖励",
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.RD,
            base=RewardRule.Base.INCREMENT,
            rate=Decimal("0.05"),
            cap=20 * WAN,
        )
        batch = reward_batch_build(year=YEAR, by=self.officer)
        entitlement = batch.entitlements.get(rule=rule)
        self.assertEqual(entitlement.amount, 20 * WAN)
        reason = (
            "2025年研发投入增量 500万元（2025年 1,500万元，2024年 1,000万元）"
            " × 5% = 25万元，超过上限 20万元，按 20万元 计"
        )
        self.assertEqual(entitlement.reason, reason)

        self.client.force_login(self.officer)
        self.assertContains(self.client.get("/rewards/entitlements/"), reason)
        book = load_workbook(
            BytesIO(self.client.get(f"/rewards/{YEAR}/export/").content)
        )
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        self.assertIn(
            (a.name, "研发投入增量奖励", 20, reason),
            [(r[0], r[3], r[4], r[5]) for r in rows],
        )

        reward_batch_approve(batch=RewardBatch.objects.get(year=YEAR), by=self.head)
        confirm = self.client.post(f"/rewards/entitlements/{entitlement.pk}/pay/")
        self.assertContains(confirm, 'name="confirmed" value="1"')
        self.assertContains(confirm, "贰拾万元整")
        self.assertContains(confirm, reason)


class RuleListCostTests(RuleTestCase):
    """The rules page and API cost the same for one rule as for twelve."""

    def grow(self, n: int) -> None:
        for i in range(n):
            self.rule(
                name=f"规则{i}",
                kind=RewardRule.Kind.RANKING,
                figure=RewardRule.Figure.RD,
                base=RewardRule.Base.GROWTH,
                target="tech_sme",
                tiers=[{"up_to_rank": 10, "amount": "100000"}],
            )

    def assert_costs(self, n: int) -> None:
        self.grow(n)
        self.client.force_login(self.officer)
        self.client.get("/rewards/rules/")  # warm the session
        with self.assertNumQueries(4):
            self.assertEqual(self.client.get("/rewards/rules/").status_code, 200)
        with self.assertNumQueries(5):
            body = self.client.get("/api/v1/reward-rules/").json()
        self.assertEqual(body["count"], n)

    def test_one_rule(self) -> None:
        self.assert_costs(1)

    def test_twelve_rules(self) -> None:
        self.assert_costs(12)
