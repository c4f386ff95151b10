"""Technology contracts: the direction for our district, the office's
import (all or nothing, idempotent), the list's scoping and the computed
contract indicators by street and direction."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from bureau.models import AuditEvent
from bureau.tests.base import CastTestCase
from indicators.ledgers import contract_direction, counts_as
from indicators.models import DataValue, TechContract
from indicators.selectors import contract_figures
from indicators.services import (
    LedgerImportError,
    indicators_recompute,
    tech_contract_create,
    tech_contracts_import,
)
from indicators.tests.ledger_helpers import contract_book, contract_row


class DirectionTests(SimpleTestCase):
    def test_it_derives_the_direction_from_where_the_parties_are(self) -> None:
        cases = {
            (True, False): "out",
            (False, True): "in",
            (True, True): "both",
            (False, False): "",
        }
        for (seller, buyer), expected in cases.items():
            with self.subTest(seller=seller, buyer=buyer):
                self.assertEqual(
                    contract_direction(
                        seller_in_district=seller, buyer_in_district=buyer
                    ),
                    expected,
                )

    def test_a_contract_between_two_of_ours_counts_both_ways(self) -> None:
        self.assertIs(counts_as("both", "out"), True)
        self.assertIs(counts_as("both", "in"), True)
        self.assertIs(counts_as("out", "in"), False)


class ContractImportTests(CastTestCase):
    def run_import(self, *rows):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=True):
            return tech_contracts_import(file=contract_book(*rows), by=self.officer)

    def test_it_matches_parties_by_credit_code_then_name(self) -> None:
        result = self.run_import(
            # buyer by credit code (the name on the contract differs)
            contract_row(
                "C1",
                buyer_name="A公司（曾用名）",
                buyer_credit_code=self.enterprise_a.credit_code,
            ),
            # seller by name, buyer outside the district
            contract_row(
                "C2",
                seller_name=self.enterprise_b.name,
                buyer_name="宁波某某有限公司",
                buyer_location="浙江省宁波市",
            ),
            # both ours
            contract_row(
                "C3",
                seller_name=self.enterprise_a.name,
                buyer_name=self.enterprise_b.name,
            ),
        )
        self.assertEqual((result.created, result.updated), (3, 0))
        c1, c2, c3 = (
            TechContract.objects.get(registration_number=n) for n in ("C1", "C2", "C3")
        )
        self.assertEqual(
            (c1.direction, c1.buyer, c1.buyer_street),
            ("in", self.enterprise_a, self.street_a),
        )
        self.assertIsNone(c1.seller)
        self.assertEqual((c2.direction, c2.seller_street), ("out", self.street_b))
        self.assertEqual(
            (c3.direction, c3.seller_street, c3.buyer_street),
            ("both", self.street_a, self.street_b),
        )
        self.assertEqual(c1.contract_amount, Decimal("1200000.00"))

    def test_importing_the_same_workbook_again_changes_nothing(self) -> None:
        row = contract_row("C1", buyer_name=self.enterprise_a.name)
        self.run_import(row)
        events = AuditEvent.objects.count()
        again = self.run_import(row)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 1))
        self.assertEqual(TechContract.objects.count(), 1)
        # Only the import's own summary event.
        self.assertEqual(AuditEvent.objects.count(), events + 1)

    def test_a_registration_number_already_stored_is_updated(self) -> None:
        self.run_import(contract_row("C1", buyer_name=self.enterprise_a.name))
        result = self.run_import(
            contract_row("C1", buyer_name=self.enterprise_a.name, contract_amount=150)
        )
        self.assertEqual((result.created, result.updated), (0, 1))
        contract = TechContract.objects.get()
        self.assertEqual(contract.contract_amount, Decimal("1500000.00"))
        self.assertTrue(
            AuditEvent.objects.filter(
                action="tech_contract.update", object_id=str(contract.pk)
            ).exists()
        )

    def test_it_refuses_the_whole_file_naming_each_bad_cell(self) -> None:
        with self.assertRaises(LedgerImportError) as caught:
            self.run_import(
                contract_row("C1", buyer_name=self.enterprise_a.name),
                contract_row("C2", buyer_name="外地公司", kind="技术买卖"),
                contract_row(
                    "C3",
                    buyer_name=self.enterprise_a.name,
                    contract_amount=50,
                    transaction_amount=80,
                ),
                contract_row("C1", buyer_name=self.enterprise_a.name),
                contract_row(
                    "C5", buyer_name=self.enterprise_a.name, registered_on="2025-02-30"
                ),
            )
        found = {(e.row, e.column) for e in caught.exception.errors}
        self.assertEqual(
            found,
            {
                (3, "合同类别"),
                (4, "技术交易额（万元）"),
                (5, "合同登记号"),
                (6, "登记日期"),
            },
        )
        self.assertFalse(TechContract.objects.exists())

    def test_a_contract_with_no_party_of_ours_is_refused(self) -> None:
        with self.assertRaises(LedgerImportError) as caught:
            self.run_import(contract_row("C1", buyer_name="上海某某有限公司"))
        (error,) = caught.exception.errors
        self.assertEqual((error.row, error.column), (2, ""))
        self.assertIn("都不在本区单位名录中", error.message)

    def test_a_missing_column_refuses_the_file(self) -> None:
        from indicators.tests.ledger_helpers import _book

        with self.assertRaises(LedgerImportError) as caught:
            tech_contracts_import(
                file=_book(["合同登记号", "合同名称"], [["C1", "名称"]]),
                by=self.officer,
            )
        self.assertIn("合同类别", {e.column for e in caught.exception.errors})


class ContractIndicatorTests(CastTestCase):
    def value(self, code, unit):  # type: ignore[no-untyped-def]
        row = DataValue.objects.filter(
            indicator__code=code, org_unit=unit, year=2025, period_type="Y"
        ).first()
        return row.value if row else None

    def test_amounts_and_counts_go_to_the_street_of_our_party(self) -> None:
        a, b = self.enterprise_a, self.enterprise_b
        for number, seller, buyer, amount in (
            ("C1", a.name, "外地公司", "1000000"),  # out, street A
            ("C2", "外地大学", a.name, "300000"),  # in, street A
            ("C3", b.name, a.name, "200000"),  # both: out B, in A
        ):
            tech_contract_create(
                by=self.officer,
                registration_number=number,
                name="技术开发",
                kind="development",
                seller_name=seller,
                buyer_name=buyer,
                contract_amount=Decimal(amount),
                transaction_amount=Decimal(amount),
                registered_on="2025-05-01",
            )
        # Another year's contract counts only there.
        tech_contract_create(
            by=self.officer,
            registration_number="C9",
            name="技术服务",
            kind="service",
            seller_name=a.name,
            buyer_name="外地公司",
            contract_amount=Decimal("50000"),
            transaction_amount=Decimal("50000"),
            registered_on="2024-12-31",
        )
        indicators_recompute(year=2025)
        self.assertEqual(self.value("contract_out", self.street_a), Decimal("100"))
        self.assertEqual(self.value("contract_out", self.street_b), Decimal("20"))
        self.assertEqual(self.value("contract_out", self.district), Decimal("120"))
        self.assertEqual(self.value("contract_in", self.street_a), Decimal("50"))
        self.assertEqual(self.value("contract_in_n", self.street_a), 2)
        self.assertEqual(self.value("contract_out_n", self.district), 2)
        figures = contract_figures(2025)
        self.assertEqual(figures["count"], 3)
        self.assertEqual(figures["output"]["contract_amount"], Decimal("1200000"))
        self.assertEqual(figures["absorbed"]["count"], 2)
        self.assertEqual(figures["top_absorbing"][0][:2], (self.street_a.name, 2))


class ContractListTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(6):
            seller = cls.enterprise_a if n % 2 else cls.enterprise_b
            tech_contract_create(
                by=cls.officer,
                registration_number=f"C{n}",
                name=f"合同{n}",
                kind="development",
                seller_name=seller.name,
                buyer_name="外地公司",
                contract_amount=Decimal("10000"),
                transaction_amount=Decimal("10000"),
                registered_on="2025-03-01",
            )

    def test_a_liaison_sees_only_their_streets_contracts(self) -> None:
        self.client.force_login(self.liaison)
        response = self.client.get("/api/v1/tech-contracts/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], 3)
        page = self.client.get("/indicators/contracts/")
        self.assertEqual(page.context["page"].paginator.count, 3)

    def test_enterprise_users_may_not_read_the_register(self) -> None:
        self.client.force_login(self.ent_user)
        self.assertEqual(self.client.get("/api/v1/tech-contracts/").status_code, 403)
        self.assertEqual(self.client.get("/indicators/contracts/").status_code, 403)

    def test_the_api_list_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.officer)
        self.client.get("/api/v1/tech-contracts/")  # warm the session
        # session, user, count, page of contracts with their streets
        with self.assertNumQueries(4):
            response = self.client.get(
                "/api/v1/tech-contracts/?year=2025&direction=out"
            )
        self.assertEqual(response.json()["count"], 6)

    def test_the_page_takes_a_constant_number_of_queries(self) -> None:
        self.client.force_login(self.officer)
        self.client.get("/indicators/contracts/")
        # session, user, years, streets, count, page (with streets)
        with self.assertNumQueries(6):
            self.client.get("/indicators/contracts/?kind=development")

    def test_staff_create_one_through_the_api(self) -> None:
        self.client.force_login(self.officer)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post_json(
                "/api/v1/tech-contracts/",
                {
                    "registration_number": "NEW1",
                    "name": "检测技术服务",
                    "kind": "service",
                    "seller_name": "外地检测院",
                    "buyer_name": self.enterprise_a.name,
                    "contract_amount": "80000.00",
                    "transaction_amount": "60000.00",
                    "registered_on": "2025-07-01",
                },
            )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["direction"], "in")
        self.assertEqual(response.json()["buyer_street"], self.street_a.code)
        again = self.post_json(
            "/api/v1/tech-contracts/", {**response.json(), "contract_amount": "1"}
        )
        self.assertEqual(again.status_code, 400)

    def test_a_liaison_may_not_create_one(self) -> None:
        self.client.force_login(self.liaison)
        self.assertEqual(self.post_json("/api/v1/tech-contracts/", {}).status_code, 403)

    def test_the_export_lists_what_the_page_shows(self) -> None:
        import io

        from openpyxl import load_workbook

        self.client.force_login(self.liaison)
        response = self.client.get("/indicators/contracts/?export=xlsx")
        book = load_workbook(io.BytesIO(response.content))
        rows = list(book.worksheets[0].values)
        self.assertEqual(rows[0][0], "合同登记号")
        self.assertEqual(len(rows), 4)
