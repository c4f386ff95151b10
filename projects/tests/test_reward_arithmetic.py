"""The arithmetic of figure-based reward rules at its boundaries: the cap,
the minimum, ties on a rank band and on the top N, the floors on the year
and the year before (RULES §0.2: 不低于 includes the number)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.test import SimpleTestCase

from projects.reward_arithmetic import (
    GROWTH,
    INCREMENT,
    TOTAL,
    FigureRow,
    Floors,
    candidates,
    figure_words,
    rate_amount,
    rate_sentence,
    terms_sentence,
    tier_for_rank,
    within_top,
)

WAN = Decimal(10_000)
FEN = Decimal("0.01")


def row(pk: int, current_wan: str, previous_wan: str | None = None) -> FigureRow:
    previous = None if previous_wan is None else Decimal(previous_wan) * WAN
    return FigureRow(pk, Decimal(current_wan) * WAN, previous)


class RateTests(SimpleTestCase):
    def amount(self, value_wan: str, **terms: str | None) -> tuple[Decimal, str]:
        result = rate_amount(
            Decimal(value_wan) * WAN,
            rate=Decimal(terms.get("rate") or "0.05"),
            cap=None if terms.get("cap") is None else Decimal(terms["cap"]) * WAN,  # type: ignore[arg-type]
            minimum=(
                None
                if terms.get("minimum") is None
                else Decimal(terms["minimum"]) * WAN  # type: ignore[arg-type]
            ),
            quantum=Decimal(terms.get("quantum") or "0.01"),
        )
        return result.amount, result.limited_by

    def test_the_cap_binds_only_above_it(self) -> None:
        # 1000万 × 5% = 50万: exactly the cap, paid as computed.
        self.assertEqual(self.amount("1000", cap="50"), (50 * WAN, ""))
        # One fen more is above the cap ("最高50万元").
        self.assertEqual(self.amount("1000.0002", cap="50"), (50 * WAN, "cap"))
        self.assertEqual(self.amount("999.9998", cap="50"), (Decimal("499999.90"), ""))

    def test_the_minimum_binds_only_below_it(self) -> None:
        # 200万 × 5% = 10万: exactly the minimum, paid as computed.
        self.assertEqual(self.amount("200", minimum="10"), (10 * WAN, ""))
        self.assertEqual(self.amount("199.9998", minimum="10"), (10 * WAN, "minimum"))
        self.assertEqual(self.amount("300", minimum="10"), (15 * WAN, ""))

    def test_the_product_is_rounded_half_up_to_the_quantum(self) -> None:
        # 12,345.67元 × 5% = 617.2835元
        self.assertEqual(self.amount("1.234567")[0], Decimal("617.28"))
        self.assertEqual(self.amount("1.234567", quantum="1")[0], Decimal("617"))
        # 12,345.70元 × 5% = 617.285元 → 617.29 (half up, not to even)
        self.assertEqual(self.amount("1.23457")[0], Decimal("617.29"))

    def test_the_sentence_states_the_arithmetic_and_the_cap(self) -> None:
        r = FigureRow(7, Decimal("30000000"), Decimal("17654400"))
        value = r.value(INCREMENT)
        assert value is not None
        self.assertEqual(value, Decimal("12345600"))
        head = figure_words("rd_incurred", INCREMENT, 2025, r, value)
        result = rate_amount(
            value, rate=Decimal("0.05"), cap=50 * WAN, minimum=None, quantum=FEN
        )
        self.assertEqual(
            rate_sentence(head, Decimal("0.05"), result),
            "2025年研发投入增量 1,234.56万元（2025年 3,000万元，2024年 1,765.44万元）"
            " × 5% = 61.73万元，超过上限 50万元，按 50万元 计",
        )

    def test_the_sentence_states_the_minimum(self) -> None:
        r = FigureRow(7, Decimal("1200000"), None)
        head = figure_words("main_business_revenue", TOTAL, 2025, r, r.current)
        result = rate_amount(
            r.current,
            rate=Decimal("0.025"),
            cap=None,
            minimum=10 * WAN,
            quantum=FEN,
        )
        self.assertEqual(
            rate_sentence(head, Decimal("0.025"), result),
            "2025年主营业务收入 120万元 × 2.5% = 3万元，不足保底 10万元，按 10万元 计",
        )


class RankingTests(SimpleTestCase):
    def test_ties_share_the_best_rank_and_skip_the_next(self) -> None:
        ranked = candidates(
            [row(3, "900"), row(1, "1000"), row(2, "1000"), row(4, "800")],
            base=TOTAL,
            floors=Floors(),
        )
        self.assertEqual(
            [(c.row.enterprise_id, c.rank, c.tied) for c in ranked],
            [(1, 1, True), (2, 1, True), (3, 3, False), (4, 4, False)],
        )

    def test_a_tie_on_the_last_place_of_the_top_n_takes_both(self) -> None:
        ranked = candidates(
            [row(1, "1000"), row(2, "900"), row(3, "900"), row(4, "800")],
            base=TOTAL,
            floors=Floors(),
        )
        self.assertEqual(
            [c.row.enterprise_id for c in within_top(ranked, 2)], [1, 2, 3]
        )
        self.assertEqual([c.row.enterprise_id for c in within_top(ranked, 1)], [1])
        self.assertEqual(len(within_top(ranked, None)), 4)

    def test_the_floor_on_the_year_before_keeps_a_tiny_base_out(self) -> None:
        """1万→10万 (+900%) must not outrank 5000万→6000万 (+20%)."""
        rows = [row(1, "10", "1"), row(2, "6000", "5000"), row(3, "110", "100")]
        unfloored = candidates(rows, base=GROWTH, floors=Floors())
        self.assertEqual(unfloored[0].row.enterprise_id, 1)
        floored = candidates(
            rows, base=GROWTH, floors=Floors(minimum_previous=100 * WAN)
        )
        self.assertEqual(
            [(c.row.enterprise_id, c.rank) for c in floored], [(2, 1), (3, 2)]
        )

    def test_floors_include_the_number_itself(self) -> None:
        rows = [row(1, "500", "100"), row(2, "499.9999", "99.9999")]
        floors = Floors(minimum_current=500 * WAN, minimum_previous=100 * WAN)
        self.assertEqual(
            [
                c.row.enterprise_id
                for c in candidates(rows, base=INCREMENT, floors=floors)
            ],
            [1],
        )

    def test_a_fall_a_standstill_and_a_zero_base_are_not_ranked(self) -> None:
        rows = [
            row(1, "900", "1000"),  # fall
            row(2, "1000", "1000"),  # standstill
            row(3, "500", "0"),  # zero base: growth not comparable
            row(4, "500"),  # no return for the year before
            row(5, "550", "500"),
        ]
        for base in (INCREMENT, GROWTH):
            with self.subTest(base=base):
                self.assertEqual(
                    [
                        c.row.enterprise_id
                        for c in candidates(rows, base=base, floors=Floors())
                    ],
                    [5] if base == GROWTH else [3, 5],
                )

    def test_rank_bands_at_their_edges(self) -> None:
        bands = [
            {"up_to_rank": 3, "amount": "300000"},
            {"up_to_rank": 10, "amount": "100000"},
        ]
        self.assertEqual(tier_for_rank(bands, 1), (1, 3, Decimal("300000")))
        self.assertEqual(tier_for_rank(bands, 3), (1, 3, Decimal("300000")))
        self.assertEqual(tier_for_rank(bands, 4), (4, 10, Decimal("100000")))
        self.assertEqual(tier_for_rank(bands, 10), (4, 10, Decimal("100000")))
        self.assertIsNone(tier_for_rank(bands, 11))


class TermsTests(SimpleTestCase):
    def rule(self, **values: object) -> SimpleNamespace:
        defaults: dict[str, object] = {
            "kind": "rate",
            "target": "",
            "award_round": "first",
            "amount": None,
            "figure": "rd_incurred",
            "base": INCREMENT,
            "rate": Decimal("0.05"),
            "cap": 300 * WAN,
            "minimum_amount": None,
            "minimum_current": None,
            "minimum_previous": None,
            "top_n": None,
            "tiers": [],
        }
        return SimpleNamespace(**{**defaults, **values})

    def test_each_kind_says_what_it_pays(self) -> None:
        names = {"hnte": "国家高新技术企业", "tech_sme": "科技型中小企业"}
        self.assertEqual(
            terms_sentence(self.rule(), names), "全区按研发投入增量 × 5%，最高 300万元"
        )
        self.assertEqual(
            terms_sentence(
                self.rule(
                    kind="ranking",
                    base=GROWTH,
                    minimum_previous=100 * WAN,
                    tiers=[
                        {"up_to_rank": 3, "amount": "300000"},
                        {"up_to_rank": 10, "amount": "100000"},
                    ],
                ),
                names,
            ),
            "全区按研发投入增长率排名：第1至3名 30万元，第4至10名 10万元；上年度不低于 100万元",
        )
        self.assertEqual(
            terms_sentence(
                self.rule(
                    kind="new_tier",
                    target="hnte",
                    award_round="renewal",
                    amount=5 * WAN,
                ),
                names,
            ),
            "国家高新技术企业重新认定，每家 5万元",
        )
        self.assertEqual(
            terms_sentence(
                self.rule(target="tech_sme", top_n=20, minimum_amount=WAN), names
            ),
            "科技型中小企业中按研发投入增量 × 5%（仅前20名），最高 300万元，保底 1万元",
        )
