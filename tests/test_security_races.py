# mypy: ignore-errors
# (tests are not type-checked, as pyproject.toml says of *.tests.*)
"""Concurrent requests: unique-constraint races answer the sequential path's
400/409 (never an IntegrityError, a 500), and state changes lock their row.

The thread tests need PostgreSQL (SQLite serialises every writer, so there is
no race to see); they skip on SQLite. The unit tests below them force the
IntegrityError path on any database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from bureau.lib.concurrency import (
    advisory_lock,
    conflict_on_integrity_error,
    lock_for_update,
)
from bureau.lib.exceptions import ApplicationError
from bureau.models import OrgUnit, Role
from bureau.tests.base import CastTestCase
from bureau.tests.factories import OrgUnitFactory, UserFactory
from enterprises.models import AnnualReturn, Enterprise, QuarterlyReport
from enterprises.services import (
    annual_return_create,
    enterprise_create,
    quarterly_report_create,
)
from enterprises.tests.factories import EnterpriseFactory
from enterprises.validators import credit_code_for_serial
from indicators.models import Indicator, Target
from indicators.services import target_set
from projects.models import Application, Contract, Milestone
from projects.services.money import contract_record, milestone_achieve
from projects.tests.factories import make_application, make_call

PARALLEL = 10


def _in_parallel(work: Callable[[int], Any], n: int = PARALLEL) -> list[Any]:
    """Run work(i) in `n` threads started together; each result is the
    return value or the exception raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 — the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _kinds(results: list[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        name = type(result).__name__ if isinstance(result, Exception) else "ok"
        counts[name] = counts.get(name, 0) + 1
    return counts


class PostgresCase(TransactionTestCase):
    """A street, an enterprise and its user, an officer and a section head,
    on PostgreSQL (skipped on SQLite)."""

    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("races need PostgreSQL (SQLite serialises writers)")
        city = OrgUnitFactory(code="330100", name="杭州市", level=OrgUnit.Level.CITY)
        district = OrgUnitFactory(
            code="330105",
            name="拱墅区",
            level=OrgUnit.Level.DISTRICT,
            parent=city,
            is_home=True,
        )
        self.street = OrgUnitFactory(
            code="330105001", name="米市巷街道", parent=district
        )
        self.enterprise = EnterpriseFactory(org_unit=self.street)
        self.ent_user = UserFactory(
            username="ent", role=Role.ENTERPRISE, enterprise=self.enterprise
        )
        self.officer = UserFactory(username="officer", role=Role.STAFF)
        self.head = UserFactory(username="head", role=Role.SECTION_HEAD)


class PostgresRaceTests(PostgresCase):
    """Ten requests at once, as the attack on a PostgreSQL copy sent them."""

    def test_parallel_annual_returns_give_one_and_the_sequential_400(self) -> None:
        results = _in_parallel(
            lambda i: annual_return_create(
                enterprise=self.enterprise, year=2025, by=self.ent_user
            )
        )
        self.assertEqual(_kinds(results), {"ok": 1, "ValidationError": PARALLEL - 1})
        self.assertEqual(AnnualReturn.objects.count(), 1)

    def test_parallel_quarterly_reports_give_one_and_the_sequential_400(self) -> None:
        results = _in_parallel(
            lambda i: quarterly_report_create(
                enterprise=self.enterprise, year=2025, quarter=2, by=self.ent_user
            )
        )
        self.assertEqual(_kinds(results), {"ok": 1, "ValidationError": PARALLEL - 1})
        self.assertEqual(QuarterlyReport.objects.count(), 1)

    def test_parallel_enterprise_creates_give_one_and_the_sequential_400(self) -> None:
        results = _in_parallel(
            lambda i: enterprise_create(
                by=self.officer,
                name=f"并发企业{i}",
                credit_code=credit_code_for_serial(777),
                org_unit=self.street,
            )
        )
        self.assertEqual(_kinds(results), {"ok": 1, "ValidationError": PARALLEL - 1})
        for error in results:
            if isinstance(error, ValidationError):
                self.assertIn("credit_code", error.message_dict)

    def test_parallel_targets_each_take_a_version(self) -> None:
        indicator = Indicator.objects.create(code="race_target", name="并发", unit="件")
        results = _in_parallel(
            lambda i: target_set(
                indicator=indicator,
                unit=self.street,
                year=2026,
                value=Decimal(i),
                by=self.head,
            )
        )
        self.assertEqual(_kinds(results), {"ok": PARALLEL})
        self.assertEqual(
            sorted(Target.objects.values_list("version", flat=True)),
            list(range(1, PARALLEL + 1)),
        )

    def _approved(self) -> Application:
        call = make_call(self.officer)
        return make_application(
            call,
            self.ent_user,
            state=Application.State.APPROVED,
            approved_amount=Decimal("100000"),
        )

    def test_parallel_contracts_give_one_and_the_sequential_409(self) -> None:
        app = self._approved()
        today = timezone.localdate()

        def record(i: int) -> Contract:
            return contract_record(
                application=Application.objects.get(pk=app.pk),
                by=self.officer,
                start_on=today,
                end_on=today + timedelta(days=365),
                deliverables="样机",
                milestones=[{"title": "验收", "due_on": today, "amount": "100000"}],
            )

        results = _in_parallel(record)
        self.assertEqual(_kinds(results), {"ok": 1, "ApplicationError": PARALLEL - 1})
        self.assertEqual(Contract.objects.count(), 1)

    def test_parallel_milestone_achievements_succeed_once(self) -> None:
        app = self._approved()
        today = timezone.localdate()
        contract = Contract.objects.create(
            application=app,
            start_on=today,
            end_on=today + timedelta(days=365),
            deliverables="样机",
            budget_total=Decimal("100000"),
        )
        milestone = Milestone.objects.create(
            contract=contract, title="样机", due_on=today
        )
        results = _in_parallel(
            lambda i: milestone_achieve(
                milestone=Milestone.objects.get(pk=milestone.pk), by=self.officer
            )
        )
        self.assertEqual(_kinds(results), {"ok": 1, "ApplicationError": PARALLEL - 1})


class PostgresTokenLimitTests(PostgresCase):
    """Parallel logins of one user keep to the token limit (13 logins made
    13 live tokens before)."""

    def test_parallel_logins_keep_to_the_limit(self) -> None:
        from knox.models import AuthToken
        from knox.settings import knox_settings

        from bureau.services import api_token_create

        with override_settings(REST_KNOX={"TOKEN_LIMIT_PER_USER": 5}):
            knox_settings.reload()
            self.addCleanup(knox_settings.reload)
            results = _in_parallel(lambda i: api_token_create(user=self.officer))
        self.assertEqual(_kinds(results), {"ok": PARALLEL})
        self.assertEqual(AuthToken.objects.filter(user=self.officer).count(), 5)


def _not_seen_yet(model: type[Any]) -> Any:
    """Every exists() on `model` answers False: the pre-check and the unique
    validation of a request that read before the winner committed."""
    real = QuerySet.exists

    def exists(self: QuerySet[Any]) -> bool:
        return False if self.model is model else real(self)

    return mock.patch.object(QuerySet, "exists", exists)


class IntegrityErrorPathTests(CastTestCase):
    """The loser's path of a race, forced on any database: the pre-check is
    passed as if the winner had not committed yet."""

    def test_an_annual_return_race_is_the_sequential_400(self) -> None:
        annual_return_create(enterprise=self.enterprise_a, year=2025, by=self.ent_user)
        with _not_seen_yet(AnnualReturn):
            with self.assertRaises(ValidationError) as caught:
                annual_return_create(
                    enterprise=self.enterprise_a, year=2025, by=self.ent_user
                )
        self.assertIn("2025", caught.exception.message_dict["year"][0])

    def test_a_quarterly_report_race_is_the_sequential_400(self) -> None:
        quarterly_report_create(
            enterprise=self.enterprise_a, year=2025, quarter=1, by=self.ent_user
        )
        with _not_seen_yet(QuarterlyReport):
            with self.assertRaises(ValidationError) as caught:
                quarterly_report_create(
                    enterprise=self.enterprise_a, year=2025, quarter=1, by=self.ent_user
                )
        self.assertIn("quarter", caught.exception.message_dict)

    def test_an_enterprise_race_is_the_sequential_400(self) -> None:
        fields = {
            "name": "重复代码企业",
            "credit_code": self.enterprise_a.credit_code,
            "org_unit": self.street_a,
        }
        with self.assertRaises(ValidationError) as sequential:
            enterprise_create(by=self.officer, **fields)
        # The race: both pass full_clean before either inserts.
        with mock.patch.object(Enterprise, "full_clean"):
            with self.assertRaises(ValidationError) as raced:
                enterprise_create(by=self.officer, **fields)
        self.assertEqual(
            raced.exception.message_dict["credit_code"],
            sequential.exception.message_dict["credit_code"],
        )

    def test_a_contract_race_is_the_sequential_409(self) -> None:
        call = make_call(self.officer)
        app = make_application(
            call,
            self.ent_user,
            state=Application.State.APPROVED,
            approved_amount=Decimal("100000"),
        )
        today = timezone.localdate()
        Contract.objects.create(
            application=app,
            start_on=today,
            end_on=today + timedelta(days=30),
            deliverables="样机",
            budget_total=Decimal("100000"),
        )
        stale = Application.objects.get(pk=app.pk)
        # The loser read the application before the winner's contract existed.
        Application.contract.related.set_cached_value(stale, None)
        with mock.patch.object(Application, "refresh_from_db"):
            with self.assertRaises(ApplicationError) as caught:
                contract_record(
                    application=stale,
                    by=self.officer,
                    start_on=today,
                    end_on=today + timedelta(days=30),
                    deliverables="样机",
                    milestones=[{"title": "验收", "due_on": today, "amount": "100000"}],
                )
        self.assertEqual(caught.exception.code, "has_contract")


class HelperTests(TestCase):
    def test_it_turns_an_integrity_error_into_the_given_error(self) -> None:
        refused = ApplicationError("已存在", code="taken")
        with self.assertRaises(ApplicationError) as caught:
            with conflict_on_integrity_error(error=refused):
                raise IntegrityError("duplicate key")
        self.assertIs(caught.exception, refused)

    def test_without_an_error_it_is_a_409_conflict(self) -> None:
        with self.assertRaises(ApplicationError) as caught:
            with conflict_on_integrity_error():
                raise IntegrityError("duplicate key")
        self.assertEqual(caught.exception.code, "conflict")

    def test_the_surrounding_transaction_stays_usable(self) -> None:
        with transaction.atomic():
            with self.assertRaises(ApplicationError):
                with conflict_on_integrity_error():
                    OrgUnit.objects.create(code="dup", name="甲", level="city")
                    OrgUnit.objects.create(code="dup", name="乙", level="city")
            self.assertFalse(OrgUnit.objects.filter(code="dup").exists())

    def test_lock_for_update_rereads_the_row(self) -> None:
        unit = OrgUnit.objects.create(code="lk", name="旧", level="city")
        OrgUnit.objects.filter(pk=unit.pk).update(name="新")
        with transaction.atomic():
            lock_for_update(unit)
        self.assertEqual(unit.name, "新")

    def test_an_advisory_lock_needs_a_transaction(self) -> None:
        with (
            mock.patch.object(connection, "in_atomic_block", False),
            self.assertRaises(RuntimeError),
        ):
            advisory_lock("tests.lock")

    def test_lock_for_update_needs_a_transaction(self) -> None:
        unit = OrgUnit.objects.create(code="lk2", name="甲", level="city")
        with (
            mock.patch.object(connection, "in_atomic_block", False),
            self.assertRaises(RuntimeError),
        ):
            lock_for_update(unit)
