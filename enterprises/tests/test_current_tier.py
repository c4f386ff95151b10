"""The current tier kept on the enterprise, and the registry list that reads
it: the same answers as the certifications give, at a cost that does not
grow with the rows."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.utils import timezone

from bureau.tests.base import CastTestCase
from enterprises import tasks
from enterprises.models import Enterprise, Tier
from enterprises.services import (
    certification_create,
    certification_revoke,
    enterprise_tiers_refresh,
)
from enterprises.tests.factories import EnterpriseFactory, award


def held(enterprise: Enterprise) -> tuple[str | None, date | None, int | None]:
    enterprise.refresh_from_db()
    return (
        enterprise.held_tier.code if enterprise.held_tier else None,
        enterprise.held_tier_expires_on,
        enterprise.held_echelon,
    )


class CurrentTierTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hnte = Tier.objects.get(code="hnte")
        cls.sme = Tier.objects.get(code="tech_sme")
        cls.today = timezone.localdate()

    def award_until(self, tier: Tier, issued: date, expires: date) -> None:
        certification_create(
            by=self.officer,
            enterprise=self.enterprise_a,
            tier=tier,
            year=issued.year,
            issued_on=issued,
            expires_on=expires,
        )

    def test_an_award_sets_it_and_a_higher_tier_wins(self) -> None:
        self.assertEqual(held(self.enterprise_a), (None, None, None))
        self.award_until(self.sme, self.today, self.today + timedelta(days=40))
        self.assertEqual(
            held(self.enterprise_a), ("tech_sme", self.today + timedelta(days=40), None)
        )
        self.award_until(
            self.hnte, self.today - timedelta(days=10), self.today + timedelta(days=900)
        )
        self.assertEqual(
            held(self.enterprise_a), ("hnte", self.today + timedelta(days=900), None)
        )

    def test_revoking_falls_back_to_the_next_tier_in_force(self) -> None:
        self.award_until(self.sme, self.today, self.today + timedelta(days=40))
        self.award_until(self.hnte, self.today, self.today + timedelta(days=900))
        hnte = self.enterprise_a.certifications.get(tier=self.hnte)
        certification_revoke(certification=hnte, by=self.officer, reason="造假")
        self.assertEqual(
            held(self.enterprise_a), ("tech_sme", self.today + timedelta(days=40), None)
        )

    def test_the_nightly_refresh_moves_past_expiries_and_onto_new_awards(
        self,
    ) -> None:
        self.award_until(self.sme, self.today, self.today + timedelta(days=3))
        # Dated in the future: not in force yet when recorded.
        self.award_until(
            self.hnte,
            self.today + timedelta(days=2),
            self.today + timedelta(days=800),
        )
        self.assertEqual(held(self.enterprise_a)[0], "tech_sme")
        self.assertEqual(
            enterprise_tiers_refresh(today=self.today + timedelta(days=2)), 1
        )
        self.assertEqual(held(self.enterprise_a)[0], "hnte")
        # Only what differs is written: a second run changes nothing.
        self.assertEqual(
            enterprise_tiers_refresh(today=self.today + timedelta(days=2)), 0
        )
        self.assertEqual(
            enterprise_tiers_refresh(today=self.today + timedelta(days=801)), 1
        )
        self.assertEqual(held(self.enterprise_a), (None, None, None))

    def test_the_nightly_task_expires_then_refreshes(self) -> None:
        self.award_until(self.sme, self.today, self.today + timedelta(days=3))
        # A row gone stale behind the services' back (a bulk load, a restore).
        Enterprise.objects.filter(pk=self.enterprise_b.pk).update(
            held_tier=self.hnte, held_tier_expires_on=self.today
        )
        tasks.certifications_expire()
        self.assertEqual(held(self.enterprise_b), (None, None, None))
        self.assertEqual(held(self.enterprise_a)[0], "tech_sme")

    def test_the_migration_fills_what_the_certifications_say(self) -> None:
        self.award_until(self.hnte, self.today, self.today + timedelta(days=900))
        Enterprise.objects.update(held_tier=None, held_tier_expires_on=None)
        migration = import_module(
            "enterprises.migrations.0017_current_tier_on_enterprise"
        )
        # It reads only the editor's connection (a RunPython function).
        migration.fill_current_tiers(apps, SimpleNamespace(connection=connection))
        self.assertEqual(
            held(self.enterprise_a), ("hnte", self.today + timedelta(days=900), None)
        )
        self.assertEqual(held(self.enterprise_b), (None, None, None))


class RegistryListTests(CastTestCase):
    url = "/api/v1/enterprises/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hnte = Tier.objects.get(code="hnte")
        cls.sme = Tier.objects.get(code="tech_sme")
        cls.today = timezone.localdate()
        cls.ends = {}
        for days in (0, 30, 31):
            enterprise = EnterpriseFactory(
                org_unit=cls.street_a, name=f"杭州到期{days:02d}天科技有限公司"
            )
            certification_create(
                by=None,
                enterprise=enterprise,
                tier=cls.hnte,
                year=cls.today.year,
                issued_on=cls.today - timedelta(days=700),
                expires_on=cls.today + timedelta(days=days),
            )
            cls.ends[days] = enterprise

    def names(self, query: str) -> list[str]:
        response = self.client.get(f"{self.url}?{query}")
        self.assertEqual(response.status_code, 200, response.content)
        return [row["name"] for row in response.json()["results"]]

    def test_expiring_within_counts_today_and_the_last_day(self) -> None:
        self.client.force_login(self.officer)
        self.assertEqual(
            self.names("expiring_within=30"),
            ["杭州到期00天科技有限公司", "杭州到期30天科技有限公司"],
        )
        self.assertEqual(self.names("expiring_within=0"), ["杭州到期00天科技有限公司"])

    def test_a_yearly_tech_sme_number_does_not_make_a_hnte_expiring(self) -> None:
        award(self.ends[31], self.sme, self.today.replace(month=1, day=1))
        self.client.force_login(self.officer)
        self.assertNotIn("杭州到期31天科技有限公司", self.names("expiring_within=30"))
        self.assertIn("杭州到期31天科技有限公司", self.names("tier=hnte"))

    def test_tier_filters_read_the_kept_tier(self) -> None:
        self.client.force_login(self.officer)
        self.assertEqual(len(self.names("tier=hnte")), 3)
        none = self.names("tier=none")
        self.assertIn(self.enterprise_a.name, none)
        self.assertNotIn("杭州到期00天科技有限公司", none)

    def test_text_search_by_name_and_by_code_in_any_case(self) -> None:
        self.client.force_login(self.officer)
        self.assertEqual(self.names("q=到期30"), ["杭州到期30天科技有限公司"])
        code = self.enterprise_a.credit_code
        self.assertEqual(self.names(f"q={code[-6:].lower()}"), [self.enterprise_a.name])

    def test_a_liaison_lists_their_street_only(self) -> None:
        self.client.force_login(self.liaison)
        names = self.names("page_size=200")
        self.assertIn(self.enterprise_a.name, names)
        self.assertNotIn(self.enterprise_b.name, names)
        response = self.client.get(f"{self.url}{self.enterprise_b.pk}/")
        self.assertEqual(response.status_code, 404)

    def test_the_query_count_does_not_grow_with_the_rows(self) -> None:
        self.client.force_login(self.officer)
        # session, user, count, page (tier, street and expiry joined in).
        with self.assertNumQueries(4):
            small = self.client.get(f"{self.url}?expiring_within=365").json()
        for n in range(20):
            enterprise = EnterpriseFactory(org_unit=self.street_b)
            award(enterprise, self.hnte, self.today - timedelta(days=n))
        with self.assertNumQueries(4):
            large = self.client.get(f"{self.url}?expiring_within=3650").json()
        self.assertEqual((small["count"], large["count"]), (3, 23))
        with self.assertNumQueries(4):
            self.client.get(f"{self.url}?q=科技&tier=hnte")
        with self.assertNumQueries(3):  # cursor pages have no count
            self.client.get(f"{self.url}?cursor=")


class TrigramIndexTests(CastTestCase):
    def test_text_search_has_trigram_indexes_on_postgresql(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("trigram indexes exist on PostgreSQL only")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'enterprises_enterprise' AND indexname LIKE %s",
                ["%_trgm"],
            )
            found = dict(cursor.fetchall())
        self.assertEqual(
            set(found), {"enterprises_name_trgm", "enterprises_credit_code_trgm"}
        )
        self.assertIn("gin_trgm_ops", found["enterprises_name_trgm"])
        # No pending list: a search costs the same right after a bulk load
        # (enterprises migration 0020).
        for definition in found.values():
            self.assertIn("fastupdate=off", definition)
