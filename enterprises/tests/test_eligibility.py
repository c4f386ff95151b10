"""Boundary tests of the eligibility engine, written from RULES.md §2–§3."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction as F

from django.test import SimpleTestCase

from enterprises.eligibility import (
    ChuyingFigures,
    HighTechFigures,
    Policy,
    TechSmeFigures,
    assess_chuying,
    assess_high_tech,
    assess_tech_sme,
    growth_rate,
    hnte_rd_expense,
)

WAN = 10_000
# The conditions of a tech-SME evaluation, in the order they are reported.
TECH_SME_CONDITIONS = [
    "size_staff",
    "size_revenue",
    "size_assets",
    "industry",
    "compliance",
    "score",
    "direct",
]


def hnte(**changes) -> HighTechFigures:  # type: ignore[no-untyped-def]
    """An enterprise that meets every condition; tests change one thing."""
    base = HighTechFigures(
        application_date=date(2025, 6, 1),
        established_on=date(2018, 3, 1),
        ip_class1=1,
        ip_class2=3,
        core_tech_in_supported_fields=True,
        staff_total=F(100),
        tech_staff=F(20),
        sales_revenue=[F(3000 * WAN), F(3500 * WAN), F(4000 * WAN)],
        rd_internal=[F(180 * WAN), F(200 * WAN), F(220 * WAN)],
        total_income=F(4100 * WAN),
        non_taxable_income=F(100 * WAN),
        hightech_income=F(3000 * WAN),
        innovation_score=78,
    )
    return replace(base, **changes)


def condition(result: dict, code: str) -> dict:  # type: ignore[type-arg]
    return next(c for c in result["conditions"] if c["code"] == code)


class HighTechConditionTests(SimpleTestCase):
    def test_the_baseline_is_eligible_with_nine_conditions_in_order(self) -> None:
        result = assess_high_tech(hnte())
        self.assertIs(result["eligible"], True)
        self.assertEqual(
            [c["code"] for c in result["conditions"]],
            [
                "registered_one_year",
                "owns_ip",
                "core_tech_field",
                "tech_staff_ratio",
                "rd_expense_ratio",
                "rd_domestic_share",
                "hightech_income_ratio",
                "innovation_score",
                "no_major_incident",
            ],
        )

    def test_365_days_pass_and_364_fail(self) -> None:
        ok = assess_high_tech(
            hnte(established_on=date(2024, 6, 1), application_date=date(2025, 6, 1))
        )
        self.assertIs(condition(ok, "registered_one_year")["passed"], True)
        self.assertEqual(condition(ok, "registered_one_year")["actual"], 365)
        short = assess_high_tech(
            hnte(established_on=date(2024, 6, 2), application_date=date(2025, 6, 1))
        )
        self.assertIs(condition(short, "registered_one_year")["passed"], False)
        self.assertIs(short["eligible"], False)

    def test_no_ip_is_not_eligible(self) -> None:
        result = assess_high_tech(hnte(ip_class1=0, ip_class2=0))
        self.assertIs(condition(result, "owns_ip")["passed"], False)
        self.assertEqual(result["bands"]["ip_count"], {"band": "E", "points": [0, 0]})

    def test_tech_staff_exactly_ten_percent_passes(self) -> None:
        self.assertIs(
            condition(assess_high_tech(hnte(tech_staff=F(10))), "tech_staff_ratio")[
                "passed"
            ],
            True,
        )
        result = assess_high_tech(hnte(tech_staff=F("9.99")))
        failed = condition(result, "tech_staff_ratio")
        self.assertIs(failed["passed"], False)
        self.assertEqual(failed["actual"], "0.099900")
        self.assertIn("还差0.01个百分点", failed["message"])

    def rd_case(self, rd_total_wan: str, last_sales_wan: int) -> dict:  # type: ignore[type-arg]
        # Three equal years so the three-year ratio is easy to set.
        sales = [F(last_sales_wan * WAN)] * 3
        rd = [F(rd_total_wan) * WAN / 3] * 3
        return condition(
            assess_high_tech(hnte(sales_revenue=sales, rd_internal=rd)),
            "rd_expense_ratio",
        )

    def test_exactly_five_percent_passes_below_5000_wan(self) -> None:
        passed = self.rd_case("750", 5000)  # 750 / 15000 = 5%
        self.assertIs(passed["passed"], True)
        self.assertEqual(passed["required"], "0.05")
        self.assertEqual(passed["actual"], "0.050000")

    def test_4_99_percent_fails_with_the_gap_in_chinese(self) -> None:
        failed = self.rd_case("748.5", 5000)  # 4.99%
        self.assertIs(failed["passed"], False)
        self.assertEqual(failed["actual"], "0.049900")
        self.assertIn("4.99%", failed["message"])
        self.assertIn("5000万元以下企业5%", failed["message"])
        self.assertIn("还差0.01个百分点", failed["message"])

    def test_sales_of_exactly_5000_wan_need_five_percent(self) -> None:
        self.assertEqual(self.rd_case("600", 5000)["required"], "0.05")

    def test_sales_just_above_5000_wan_need_four_percent(self) -> None:
        result = condition(
            assess_high_tech(
                hnte(
                    sales_revenue=[F(5000 * WAN), F(5000 * WAN), F(5000 * WAN + 1)],
                    rd_internal=[F(200 * WAN), F(200 * WAN), F(200 * WAN)],
                )
            ),
            "rd_expense_ratio",
        )
        self.assertEqual(result["required"], "0.04")
        # 600万 / 15000.0001万 is a hair under 4%: exact arithmetic fails it.
        self.assertIs(result["passed"], False)
        self.assertEqual(result["actual"], "0.040000")
        self.assertIn("3.99%", result["message"])

    def test_sales_of_exactly_two_yi_need_four_percent_and_above_three(self) -> None:
        self.assertEqual(self.rd_case("2400", 20000)["required"], "0.04")
        self.assertIs(self.rd_case("2400", 20000)["passed"], True)  # 4%
        self.assertIs(self.rd_case("2399", 20000)["passed"], False)
        above = self.rd_case("1800", 20001)
        self.assertEqual(above["required"], "0.03")
        self.assertIs(above["passed"], False)  # 1800 / 60003 < 3%
        self.assertIs(self.rd_case("1801", 20001)["passed"], True)

    def test_the_band_comes_from_the_last_year_and_the_ratio_from_three(self) -> None:
        # Earlier years are large, the last one small: band 5%, ratio on totals.
        result = condition(
            assess_high_tech(
                hnte(
                    sales_revenue=[F(30000 * WAN), F(30000 * WAN), F(4000 * WAN)],
                    rd_internal=[F(1500 * WAN), F(1500 * WAN), F(200 * WAN)],
                )
            ),
            "rd_expense_ratio",
        )
        self.assertEqual(result["required"], "0.05")
        self.assertEqual(result["actual"], "0.050000")  # 3200 / 64000

    def test_entrusted_r_and_d_counts_at_80_percent(self) -> None:
        # 500 internal + 0.8 × 312.5 entrusted = 750 over 15000 = exactly 5%.
        result = assess_high_tech(
            hnte(
                sales_revenue=[F(5000 * WAN)] * 3,
                rd_internal=[F(500 * WAN) / 3] * 3,
                rd_entrusted_domestic=[F("312.5") * WAN / 3] * 3,
            )
        )
        self.assertIs(condition(result, "rd_expense_ratio")["passed"], True)
        self.assertEqual(condition(result, "rd_expense_ratio")["actual"], "0.050000")

    def test_domestic_share_of_exactly_60_percent_passes(self) -> None:
        # internal 600; overseas 500 × 0.8 = 400 → domestic 600 / 1000.
        result = assess_high_tech(
            hnte(
                sales_revenue=[F(10000 * WAN)] * 3,
                rd_internal=[F(200 * WAN)] * 3,
                rd_entrusted_overseas=[F(500 * WAN) / 3] * 3,
            )
        )
        self.assertIs(condition(result, "rd_domestic_share")["passed"], True)
        self.assertEqual(condition(result, "rd_domestic_share")["actual"], "0.600000")
        worse = assess_high_tech(
            hnte(
                sales_revenue=[F(10000 * WAN)] * 3,
                rd_internal=[F(200 * WAN)] * 3,
                rd_entrusted_overseas=[F(501 * WAN) / 3] * 3,
            )
        )
        self.assertIs(condition(worse, "rd_domestic_share")["passed"], False)

    def test_total_income_excludes_non_taxable_income(self) -> None:
        # 3000 / (5100 − 100) = 60% exactly; without the deduction it would fail.
        result = assess_high_tech(
            hnte(total_income=F(5100 * WAN), non_taxable_income=F(100 * WAN))
        )
        self.assertIs(condition(result, "hightech_income_ratio")["passed"], True)
        self.assertEqual(
            condition(result, "hightech_income_ratio")["actual"], "0.600000"
        )
        result = assess_high_tech(
            hnte(total_income=F(5100 * WAN), non_taxable_income=F(0))
        )
        self.assertIs(condition(result, "hightech_income_ratio")["passed"], False)

    def test_score_70_fails_and_71_passes(self) -> None:
        self.assertIs(
            condition(assess_high_tech(hnte(innovation_score=70)), "innovation_score")[
                "passed"
            ],
            False,
        )
        self.assertIs(
            condition(assess_high_tech(hnte(innovation_score=71)), "innovation_score")[
                "passed"
            ],
            True,
        )

    def test_an_incident_within_365_days_fails(self) -> None:
        app = date(2025, 6, 1)
        inside = assess_high_tech(hnte(major_incident_dates=[date(2024, 6, 1)]))
        self.assertIs(condition(inside, "no_major_incident")["passed"], False)
        outside = assess_high_tech(hnte(major_incident_dates=[date(2024, 5, 31)]))
        self.assertIs(condition(outside, "no_major_incident")["passed"], True)
        self.assertEqual(app.year, 2025)

    def test_zero_sales_or_staff_fail_without_crashing(self) -> None:
        result = assess_high_tech(
            hnte(
                sales_revenue=[F(0)],
                rd_internal=[F(0)],
                staff_total=F(0),
                tech_staff=F(0),
                total_income=F(0),
                non_taxable_income=F(0),
                hightech_income=F(0),
            )
        )
        self.assertIs(result["eligible"], False)
        for code in ("tech_staff_ratio", "rd_expense_ratio", "rd_domestic_share"):
            self.assertIsNone(condition(result, code)["actual"])


class HighTechBandTests(SimpleTestCase):
    def test_sales_growth_of_the_contract_example(self) -> None:
        # ½(135/100 + 182.25/135) − 1 = 0.35 → band A.
        result = assess_high_tech(
            hnte(
                sales_revenue=[F(100 * WAN), F(135 * WAN), F("182.25") * WAN],
                rd_internal=[F(10 * WAN)] * 3,
            )
        )
        self.assertEqual(
            result["bands"]["sales_growth"],
            {"rate": "0.350000", "band": "A", "points": [9, 10]},
        )

    def test_growth_band_edges(self) -> None:
        cases = [
            ([100, 125, F("156.25")], "B"),  # exactly 25%
            ([100, 115, F("132.25")], "C"),  # exactly 15%
            ([100, 105, F("110.25")], "D"),  # exactly 5%
            ([100, 101, F("102.01")], "E"),  # 1%
            ([100, 100, 100], "F"),  # 0
            ([100, 90, 81], "F"),  # negative
        ]
        for values, band in cases:
            with self.subTest(values=values):
                result = assess_high_tech(
                    hnte(
                        sales_revenue=[F(v) * WAN for v in values],
                        rd_internal=[F(10 * WAN)] * 3,
                    )
                )
                self.assertEqual(result["bands"]["sales_growth"]["band"], band)

    def test_zero_years_follow_the_policy(self) -> None:
        self.assertEqual(growth_rate([F(0), F(100), F(150)]), F(1, 2))  # X3/X2 − 1
        self.assertIsNone(growth_rate([F(100), F(0), F(150)]))  # score 0
        self.assertEqual(growth_rate([F(100), F(130)]), F(3, 10))
        self.assertIsNone(growth_rate([F(100)]))
        self.assertIsNone(
            growth_rate([F(0), F(100), F(150)], policy=Policy(growth_year1_zero="zero"))
        )

    def test_net_asset_and_transfer_bands(self) -> None:
        result = assess_high_tech(
            hnte(net_assets=[F(1000), F(1200), F(1476)], tech_transfers_3y=14)
        )
        self.assertEqual(result["bands"]["net_asset_growth"]["rate"], "0.215000")
        self.assertEqual(result["bands"]["net_asset_growth"]["band"], "C")
        self.assertEqual(
            result["bands"]["tech_transfers"],
            {"average": "4.666667", "band": "B", "points": [19, 24]},
        )
        self.assertNotIn("net_asset_growth", assess_high_tech(hnte())["bands"])

    def test_transfers_of_a_young_company_divide_by_its_years(self) -> None:
        # Founded 2023: for a 2025 application it has operated FY2023–2024.
        result = assess_high_tech(
            hnte(
                established_on=date(2023, 3, 1),
                sales_revenue=[F(1000 * WAN), F(1200 * WAN)],
                rd_internal=[F(60 * WAN)] * 2,
                tech_transfers_3y=10,
            )
        )
        self.assertEqual(result["bands"]["tech_transfers"]["band"], "A")  # 10 / 2

    def test_ip_count_bands(self) -> None:
        for (c1, c2), band in {
            (1, 0): "A",
            (0, 5): "B",
            (0, 3): "C",
            (0, 1): "D",
        }.items():
            result = assess_high_tech(hnte(ip_class1=c1, ip_class2=c2))
            self.assertEqual(result["bands"]["ip_count"]["band"], band)

    def test_other_r_and_d_is_capped(self) -> None:
        categories = {
            "personnel": F(60),
            "direct": F(20),
            "entrusted": F(25),
            "other": F(50),
        }
        # rest = 60 + 20 + 0.8 × 25 = 100; other capped at 25.
        self.assertEqual(hnte_rd_expense(categories), F(125))
        categories["other"] = F(10)
        self.assertEqual(hnte_rd_expense(categories), F(110))


def sme(**changes) -> TechSmeFigures:  # type: ignore[no-untyped-def]
    base = TechSmeFigures(
        evaluation_year=2025,
        staff_total=F(100),
        tech_staff=F(20),  # 20% → 12
        sales_revenue=F(5000 * WAN),
        total_assets=F(8000 * WAN),
        rd_expense=F(250 * WAN),  # 5% → 40
        ip_class1=0,
        ip_class2=2,  # → 12
    )
    return replace(base, **changes)


class TechSmeTests(SimpleTestCase):
    def test_a_scored_enterprise_of_64_points(self) -> None:
        result = assess_tech_sme(sme())
        self.assertIs(result["eligible"], True)
        self.assertEqual(result["route"], "score")
        self.assertEqual(
            result["scores"],
            {"tech_staff": 12, "rd": 40, "rd_measure": "sales", "ip": 12, "total": 64},
        )
        self.assertEqual([c["code"] for c in result["conditions"]], TECH_SME_CONDITIONS)

    def test_staff_500_pass_and_501_fail(self) -> None:
        self.assertIs(
            assess_tech_sme(sme(staff_total=F(500), tech_staff=F(100)))["eligible"],
            True,
        )
        result = assess_tech_sme(sme(staff_total=F(501), tech_staff=F(101)))
        self.assertIs(result["eligible"], False)
        self.assertIsNone(result["route"])
        self.assertIn("超过500人", condition(result, "size_staff")["message"])

    def test_revenue_and_assets_of_exactly_two_yi_pass(self) -> None:
        ok = assess_tech_sme(
            sme(
                sales_revenue=F(20000 * WAN),
                rd_expense=F(1200 * WAN),
                total_assets=F(20000 * WAN),
            )
        )
        self.assertIs(ok["eligible"], True)
        too_big = assess_tech_sme(sme(total_assets=F(20000 * WAN) + 1))
        self.assertIs(condition(too_big, "size_assets")["passed"], False)
        too_big = assess_tech_sme(
            sme(sales_revenue=F(20000 * WAN) + 1, rd_expense=F(1300 * WAN))
        )
        self.assertIs(condition(too_big, "size_revenue")["passed"], False)

    def test_exactly_60_points_pass_and_59_cannot_happen_but_56_fails(self) -> None:
        # 16 (25%) + 20 (3%) + 24 (4 Class Ⅱ) = 60
        result = assess_tech_sme(
            sme(tech_staff=F(25), rd_expense=F(150 * WAN), ip_class2=4)
        )
        self.assertEqual(result["scores"]["total"], 60)
        self.assertIs(condition(result, "score")["passed"], True)
        # 12 + 20 + 24 = 56
        result = assess_tech_sme(
            sme(tech_staff=F(20), rd_expense=F(150 * WAN), ip_class2=4)
        )
        self.assertEqual(result["scores"]["total"], 56)
        self.assertIs(result["eligible"], False)

    def test_zero_staff_points_fail_even_with_a_high_total(self) -> None:
        # 9.99% staff → 0; R&D 6% → 50; Class Ⅰ → 30; total 80.
        result = assess_tech_sme(
            sme(tech_staff=F("9.99"), rd_expense=F(300 * WAN), ip_class1=1)
        )
        self.assertEqual(result["scores"]["total"], 80)
        self.assertIs(condition(result, "score")["passed"], False)
        self.assertIs(result["eligible"], False)

    def test_staff_and_rd_table_edges(self) -> None:
        for ratio, points in [(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)]:
            self.assertEqual(
                assess_tech_sme(sme(tech_staff=F(ratio)))["scores"]["tech_staff"],
                points,
            )
        for pct, points in [
            (6, 50),
            (5, 40),
            (4, 30),
            (3, 20),
            (2, 10),
            (F("1.99"), 0),
        ]:
            rd = F(pct) * 5000 * WAN / 100
            self.assertEqual(
                assess_tech_sme(sme(rd_expense=rd))["scores"]["rd"], points
            )

    def test_the_better_r_and_d_measure_is_taken(self) -> None:
        # 2% of sales → 10; 25% of costs → 40.
        result = assess_tech_sme(
            sme(rd_expense=F(100 * WAN), total_cost_expense=F(400 * WAN))
        )
        self.assertEqual(result["scores"]["rd"], 40)
        self.assertEqual(result["scores"]["rd_measure"], "cost")
        result = assess_tech_sme(sme(total_cost_expense=F(100000 * WAN)))
        self.assertEqual(result["scores"]["rd_measure"], "sales")

    def test_ip_points(self) -> None:
        for (c1, c2), points in {
            (1, 0): 30,
            (0, 4): 24,
            (0, 9): 24,
            (0, 3): 18,
            (0, 2): 12,
            (0, 1): 6,
            (0, 0): 0,
        }.items():
            self.assertEqual(
                assess_tech_sme(sme(ip_class1=c1, ip_class2=c2))["scores"]["ip"], points
            )

    def weak(self, **changes) -> TechSmeFigures:  # type: ignore[no-untyped-def]
        # 4 + 0 + 0 = 4 points: only a direct route can qualify it.
        return sme(tech_staff=F(10), rd_expense=F(0), ip_class2=0, **changes)

    def test_each_direct_route(self) -> None:
        routes = {
            "certificate": {"high_tech_certificate_valid": True},
            "award": {"awards": [{"level": "national", "rank": 3, "year": 2021}]},
            "institution": {"rd_institutions": ["provincial"]},
            "standard": {"standards": [{"level": "industry", "rank": 5, "year": 2025}]},
        }
        for name, change in routes.items():
            with self.subTest(route=name):
                result = assess_tech_sme(self.weak(**change))
                self.assertIs(result["eligible"], True)
                self.assertEqual(result["route"], "direct")
                self.assertIs(condition(result, "score")["passed"], False)

    def test_near_misses_of_direct_routes_do_not_count(self) -> None:
        misses = {
            "provincial award": {
                "awards": [{"level": "provincial", "rank": 1, "year": 2024}]
            },
            "rank 4": {"awards": [{"level": "national", "rank": 4, "year": 2024}]},
            "six years ago": {
                "awards": [{"level": "national", "rank": 1, "year": 2020}]
            },
            "municipal centre": {"rd_institutions": ["municipal"]},
            "local standard": {
                "standards": [{"level": "local", "rank": 1, "year": 2024}]
            },
            "6th drafter": {
                "standards": [{"level": "national", "rank": 6, "year": 2024}]
            },
        }
        for name, change in misses.items():
            with self.subTest(miss=name):
                self.assertIs(assess_tech_sme(self.weak(**change))["eligible"], False)

    def test_the_direct_route_still_needs_size_and_compliance(self) -> None:
        result = assess_tech_sme(
            self.weak(high_tech_certificate_valid=True, staff_total=F(600))
        )
        self.assertIs(result["eligible"], False)
        result = assess_tech_sme(
            self.weak(high_tech_certificate_valid=True, compliance_issue=True)
        )
        self.assertIs(result["eligible"], False)
        result = assess_tech_sme(sme(restricted_industry=True))
        self.assertIs(result["eligible"], False)


class ChuyingTests(SimpleTestCase):
    def figures(self, **changes) -> ChuyingFigures:  # type: ignore[no-untyped-def]
        base = ChuyingFigures(
            established_on=date(2019, 1, 1),
            sales_revenue=F(2000 * WAN),
            staff_total=F(40),
            tech_staff=F(8),
            rd_expense=F(100 * WAN),
            ip_class1=0,
            ip_class2=1,
        )
        return replace(base, **changes)

    def test_the_2022_round(self) -> None:
        self.assertIs(assess_chuying(self.figures())["eligible"], True)
        self.assertIs(assess_chuying(self.figures(tech_staff=F(5)))["eligible"], False)
        self.assertIs(
            assess_chuying(self.figures(established_on=date(2021, 6, 1)))["eligible"],
            False,
        )

    def test_exactly_3000_wan_falls_in_the_four_percent_band(self) -> None:
        result = assess_chuying(
            self.figures(sales_revenue=F(3000 * WAN), rd_expense=F(120 * WAN))
        )
        self.assertEqual(condition(result, "rd_ratio")["required"], "0.04")
        self.assertIs(result["eligible"], True)
        result = assess_chuying(
            self.figures(sales_revenue=F(3000 * WAN) - 1, rd_expense=F(120 * WAN))
        )
        self.assertEqual(condition(result, "rd_ratio")["required"], "0.05")
        self.assertIs(result["eligible"], False)
