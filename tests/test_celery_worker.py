"""A real Celery worker process against Redis runs a task that reads and
writes the database, and repeating the task changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase

from bureau.models import Notification
from bureau.tests.factories import UserFactory
from tests.helpers import require_service

ROOT = Path(__file__).resolve().parents[1]


def _redis_up() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"])
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


class CeleryWorkerTests(TransactionTestCase):
    def setUp(self) -> None:
        if not settings.REDIS_URL:
            pytest.skip("REDIS_URL is not set: Celery runs eagerly")
        require_service(_redis_up(), f"Redis at {settings.REDIS_URL}")
        if (
            connection.vendor == "sqlite"
            and ":memory:" in str(connection.settings_dict["NAME"])
            or "mode=memory" in str(connection.settings_dict["NAME"])
        ):
            pytest.skip("the worker cannot see an in-memory SQLite test database")
        from bureau.celery import app

        # The test settings run tasks eagerly; here they must go to the worker.
        self.addCleanup(
            setattr, app.conf, "task_always_eager", app.conf.task_always_eager
        )
        app.conf.task_always_eager = False
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.mail_dir = tempfile.mkdtemp()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bureau.settings",
            "SECRET_KEY": "worker-test-only-Zr5LwK0pN4dHs7JcFy1UeBg6AQm8vT2xWq9Ty",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": self.mail_dir,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bureau",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.addCleanup(self._stop_worker)

    def _stop_worker(self) -> None:
        self.worker.terminate()
        try:
            self.worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.worker.kill()

    def run_task(self, name: str, *args: object) -> object:
        from bureau.celery import app

        result = app.send_task(name, args=list(args), queue=self.queue)
        try:
            return result.get(timeout=60)
        except Exception:
            self.worker.terminate()
            output = self.worker.communicate(timeout=15)[0]
            raise AssertionError(
                f"task {name} failed; worker said:\n{output}"
            ) from None

    def test_the_worker_runs_a_task_and_returns_its_result(self) -> None:
        started = time.monotonic()
        self.assertEqual(self.run_task("bureau.ping", "你好"), "你好")
        self.assertLess(time.monotonic() - started, 60)

    def test_the_email_task_is_idempotent_with_a_real_worker(self) -> None:
        user = UserFactory(email="clerk@example.com")
        note = Notification.objects.create(
            recipient=user, subject="项目已立项", send_email=True
        )
        self.assertEqual(
            self.run_task("bureau.notification_send_email", note.pk), "sent"
        )
        self.assertEqual(
            self.run_task("bureau.notification_send_email", note.pk), "skipped"
        )
        note.refresh_from_db()
        self.assertIsNotNone(note.emailed_at)
        self.assertEqual(len(list(Path(self.mail_dir).iterdir())), 1)

    def test_quarterly_monitoring_is_idempotent_with_a_real_worker(self) -> None:
        from datetime import date
        from decimal import Decimal

        from bureau.models import Notification, OrgUnit, Role
        from bureau.tests.factories import OrgUnitFactory
        from enterprises.models import MonitoringReport, QuarterlyReport, Tier
        from enterprises.services import certification_create
        from enterprises.tests.factories import EnterpriseFactory

        district = OrgUnitFactory(code="330105", level=OrgUnit.Level.DISTRICT)
        street = OrgUnitFactory(code="330105001", parent=district)
        UserFactory(role=Role.STAFF, email="staff@example.com")
        # Transactional tests flush the tiers the data migration made.
        sme, _ = Tier.objects.get_or_create(
            code="tech_sme",
            defaults={
                "name": "科技型中小企业",
                "level": "provincial",
                "rank": 30,
                "validity": "evaluation_year",
            },
        )
        filer, silent = (
            EnterpriseFactory(org_unit=street),
            EnterpriseFactory(org_unit=street),
        )
        for enterprise in (filer, silent):
            certification_create(
                by=None,
                enterprise=enterprise,
                tier=sme,
                year=2025,
                issued_on=date(2025, 3, 1),
            )
        QuarterlyReport.objects.create(
            enterprise=filer,
            year=2025,
            quarter=3,
            status="submitted",
            revenue_ytd=Decimal("100"),
        )
        first = self.run_task("enterprises.quarterly_monitoring", "2025Q3")
        self.assertEqual(
            (first["monitored"], first["missing"], first["created"]), (2, 1, True)
        )
        reports = list(
            MonitoringReport.objects.values("org_unit_id", "missing", "details")
        )
        notes = Notification.objects.count()
        second = self.run_task("enterprises.quarterly_monitoring", "2025Q3")
        self.assertEqual(second["created"], False)
        self.assertEqual(
            list(MonitoringReport.objects.values("org_unit_id", "missing", "details")),
            reports,
        )
        self.assertEqual(Notification.objects.count(), notes)

    def test_the_allowance_job_is_idempotent_with_a_real_worker(self) -> None:
        from datetime import date
        from decimal import Decimal

        from talent.models import AllowancePayment, AllowanceRule, Degree
        from talent.services import allowance_grant, talent_create

        staff = UserFactory(role="staff")
        person = talent_create(by=staff, name="王博士", degree=Degree.DOCTORATE)
        rule = AllowanceRule.objects.create(
            degree=Degree.DOCTORATE, monthly_amount=Decimal("5000"), months=3
        )
        allowance_grant(
            by=staff, talent=person, rule=rule, first_month=date(2026, 1, 1)
        )
        first = self.run_task("talent.allowances_mark_due", "2026-02")
        self.assertEqual(first, {"due": 2, "stopped": 0})
        second = self.run_task("talent.allowances_mark_due", "2026-02")
        self.assertEqual(second, {"due": 0, "stopped": 0})
        self.assertEqual(
            list(
                AllowancePayment.objects.order_by("month").values_list(
                    "status", flat=True
                )
            ),
            ["due", "due", "planned"],
        )

    def test_an_export_job_runs_on_a_real_worker_and_leaves_its_file(self) -> None:
        from bureau.models import BackgroundJob, OrgUnit, Role
        from bureau.tests.factories import OrgUnitFactory
        from enterprises.tests.factories import EnterpriseFactory

        district = OrgUnitFactory(code="330105", level=OrgUnit.Level.DISTRICT)
        street = OrgUnitFactory(code="330105001", parent=district)
        for n in range(3):
            EnterpriseFactory(org_unit=street, name=f"后台导出测试{n}有限公司")
        staff = UserFactory(role=Role.STAFF)
        job = BackgroundJob.objects.create(
            owner=staff, kind="enterprises.list", title="企业名录导出", total=3
        )
        self.assertEqual(self.run_task("bureau.export_job_run", job.pk), "done")
        job.refresh_from_db()
        self.assertEqual(job.status, BackgroundJob.Status.DONE)
        self.assertTrue(job.file.name.startswith("exports/"))
        # The worker shares the test's MEDIA_ROOT: the file is there.
        self.assertTrue(job.file.storage.exists(job.file.name))
        self.assertEqual(job.file.read()[:2], b"PK")
        # Run again (a redelivered message): nothing changes.
        self.assertEqual(self.run_task("bureau.export_job_run", job.pk), "done")
