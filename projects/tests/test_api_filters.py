"""The integer filters of the projects list APIs refuse a value the database
cannot hold with a 400 naming the field (the schema fuzzer found
`?call=599152161044685520896` overflowing SQLite's integer: a 500)."""

from __future__ import annotations

from bureau.tests.base import CastTestCase

# (list path, its integer filters)
INTEGER_FILTERS = [
    ("/api/v1/applications/", ["call", "enterprise"]),
    ("/api/v1/calls/", ["year"]),
    ("/api/v1/ledger/", ["year", "programme", "call"]),
    ("/api/v1/entitlements/", ["year"]),
    ("/api/v1/voucher-claims/", ["year", "enterprise"]),
]
TOO_LARGE = "599152161044685520896"  # above 2**63 - 1


class IntegerFilterTests(CastTestCase):
    def test_a_value_out_of_range_is_a_400_naming_the_field(self) -> None:
        self.client.force_login(self.officer)
        for path, names in INTEGER_FILTERS:
            for name in names:
                for value in (TOO_LARGE, "0", "-1"):
                    with self.subTest(path=path, filter=name, value=value):
                        response = self.client.get(path, {name: value})
                        self.assertEqual(response.status_code, 400, response.content)
                        body = response.json()
                        self.assertEqual(body["code"], "invalid")
                        self.assertIn(name, body["errors"])

    def test_the_largest_value_the_database_holds_is_accepted(self) -> None:
        self.client.force_login(self.officer)
        for path, names in INTEGER_FILTERS:
            for name in names:
                with self.subTest(path=path, filter=name):
                    response = self.client.get(path, {name: str(2**63 - 1)})
                    self.assertEqual(response.status_code, 200, response.content)
