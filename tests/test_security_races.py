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

import psycopg.errors
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import QuerySet
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from bureau.lib.concurrency import (
    advisory_lock,
    conflict_on_integrity_error,
    is_lock_conflict,
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
from indicators.models import DataValue, Indicator, Target, ValueGroup
from indicators.services import imports as indicator_imports
from indicators.services import target_set, value_set
from indicators.tests.test_import_api import workbook
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


class PostgresValueWriterTests(PostgresCase):
    """Writers of indicator values take one lock first (values_lock): the
    value groups' triggers lock groups and the audit trail its chain, and
    without it these two transactions deadlocked (PostgreSQL ended one with
    40P01 after a second; the request answered 500)."""

    def test_a_value_entered_during_an_import_waits_for_it(self) -> None:
        from bureau.models import BackgroundJob

        indicator = Indicator.objects.create(
            code="t_race", name="测试并发", unit="件", is_headline=False
        )
        job = BackgroundJob(
            owner=self.officer,
            kind=indicator_imports.IMPORT_JOB,
            params={"name": "数据.xlsx"},
        )
        job.upload.save(
            "upload.xlsx", workbook(("t_race", self.street.code, "2025-02", 5))
        )
        stored = threading.Event()
        store = indicator_imports._batch_store

        def store_then_pause(**kwargs: Any) -> Any:
            # The import has written its upload's audit event (the chain is
            # locked until it commits); its values come after a pause.
            batch = store(**kwargs)
            stored.set()
            threading.Event().wait(1.5)
            return batch

        def work(i: int) -> Any:
            if i == 0:
                return indicator_imports.import_job_run(job, lambda done, total: None)
            stored.wait(timeout=10)
            return value_set(
                indicator=indicator,
                unit=self.street,
                year=2025,
                period=("M", 1),
                value=Decimal(3),
                by=self.officer,
            )

        with mock.patch.object(indicator_imports, "_batch_store", store_then_pause):
            results = _in_parallel(work, n=2)
        self.assertEqual(_kinds(results), {"ok": 2}, results)
        self.assertEqual(
            sorted(
                DataValue.objects.filter(indicator=indicator).values_list(
                    "period", "value"
                )
            ),
            [(1, Decimal(3)), (2, Decimal(5))],
        )
        group = ValueGroup.objects.get(indicator=indicator, org_unit=self.street)
        self.assertEqual((group.total, group.covered), (Decimal(8), 2))

    def test_a_request_waits_for_the_lock_a_bounded_time(self) -> None:
        held, done = threading.Event(), threading.Event()

        def work(i: int) -> Any:
            if i == 0:
                with transaction.atomic():
                    advisory_lock("tests.lock")
                    held.set()
                    done.wait(timeout=10)
                return "held"
            held.wait(timeout=10)
            try:
                with transaction.atomic():
                    advisory_lock("tests.lock", wait_seconds=0.3)
            finally:
                done.set()

        results = _in_parallel(work, n=2)
        self.assertEqual(results[0], "held")
        self.assertIsInstance(results[1], OperationalError)
        self.assertTrue(is_lock_conflict(results[1]), results[1])

    def test_an_import_that_cannot_wait_stores_nothing(self) -> None:
        from indicators.models import ImportBatch
        from indicators.services import import_start

        Indicator.objects.create(
            code="t_busy", name="测试等待", unit="件", is_headline=False
        )
        held, done = threading.Event(), threading.Event()

        def work(i: int) -> Any:
            if i == 0:
                with transaction.atomic():
                    advisory_lock("indicators.values")  # an import running
                    held.set()
                    done.wait(timeout=10)
                return "held"
            held.wait(timeout=10)
            try:
                with mock.patch(
                    "indicators.services.values.VALUES_LOCK_WAIT_SECONDS", 0.3
                ):
                    return import_start(
                        file=workbook(("t_busy", self.street.code, "2025-02", 5)),
                        by=self.officer,
                    )
            finally:
                done.set()

        results = _in_parallel(work, n=2)
        self.assertTrue(is_lock_conflict(results[1]), results[1])
        # No batch left waiting forever: the client tries again.
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(DataValue.objects.filter(indicator__code="t_busy").exists())

    def test_the_configured_lock_timeout_is_kept_after_the_wait(self) -> None:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '42s'")
                advisory_lock("tests.lock", wait_seconds=5)
                cursor.execute("SHOW lock_timeout")
                self.assertEqual(cursor.fetchone()[0], "42s")

    def test_the_lock_is_held_until_the_transaction_ends(self) -> None:
        order: list[str] = []
        held = threading.Event()

        def work(i: int) -> None:
            if i == 1:
                held.wait(timeout=10)
            with transaction.atomic():
                advisory_lock("tests.lock")
                order.append(f"start {i}")
                if i == 0:
                    held.set()
                    threading.Event().wait(0.5)
                order.append(f"end {i}")

        _in_parallel(work, n=2)
        self.assertEqual(order, ["start 0", "end 0", "start 1", "end 1"])


def _lock_timeout() -> OperationalError:
    """What Django raises when a wait for a lock passes lock_timeout."""
    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = psycopg.errors.LockNotAvailable("lock timeout")
    return error


def _deadlock() -> OperationalError:
    """What Django raises when PostgreSQL ends a transaction as a deadlock."""
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


class LockConflictAnswerTests(CastTestCase):
    """Should PostgreSQL still end a request's transaction as a deadlock or
    a serialization failure, the request answers 409 "try again": a race,
    not a server error."""

    def test_it_is_recognised_by_its_code(self) -> None:
        self.assertTrue(is_lock_conflict(_deadlock()))
        for cause in (
            psycopg.errors.SerializationFailure("could not serialize access"),
            psycopg.errors.LockNotAvailable("canceling statement: lock timeout"),
        ):
            error = OperationalError(str(cause))
            error.__cause__ = cause
            self.assertTrue(is_lock_conflict(error), cause)
        other = OperationalError("server closed the connection")
        other.__cause__ = psycopg.errors.AdminShutdown("terminating")
        self.assertFalse(is_lock_conflict(other))
        self.assertFalse(is_lock_conflict(IntegrityError("duplicate key")))

    def post_value(self, error: OperationalError) -> Any:
        """Enter a value through the API while the database ends the
        transaction with `error`."""
        self.client.force_login(self.officer)
        with mock.patch("indicators.apis.values.value_set", side_effect=error):
            return self.client.post(
                "/api/v1/indicator-values/",
                {
                    "indicator": "tech_contracts",
                    "org_unit": self.street_a.code,
                    "period": "2025-03",
                    "value": "1",
                },
                content_type="application/json",
            )

    def test_the_api_answers_409_conflict(self) -> None:
        response = self.post_value(_deadlock())
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "conflict")
        self.assertIn("刷新后重试", response.json()["detail"])

    def test_a_wait_given_up_says_the_other_work_is_still_running(self) -> None:
        response = self.post_value(_lock_timeout())
        self.assertEqual(response.status_code, 409, response.content)
        self.assertEqual(response.json()["code"], "conflict")
        self.assertIn("尚未完成", response.json()["detail"])
        with mock.patch(
            "bureau.views.tasks.deadline_occurrences", side_effect=_lock_timeout()
        ):
            page = self.client.get(reverse("calendar"))
        self.assertEqual(page.status_code, 409)
        self.assertContains(page, "相关数据正在处理中", status_code=409)

    def test_a_page_answers_409_in_chinese(self) -> None:
        self.client.force_login(self.officer)
        with mock.patch(
            "bureau.views.tasks.deadline_occurrences", side_effect=_deadlock()
        ):
            response = self.client.get(reverse("calendar"))
        self.assertEqual(response.status_code, 409)
        page = response.content.decode()
        self.assertIn("数据已被同时修改", page)
        self.assertIn("请返回并刷新页面后重试", page)


class ValueWritersTakeTheLockTests(CastTestCase):
    """Every writer of indicator values takes values_lock() before it writes
    or audits anything (a request waits a bounded time, a job does not)."""

    def locks(self, run: Callable[[], Any]) -> list[Any]:
        """The distinct ways `run` took the lock (taken again in the same
        transaction, it does not wait: an import inside a test's
        transaction takes it in import_start and in import_apply)."""
        with mock.patch("indicators.services.values.advisory_lock") as lock:
            run()
        calls: list[Any] = []
        for c in lock.call_args_list:
            if (c.args, c.kwargs) not in calls:
                calls.append((c.args, c.kwargs))
        return calls

    def test_entry_import_rollback_and_recomputation(self) -> None:
        from indicators.services import import_rollback, import_start
        from indicators.services.computed import indicators_recompute
        from indicators.services.values import VALUES_LOCK_WAIT_SECONDS

        request = (("indicators.values",), {"wait_seconds": VALUES_LOCK_WAIT_SECONDS})
        job = (("indicators.values",), {"wait_seconds": None})
        indicator = Indicator.objects.get(code="tech_contracts")
        self.assertEqual(
            self.locks(
                lambda: value_set(
                    indicator=indicator,
                    unit=self.street_a,
                    year=2025,
                    period=("M", 1),
                    value=Decimal(1),
                    by=self.officer,
                )
            ),
            [request],
        )
        batch: list[Any] = []
        self.assertEqual(
            self.locks(
                lambda: batch.append(
                    import_start(
                        file=workbook(
                            ("tech_contracts", self.street_a.code, "2025-02", 5)
                        ),
                        by=self.officer,
                    )
                )
            ),
            [request],
        )
        self.assertEqual(
            self.locks(lambda: import_rollback(batch=batch[0], by=self.officer)),
            [request],
        )
        self.assertEqual(self.locks(lambda: indicators_recompute(year=2025)), [job])

    def test_the_async_import_task_waits_as_long_as_it_takes(self) -> None:
        from indicators.services import imports
        from indicators.tasks import indicator_import_apply

        rows = imports.read_rows(
            workbook(("tech_contracts", self.street_a.code, "2025-04", 2)),
            by=self.officer,
        )
        batch = imports._batch_store(
            file=workbook(("tech_contracts", self.street_a.code, "2025-04", 2)),
            rows=rows,
            by=self.officer,
        )
        self.assertEqual(
            self.locks(lambda: indicator_import_apply(batch.pk)),
            [(("indicators.values",), {"wait_seconds": None})],
        )


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
