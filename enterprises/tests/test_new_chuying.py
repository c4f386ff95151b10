"""杭州新雏鹰 (RULES §6.2) at the boundaries of the 2024 round's preset."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction as F

from django.test import SimpleTestCase, override_settings

from bureau.tests.base import CastTestCase
from enterprises.eligibility import (
    NewChuyingFigures,
    assess_new_chuying,
    new_chuying_criteria_from_settings,
)

WAN = 10_000
CODES = [
    "tech_sme",
    "age",
    "future_industry",
    "rd_staff_ratio",
    "rd_expense_ratio",
    "core_ip",
    "strength",
    "credit",
]


def figures(**changes) -> NewChuyingFigures:  # type: ignore[no-untyped-def]
    """An enterprise that meets every condition; tests change one thing."""
    base = NewChuyingFigures(
        evaluation_date=date(2026, 9, 1),
        established_on=date(2022, 3, 1),
        provincial_tech_sme=True,
        future_industry=True,
        staff_total=F(50),
        rd_staff=F(10),  # exactly 20%
        operating_revenue=F(3000 * WAN),
        rd_expense=F(300 * WAN),  # exactly 10%
        core_ip_applications=3,
        core_ip_granted=1,
        pct_applications=0,
        rd_input_3y=F(600 * WAN),
        equity_financing=F(2000 * WAN),  # exactly 2000万
    )
    return replace(base, **changes)


def verdict(result: dict, code: str) -> bool | None:  # type: ignore[type-arg]
    return next(c for c in result["conditions"] if c["code"] == code)["passed"]


class NewChuyingTests(SimpleTestCase):
    def test_the_baseline_meets_all_eight_in_order(self) -> None:
        result = assess_new_chuying(figures())
        self.assertIs(result["eligible"], True)
        self.assertEqual([c["code"] for c in result["conditions"]], CODES)

    def test_five_years_to_the_day_is_within(self) -> None:
        # Founded 2021-09-01: 2026-09-01 is the fifth anniversary (以内).
        self.assertIs(
            verdict(
                assess_new_chuying(figures(established_on=date(2021, 9, 1))), "age"
            ),
            True,
        )
        self.assertIs(
            verdict(
                assess_new_chuying(figures(established_on=date(2021, 8, 31))), "age"
            ),
            False,
        )

    def test_a_leap_day_founding_turns_five_on_28_february(self) -> None:
        leap = figures(established_on=date(2020, 2, 29))
        self.assertIs(
            verdict(
                assess_new_chuying(replace(leap, evaluation_date=date(2025, 2, 28))),
                "age",
            ),
            True,
        )
        self.assertIs(
            verdict(
                assess_new_chuying(replace(leap, evaluation_date=date(2025, 3, 1))),
                "age",
            ),
            False,
        )

    def test_rd_staff_and_rd_expense_at_their_floors(self) -> None:
        self.assertIs(
            verdict(assess_new_chuying(figures(rd_staff=F("9.99"))), "rd_staff_ratio"),
            False,
        )
        low = assess_new_chuying(figures(rd_expense=F(2999999)))
        self.assertIs(verdict(low, "rd_expense_ratio"), False)
        self.assertIs(low["eligible"], False)

    def test_core_ip_by_count_or_by_pct(self) -> None:
        self.assertIs(
            verdict(assess_new_chuying(figures(core_ip_applications=2)), "core_ip"),
            False,
        )
        self.assertIs(
            verdict(assess_new_chuying(figures(core_ip_granted=0)), "core_ip"), False
        )
        self.assertIs(
            verdict(
                assess_new_chuying(
                    figures(
                        core_ip_applications=0, core_ip_granted=0, pct_applications=1
                    )
                ),
                "core_ip",
            ),
            True,
        )

    def test_strength_by_any_route_at_its_boundary(self) -> None:
        none = figures(equity_financing=F(2000 * WAN - 1))
        self.assertIs(verdict(assess_new_chuying(none), "strength"), False)
        for change in (
            {"equity_financing": F(2000 * WAN)},
            {"rd_expense": F(1000 * WAN), "operating_revenue": F(5000 * WAN)},
            {"rd_input_3y": F(2000 * WAN)},
            {"d_class_talent": True},
            {"provincial_award_rank": 2},
        ):
            with self.subTest(change=change):
                result = assess_new_chuying(replace(none, **change))
                self.assertIs(verdict(result, "strength"), True)
        third_prize = replace(none, provincial_award_rank=3)
        self.assertIs(verdict(assess_new_chuying(third_prize), "strength"), False)

    def test_not_a_tech_sme_or_dishonest_fails(self) -> None:
        self.assertIs(
            assess_new_chuying(figures(provincial_tech_sme=False))["eligible"], False
        )
        self.assertIs(
            verdict(assess_new_chuying(figures(serious_dishonesty=True)), "credit"),
            False,
        )

    def test_unknowns_are_pending_and_named(self) -> None:
        result = assess_new_chuying(
            figures(future_industry=None, serious_dishonesty=None, rd_staff=None)
        )
        self.assertIsNone(result["eligible"])
        for code in ("future_industry", "credit", "rd_staff_ratio"):
            condition = next(c for c in result["conditions"] if c["code"] == code)
            self.assertEqual(condition["status"], "pending")
            self.assertTrue(condition["missing"])

    @override_settings(
        ELIGIBILITY_NEW_CHUYING={"min_rd_ratio": "0.08", "max_age_years": 3}
    )
    def test_the_round_preset_comes_from_settings(self) -> None:
        criteria = new_chuying_criteria_from_settings()
        self.assertEqual(criteria.min_rd_ratio, F(8, 100))
        self.assertEqual(criteria.max_age_years, 3)
        result = assess_new_chuying(figures(rd_expense=F(240 * WAN)), criteria)
        self.assertIs(verdict(result, "rd_expense_ratio"), True)
        self.assertIs(verdict(result, "age"), False)  # founded 2022-03, 3-year round


class NewChuyingApiTests(CastTestCase):
    url = "/api/v1/eligibility/new-chuying/"
    payload = {
        "evaluation_date": "2026-09-01",
        "established_on": "2022-03-01",
        "provincial_tech_sme": True,
        "future_industry": True,
        "staff_total": 50,
        "rd_staff": 10,
        "operating_revenue": "30000000",
        "rd_expense": "3000000",
        "core_ip_applications": 3,
        "core_ip_granted": 1,
        "pct_applications": 0,
        "equity_financing": "20000000",
    }

    def test_the_contract_shape(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.post_json(self.url, self.payload)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertIs(body["eligible"], True)
        self.assertEqual([c["code"] for c in body["conditions"]], CODES)
        self.assertEqual(
            set(body["conditions"][0]),
            {"code", "passed", "actual", "required", "message"},
        )

    def test_absent_optional_strength_inputs_are_not_claimed(self) -> None:
        self.client.force_login(self.officer)
        payload = {k: v for k, v in self.payload.items() if k != "equity_financing"}
        body = self.post_json(self.url, payload).json()
        self.assertIs(body["eligible"], False)
        strength = next(c for c in body["conditions"] if c["code"] == "strength")
        self.assertIs(strength["passed"], False)

    def test_bad_input_is_400(self) -> None:
        self.client.force_login(self.officer)
        for field, change in {
            "rd_staff": {"rd_staff": 51},
            "core_ip_granted": {"core_ip_granted": 4},
            "established_on": {"established_on": "2027-01-01"},
            "operating_revenue": {"operating_revenue": "-1"},
        }.items():
            with self.subTest(field=field):
                response = self.post_json(self.url, {**self.payload, **change})
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json()["errors"])
        self.client.logout()
        self.assertEqual(self.post_json(self.url, self.payload).status_code, 401)
