# mypy: ignore-errors
# (tests are not type-checked, as pyproject.toml says of *.tests.*)
"""Writers of indicator values queue on one lock (values_lock), and a
transaction PostgreSQL ends as a deadlock, a serialization failure or a
lock timeout is answered 409, not 500. The thread tests need PostgreSQL and
skip on SQLite; the others run on any database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import psycopg.errors
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse

from bureau.lib.concurrency import advisory_lock, is_lock_conflict
from bureau.tests.base import CastTestCase
from indicators.models import DataValue, Indicator, ValueGroup
from indicators.services import imports as indicator_imports
from indicators.services import value_set
from indicators.tests.test_import_api import workbook
from tests.test_security_races import PostgresCase, _in_parallel, _kinds


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
