"""研发费用加计扣除 (RULES §4; CALCULATORS_API.md): the pure rules at their
boundaries, the API and the 政策测算 page."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.test import SimpleTestCase, override_settings

from bureau.tests.base import CastTestCase
from enterprises.deduction import (
    DeductionFigures,
    PolicyGap,
    estimate_sme_rd_deduction_base,
    policy_from_settings,
    super_deduction,
)

URL = "/api/v1/calculators/super-deduction/"
PAGE = "/calculators/super-deduction/"


def run(**kwargs: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "fiscal_year": 2024,
        "industry_code": "I65",
        "taxation": "actual",
        "rd_expensed": Fraction(1_000_000),
    }
    values.update(
        {
            k: Fraction(v) if isinstance(v, (int, str)) and k.startswith("rd_") else v
            for k, v in kwargs.items()
        }
    )
    return super_deduction(
        DeductionFigures(**values), policy=policy_from_settings()
    ).as_dict()


class RateByYearTests(SimpleTestCase):
    def test_general_rate_from_2023_is_100_percent(self) -> None:
        result = run(fiscal_year=2023)
        self.assertEqual(result["rate"], "1.00")
        self.assertEqual(result["eligible_base"], "1000000.00")
        self.assertEqual(result["extra_deduction"], "1000000.00")
        self.assertEqual(run(fiscal_year=2030)["rate"], "1.00")

    def test_listed_ic_and_machine_tool_get_120_percent_2023_to_2027(self) -> None:
        for special in ("ic", "machine_tool"):
            with self.subTest(special):
                first = run(fiscal_year=2023, special_list=special)
                self.assertEqual(first["rate"], "1.20")
                self.assertEqual(first["extra_deduction"], "1200000.00")
                self.assertEqual(
                    run(fiscal_year=2027, special_list=special)["rate"], "1.20"
                )
                # 2028: the 44号 window has closed; the general rate applies.
                self.assertEqual(
                    run(fiscal_year=2028, special_list=special)["rate"], "1.00"
                )

    def test_an_unlisted_enterprise_never_gets_120_percent(self) -> None:
        self.assertEqual(run(fiscal_year=2025)["rate"], "1.00")

    def test_a_year_without_rate_data_is_a_policy_gap(self) -> None:
        with self.assertRaises(PolicyGap):
            run(fiscal_year=2022)

    @override_settings(
        SUPER_DEDUCTION={
            "rates": [
                {"from": 2018, "to": 2022, "list": "", "rate": "0.75"},
                {"from": 2023, "to": None, "list": "", "rate": "1.00"},
            ],
            "excluded_industries": [],
        }
    )
    def test_rates_are_data_read_at_call_time(self) -> None:
        self.assertEqual(run(fiscal_year=2022)["rate"], "0.75")
        self.assertEqual(run(fiscal_year=2022)["extra_deduction"], "750000.00")
        self.assertEqual(run(fiscal_year=2023)["rate"], "1.00")


class BaseRuleTests(SimpleTestCase):
    def test_entrusted_domestic_counts_at_80_percent(self) -> None:
        result = run(rd_entrusted_domestic=500_000)
        self.assertEqual(result["parts"]["entrusted_domestic"], "400000.00")
        self.assertEqual(result["eligible_base"], "1400000.00")

    def test_other_costs_cap_exactly_hit_counts_in_full(self) -> None:
        # in-house 900,000: cap = 900,000 × 10% ÷ 90% = 100,000.
        result = run(rd_expensed=900_000, rd_other_costs=100_000)
        self.assertEqual(result["parts"]["other_costs"], "100000.00")
        self.assertEqual(result["eligible_base"], "1000000.00")

    def test_other_costs_above_the_cap_are_cut_to_it(self) -> None:
        figures = DeductionFigures(
            fiscal_year=2024,
            industry_code="I65",
            taxation="actual",
            rd_expensed=Fraction(900_000),
            rd_other_costs=Fraction("100000.01"),
        )
        result = super_deduction(figures, policy=policy_from_settings())
        self.assertEqual(result.parts["other_costs"], Fraction(100_000))
        self.assertIn("按10万元计入", result.notes[0])

    def test_other_costs_cap_is_over_in_house_only(self) -> None:
        # Entrusted R&D does not widen the cap: 1,000,000 × 10/90 = 111,111.11.
        result = run(rd_other_costs=500_000, rd_entrusted_domestic=2_000_000)
        self.assertEqual(result["parts"]["other_costs"], "111111.11")

    def test_overseas_at_80_percent_cap_exactly_hit(self) -> None:
        # Domestic eligible 300,000 → cap 200,000 = 250,000 × 80%.
        result = run(rd_expensed=300_000, rd_entrusted_overseas=250_000)
        self.assertEqual(result["parts"]["entrusted_overseas"], "200000.00")
        self.assertEqual(result["eligible_base"], "500000.00")

    def test_overseas_above_two_thirds_of_domestic_is_cut(self) -> None:
        # Domestic = 300,000 + 80% × 75,000 = 360,000 → cap 240,000.
        result = run(
            rd_expensed=300_000,
            rd_entrusted_domestic=75_000,
            rd_entrusted_overseas=400_000,
        )
        self.assertEqual(result["parts"]["entrusted_domestic"], "60000.00")
        self.assertEqual(result["parts"]["entrusted_overseas"], "240000.00")
        self.assertEqual(result["eligible_base"], "600000.00")

    def test_capitalised_cost_is_amortised_on_cost_times_one_plus_rate(self) -> None:
        self.assertEqual(
            run(rd_capitalised_cost=1_000_000)["amortisation_base"], "2000000.00"
        )
        self.assertEqual(
            run(rd_capitalised_cost=1_000_000, special_list="ic")["amortisation_base"],
            "2200000.00",
        )

    def test_amounts_are_two_place_strings_rounded_half_up(self) -> None:
        result = run(rd_expensed=Fraction("0.005"), rd_entrusted_domestic=0)
        self.assertEqual(result["eligible_base"], "0.01")
        self.assertEqual(result["parts"]["other_costs"], "0.00")


class NegativeListTests(SimpleTestCase):
    def test_listed_industries_are_not_eligible_with_the_reason(self) -> None:
        for code, name in [
            ("C16", "烟草制品业"),
            ("F51", "批发和零售业"),
            ("F52", "批发和零售业"),
            ("H61", "住宿和餐饮业"),
            ("H62", "住宿和餐饮业"),
            ("K70", "房地产业"),
            ("L71", "租赁和商务服务业"),
            ("L72", "租赁和商务服务业"),
            ("R90", "娱乐业"),
            ("c1610", "烟草制品业"),
        ]:
            with self.subTest(code):
                result = run(industry_code=code, rd_capitalised_cost=500)
                self.assertFalse(result["eligible"])
                self.assertEqual(len(result["reasons"]), 1)
                self.assertIn(name, result["reasons"][0])
                self.assertIn("负面清单", result["reasons"][0])
                self.assertEqual(result["eligible_base"], "0.00")
                self.assertEqual(result["extra_deduction"], "0.00")
                self.assertEqual(result["amortisation_base"], "0.00")
                self.assertEqual(set(result["parts"].values()), {"0.00"})

    def test_neighbouring_codes_are_eligible(self) -> None:
        # The divisions beside tobacco and entertainment, and the sections
        # beside the listed ones.
        for code in ("C15", "C17", "R89", "R88", "G53", "E50", "I65", "M73", "J66"):
            with self.subTest(code):
                self.assertTrue(run(industry_code=code)["eligible"])

    def test_deemed_taxation_is_not_eligible(self) -> None:
        result = run(taxation="deemed")
        self.assertFalse(result["eligible"])
        self.assertIn("核定征收", result["reasons"][0])
        self.assertEqual(result["extra_deduction"], "0.00")

    def test_both_reasons_are_given(self) -> None:
        self.assertEqual(len(run(industry_code="F51", taxation="deemed")["reasons"]), 2)


class SmeEstimateTests(SimpleTestCase):
    def test_estimate_uses_the_super_deduction_scope_not_the_hnte_one(self) -> None:
        figures = {
            "rd_personnel": Decimal(400_000),
            "rd_direct": Decimal(200_000),
            "rd_depreciation": Decimal(100_000),
            "rd_amortisation": Decimal(50_000),
            "rd_design": Decimal(100_000),
            "rd_trials": Decimal(50_000),
            "rd_other": Decimal(300_000),
            "rd_entrusted_domestic": Decimal(100_000),
            "rd_entrusted_overseas": Decimal(900_000),
        }
        # in-house 900,000; other capped at 100,000; domestic 80,000;
        # overseas 720,000 within 2/3 × 1,080,000 = 720,000.
        self.assertEqual(
            estimate_sme_rd_deduction_base(**figures), Decimal("1800000.00")
        )
        # The 高企 figure (everything at 100%) would be 2,200,000.
        self.assertEqual(sum(figures.values()), Decimal(2_200_000))


class SuperDeductionApiTests(CastTestCase):
    body = {
        "fiscal_year": 2024,
        "industry_code": "C39",
        "taxation": "actual",
        "special_list": "ic",
        "rd_expensed": "9000000",
        "rd_other_costs": "1200000",
        "rd_entrusted_domestic": 500000,
        "rd_entrusted_overseas": "300000.5",
        "rd_capitalised_cost": "1000000",
    }

    def test_every_signed_in_role_gets_the_contract_shape(self) -> None:
        for user in (self.ent_user, self.officer, self.liaison, self.expert):
            self.client.force_login(user)
            response = self.post_json(URL, self.body)
            self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            response.json(),
            {
                "eligible": True,
                "reasons": [],
                "rate": "1.20",
                "eligible_base": "10640000.40",
                "extra_deduction": "12768000.48",
                "amortisation_base": "2200000.00",
                "parts": {
                    "in_house": "9000000.00",
                    "other_costs": "1000000.00",
                    "entrusted_domestic": "400000.00",
                    "entrusted_overseas": "240000.40",
                },
            },
        )

    def test_anonymous_is_refused(self) -> None:
        self.assertIn(self.post_json(URL, self.body).status_code, (401, 403))

    def test_bad_input_is_a_400_with_field_errors(self) -> None:
        self.client.force_login(self.ent_user)
        for field, value in [
            ("fiscal_year", 2022),
            ("industry_code", "F65"),
            ("industry_code", "X12"),
            ("industry_code", "I6"),
            ("taxation", "flat"),
            ("special_list", "biotech"),
            ("rd_expensed", "-1"),
            ("rd_entrusted_overseas", "abc"),
        ]:
            with self.subTest(field=field, value=value):
                response = self.post_json(URL, {**self.body, field: value})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(list(response.json()["errors"]), [field])
        response = self.post_json(URL, {**self.body, "fiscal_year": 2022})
        self.assertIn("2022", response.json()["errors"]["fiscal_year"][0])
        response = self.post_json(URL, {**self.body, "industry_code": "F65"})
        self.assertIn("不属于门类F", response.json()["errors"]["industry_code"][0])
        missing = self.post_json(URL, {"fiscal_year": 2024})
        self.assertEqual(
            set(missing.json()["errors"]), {"industry_code", "taxation", "rd_expensed"}
        )

    def test_negative_list_answers_200_not_eligible(self) -> None:
        self.client.force_login(self.officer)
        response = self.post_json(URL, {**self.body, "industry_code": "K70"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["eligible"])
        self.assertIn("房地产业", response.json()["reasons"][0])


class SuperDeductionPageTests(CastTestCase):
    form = {
        "fiscal_year": "2025",
        "industry_code": "i65",
        "taxation": "actual",
        "special_list": "",
        "rd_expensed": "900",
        "rd_other_costs": "150",
        "rd_entrusted_domestic": "100",
        "rd_entrusted_overseas": "",
        "rd_capitalised_cost": "50",
    }

    def test_enterprise_user_computes_in_wan(self) -> None:
        self.client.force_login(self.ent_user)
        blank = self.client.get(PAGE)
        self.assertContains(blank, "研发费用加计扣除测算")
        self.assertContains(blank, "自主研发费用化支出（万元）")
        page = self.client.post(PAGE, self.form)
        self.assertEqual(page.status_code, 200)
        # 900 + min(150, 100) + 80% × 100 = 1,080万; × 100%; 50 × 200% = 100.
        self.assertContains(page, '<th class="num">1,080.00</th>', html=True)
        self.assertContains(page, '<td class="num">100.00</td>', html=True)
        self.assertContains(page, "超过限额")
        self.assertContains(page, "财政部 税务总局公告2023年第7号")
        self.assertContains(page, "成本×200%")

    def test_errors_stand_beside_the_field_and_input_is_kept(self) -> None:
        self.client.force_login(self.officer)
        page = self.client.post(PAGE, {**self.form, "industry_code": "F65"})
        self.assertContains(page, 'class="field has-error"')
        self.assertContains(page, "大类65不属于门类F")
        self.assertContains(page, 'value="F65"')
        self.assertContains(page, 'value="900"')
        self.assertNotContains(page, "测算结果")

    def test_negative_list_page_gives_the_reason(self) -> None:
        self.client.force_login(self.ent_user)
        page = self.client.post(PAGE, {**self.form, "industry_code": "H61"})
        self.assertContains(page, "不能享受研发费用加计扣除")
        self.assertContains(page, "住宿和餐饮业")

    def test_anonymous_goes_to_login(self) -> None:
        self.assertEqual(self.client.get(PAGE).status_code, 302)
