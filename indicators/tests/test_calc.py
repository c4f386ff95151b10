"""The indicator arithmetic on its boundary cases (RULES §5.2)."""

from __future__ import annotations

from decimal import Decimal as D

from django.test import SimpleTestCase

from indicators.calc import Spec, aggregate, growth, parse_period, progress, rank, ratio

FLOW = Spec(aggregation="sum", ytd=False)
YTD = Spec(aggregation="last", ytd=True)
STOCK = Spec(aggregation="last", ytd=False)


class AggregationTests(SimpleTestCase):
    def test_flows_add_months_and_never_mix_granularities(self) -> None:
        values = {("M", 1): D(10), ("M", 2): D(20), ("M", 3): D(30), ("Q", 1): D(999)}
        self.assertEqual(aggregate(FLOW, values), (D(60), 3))
        self.assertEqual(aggregate(FLOW, {("Q", 1): D(5), ("Q", 2): D(7)}), (D(12), 6))

    def test_year_to_date_values_are_never_summed(self) -> None:
        values = {("M", 1): D(10), ("M", 2): D(25), ("M", 3): D(41)}
        self.assertEqual(aggregate(YTD, values), (D(41), 3))
        self.assertEqual(aggregate(YTD, values, as_of=2), (D(25), 2))

    def test_an_annual_value_wins_for_the_whole_year(self) -> None:
        self.assertEqual(
            aggregate(FLOW, {("Y", 0): D(500), ("M", 1): D(1)}), (D(500), 12)
        )
        self.assertEqual(aggregate(STOCK, {}), (None, 0))

    def test_ratios_divide_separately_aggregated_parts(self) -> None:
        # (10 + 30) / (100 + 300) = 10%, not the mean of 10% and 10%.
        self.assertEqual(ratio(D(40), D(400), D(100)), D(10))
        self.assertIsNone(ratio(D(1), D(0), D(100)))
        self.assertIsNone(ratio(None, D(5), D(100)))


class GrowthProgressRankTests(SimpleTestCase):
    def test_growth_is_dash_on_zero_or_missing_base(self) -> None:
        self.assertEqual(growth(D(120), D(100), is_ratio=False), D("0.2"))
        self.assertIsNone(growth(D(120), D(0), is_ratio=False))
        self.assertIsNone(growth(D(120), None, is_ratio=False))
        self.assertIsNone(growth(None, D(100), is_ratio=False))

    def test_ratio_growth_is_in_percentage_points(self) -> None:
        self.assertEqual(growth(D("2.54"), D("2.43"), is_ratio=True), D("0.11"))
        self.assertEqual(growth(D("2.54"), D(0), is_ratio=True), D("2.54"))

    def test_progress(self) -> None:
        self.assertEqual(progress(D(75), D(100)), D("0.75"))
        self.assertIsNone(progress(D(75), D(0)))
        self.assertIsNone(progress(None, D(100)))
        self.assertEqual(progress(D(50), D(40), lower_is_better=True), D("0.8"))

    def test_ties_share_a_rank_and_the_next_is_skipped(self) -> None:
        ranks = rank([("a", D(5)), ("b", D(9)), ("c", D(9)), ("d", None), ("e", D(1))])
        self.assertEqual(ranks, {"b": 1, "c": 1, "a": 3, "e": 4, "d": None})
        ascending = rank([("a", D(5)), ("b", D(9)), ("c", D(5))], descending=False)
        self.assertEqual(ascending, {"a": 1, "c": 1, "b": 3})

    def test_periods(self) -> None:
        self.assertEqual(parse_period("2025"), (2025, ("Y", 0)))
        self.assertEqual(parse_period("2025q3"), (2025, ("Q", 3)))
        self.assertEqual(parse_period("2025-07"), (2025, ("M", 7)))
        for bad in ("2025Q5", "2025-13", "25-07", "2025/07", ""):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                parse_period(bad)
