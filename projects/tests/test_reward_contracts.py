"""Reward rules by technology contracts (issue 15 item 2): the technical
transaction amount an enterprise absorbed (bought) or output (sold) in the
year, read through the figure indicators registers with enterprises, paid
by a rate rule with a cap or by a ranking rule in the year's batch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from django.urls import reverse

from bureau.tests.base import CastTestCase
from enterprises.selectors import (
    ANNUAL_FIGURES,
    annual_figure_by_enterprise,
    annual_figure_codes,
    register_annual_figure,
)
from enterprises.tests.factories import EnterpriseFactory
from indicators.models import TechContract
from projects.models import Programme, RewardRule
from projects.reward_arithmetic import terms_sentence
from projects.services.rewards import reward_batch_build, reward_rule_create

YEAR = 2025
WAN = Decimal(10_000)
_numbers = count(1)


def contract(
    *,
    year: int = YEAR,
    wan: str,
    buyer: Any = None,
    seller: Any = None,
    contract_wan: str | None = None,
) -> TechContract:
    """A registered contract; its direction follows the parties, as the
    contract service derives it."""
    if buyer is not None and seller is not None:
        direction = TechContract.Direction.BOTH
    elif seller is not None:
        direction = TechContract.Direction.OUTFLOW
    else:
        direction = TechContract.Direction.INFLOW
    return TechContract.objects.create(
        registration_number=f"2025330100{next(_numbers):06d}",
        name="技术开发合同",
        kind=TechContract.Kind.DEVELOPMENT,
        seller=seller,
        seller_name=seller.name if seller else "浙江大学",
        buyer=buyer,
        buyer_name=buyer.name if buyer else "上海某公司",
        direction=direction,
        contract_amount=Decimal(contract_wan or wan) * WAN,
        transaction_amount=Decimal(wan) * WAN,
        registered_on=date(year, 6, 30),
    )


class ContractRewardTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = Programme.objects.create(
            name="技术合同奖励",
            level=Programme.Level.DISTRICT,
            kind=Programme.Kind.REWARD,
        )
        cls.big, cls.mid, cls.seller_only, cls.old = (
            EnterpriseFactory(org_unit=cls.street_a, name=f"杭州合同{i}号科技有限公司")
            for i in range(4)
        )
        # big bought 300万 + 400万 (技术交易额) in the year: 70万 at 10%,
        # capped at 50万; one of them a contract with another district firm.
        contract(wan="300", buyer=cls.big, contract_wan="350")
        contract(wan="400", buyer=cls.big, seller=cls.seller_only)
        # mid bought 120万: 12万.
        contract(wan="120", buyer=cls.mid)
        # Sold, not bought: counts for the output figure only.
        contract(wan="900", seller=cls.seller_only)
        # Another year's contract does not count.
        contract(year=YEAR - 1, wan="800", buyer=cls.old)
        contract(year=YEAR + 1, wan="800", buyer=cls.mid)

    def rule(self, **values: Any) -> RewardRule:
        return reward_rule_create(
            by=self.officer, programme=self.programme, name="技术合同奖励", **values
        )

    def paid(self, rule: RewardRule) -> dict[int, tuple[Decimal, str]]:
        batch = reward_batch_build(year=YEAR, by=self.officer)
        return {
            e.enterprise_id: (e.amount, e.reason)
            for e in batch.entitlements.filter(rule=rule)
        }

    def test_figures_by_direction_and_year(self) -> None:
        absorbed = annual_figure_by_enterprise(
            figure=RewardRule.Figure.CONTRACTS_ABSORBED, year=YEAR
        )
        self.assertEqual(
            absorbed,
            {self.big.pk: Decimal("7000000.00"), self.mid.pk: Decimal("1200000.00")},
        )
        output = annual_figure_by_enterprise(
            figure=RewardRule.Figure.CONTRACTS_OUTPUT, year=YEAR
        )
        # The contract between two district firms counts for its seller too.
        self.assertEqual(output, {self.seller_only.pk: Decimal("13000000.00")})
        self.assertEqual(
            annual_figure_by_enterprise(
                figure=RewardRule.Figure.CONTRACTS_ABSORBED, year=YEAR - 1
            ),
            {self.old.pk: Decimal("8000000.00")},
        )

    def test_every_figure_choice_is_readable(self) -> None:
        self.assertEqual(
            set(RewardRule.Figure.values), set(annual_figure_codes()), "choices"
        )
        with self.assertRaises(ValueError):
            register_annual_figure(ANNUAL_FIGURES[0], lambda year: {})

    def test_rate_rule_pays_ten_percent_up_to_the_cap(self) -> None:
        rule = self.rule(
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.CONTRACTS_ABSORBED,
            base=RewardRule.Base.TOTAL,
            rate=Decimal("0.10"),
            cap=50 * WAN,
        )
        paid = self.paid(rule)
        self.assertEqual(set(paid), {self.big.pk, self.mid.pk})
        self.assertEqual(
            paid[self.big.pk],
            (
                50 * WAN,
                "2025年吸纳技术合同技术交易额 700万元 × 10% = 70万元，"
                "超过上限 50万元，按 50万元 计",
            ),
        )
        self.assertEqual(
            paid[self.mid.pk],
            (12 * WAN, "2025年吸纳技术合同技术交易额 120万元 × 10% = 12万元"),
        )
        self.assertEqual(
            terms_sentence(rule, {}),
            "全区按吸纳技术合同技术交易额 × 10%，最高 50万元",
        )

    def test_ranking_rule_by_contracts_output(self) -> None:
        rule = self.rule(
            kind=RewardRule.Kind.RANKING,
            figure=RewardRule.Figure.CONTRACTS_OUTPUT,
            base=RewardRule.Base.TOTAL,
            tiers=[{"up_to_rank": 1, "amount": "200000"}],
        )
        paid = self.paid(rule)
        self.assertEqual(
            paid,
            {
                self.seller_only.pk: (
                    20 * WAN,
                    "2025年输出技术合同技术交易额 1,300万元，全区第1名，"
                    "按第1名档奖励 20万元",
                )
            },
        )

    def test_increase_on_the_year_before(self) -> None:
        rule = self.rule(
            kind=RewardRule.Kind.RATE,
            figure=RewardRule.Figure.CONTRACTS_ABSORBED,
            base=RewardRule.Base.INCREMENT,
            rate=Decimal("0.10"),
        )
        # Only enterprises with contracts in both years have an increase.
        contract(year=YEAR - 1, wan="100", buyer=self.mid)
        paid = self.paid(rule)
        self.assertEqual(set(paid), {self.mid.pk})
        self.assertEqual(paid[self.mid.pk][0], 2 * WAN)

    def test_the_rules_page_offers_the_figures_in_chinese(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.get(reverse("reward-rule-create"))
        self.assertContains(page, "吸纳技术合同技术交易额")
        self.assertContains(page, "输出技术合同技术交易额")
