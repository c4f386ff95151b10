from __future__ import annotations

from bureau.tests.base import CastTestCase
from enterprises.tests.test_eligibility import TECH_SME_CONDITIONS

HIGH_TECH = {
    "application_date": "2025-06-01",
    "established_on": "2019-03-01",
    "ip_class1": 0,
    "ip_class2": 6,
    "core_tech_in_supported_fields": True,
    "staff_total": "80",
    "tech_staff": "12.5",
    "sales_revenue": ["20000000", "27000000", "36450000"],
    "rd_internal": ["900000", "1200000", "1500000"],
    "rd_entrusted_domestic": ["100000", "100000", "100000"],
    "total_income": "37000000",
    "non_taxable_income": "500000",
    "hightech_income": "25000000",
    "innovation_score": 75,
    "net_assets": ["10000000", "12000000", "14760000"],
    "tech_transfers_3y": 14,
}
TECH_SME = {
    "evaluation_year": 2025,
    "staff_total": 100,
    "tech_staff": 20,
    "sales_revenue": "50000000",
    "total_assets": "80000000",
    "rd_expense": "2500000",
    "ip_class1": 0,
    "ip_class2": 2,
}


class EligibilityHighTechApiTests(CastTestCase):
    url = "/api/v1/eligibility/high-tech/"

    def post(self, payload):  # type: ignore[no-untyped-def]
        return self.post_json(self.url, payload)

    def test_it_answers_the_contract_shape(self) -> None:
        self.client.force_login(self.ent_user)
        response = self.post(HIGH_TECH)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(set(body), {"eligible", "conditions", "bands"})
        self.assertIs(body["eligible"], False)  # R&D 4.60% < 5%
        self.assertEqual(len(body["conditions"]), 9)
        self.assertEqual([c["passed"] for c in body["conditions"]].count(False), 1)
        for item in body["conditions"]:
            self.assertEqual(
                set(item), {"code", "passed", "actual", "required", "message"}
            )
        rd = body["conditions"][4]
        # (3,600,000 + 0.8 × 300,000) / 83,450,000
        self.assertEqual(rd["actual"], "0.046016")
        self.assertEqual(rd["required"], "0.05")  # last year 3645万 ≤ 5000万
        self.assertIs(rd["passed"], False)
        bands = body["bands"]
        self.assertEqual(
            bands["sales_growth"], {"rate": "0.350000", "band": "A", "points": [9, 10]}
        )
        self.assertEqual(bands["net_asset_growth"]["band"], "C")
        self.assertEqual(bands["ip_count"], {"band": "B", "points": [5, 6]})
        self.assertEqual(bands["tech_transfers"]["average"], "4.666667")

    def test_numbers_and_strings_are_both_accepted(self) -> None:
        self.client.force_login(self.officer)
        payload = dict(HIGH_TECH, staff_total=80, total_income=37000000)
        self.assertEqual(self.post(payload).status_code, 200)

    def test_bad_input_is_400_naming_each_field(self) -> None:
        self.client.force_login(self.officer)
        cases = {
            "sales_revenue": dict(HIGH_TECH, sales_revenue=[]),
            "rd_internal": dict(HIGH_TECH, rd_internal=["1", "2"]),
            "tech_staff": dict(HIGH_TECH, tech_staff="81"),
            "innovation_score": dict(HIGH_TECH, innovation_score=101),
            "total_income": dict(HIGH_TECH, total_income="-1"),
            "application_date": dict(HIGH_TECH, application_date="2025-13-01"),
            "ip_class1": {k: v for k, v in HIGH_TECH.items() if k != "ip_class1"},
        }
        for field, payload in cases.items():
            with self.subTest(field=field):
                response = self.post(payload)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json()["errors"])

    def test_it_needs_a_login(self) -> None:
        self.assertEqual(self.post(HIGH_TECH).status_code, 401)


class EligibilityTechSmeApiTests(CastTestCase):
    url = "/api/v1/eligibility/tech-sme/"

    def post(self, payload):  # type: ignore[no-untyped-def]
        return self.post_json(self.url, payload)

    def test_it_answers_the_contract_shape(self) -> None:
        self.client.force_login(self.ent_user)
        body = self.post(TECH_SME).json()
        self.assertEqual(
            body["scores"],
            {"tech_staff": 12, "rd": 40, "rd_measure": "sales", "ip": 12, "total": 64},
        )
        self.assertEqual(body["route"], "score")
        self.assertEqual([c["code"] for c in body["conditions"]], TECH_SME_CONDITIONS)

    def test_a_direct_route_by_api(self) -> None:
        self.client.force_login(self.expert)
        payload = dict(
            TECH_SME,
            tech_staff=5,
            rd_expense="0",
            ip_class2=0,
            standards=[{"level": "national", "rank": 2, "year": 2023}],
        )
        body = self.post(payload).json()
        self.assertIs(body["eligible"], True)
        self.assertEqual(body["route"], "direct")

    def test_bad_nested_input_is_400(self) -> None:
        self.client.force_login(self.officer)
        response = self.post(
            dict(TECH_SME, awards=[{"level": "galactic", "rank": 1, "year": 2024}])
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("awards", response.json()["errors"])
        response = self.post(dict(TECH_SME, tech_staff=101))
        self.assertIn("tech_staff", response.json()["errors"])
