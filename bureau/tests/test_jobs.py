"""Background jobs: an export above EXPORT_ASYNC_ROWS becomes a job written
by the same function as a small one, on the exports queue and reading from
the replica; its page and file are its owner's alone; expired jobs go."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bureau.audit import audit
from bureau.celery import app
from bureau.lib import routers
from bureau.models import AuditEvent, BackgroundJob, Role, User
from bureau.services.jobs import (
    JOB_KINDS,
    ExportPlan,
    JobKind,
    job_start,
    jobs_expire,
    register_job_kind,
)
from bureau.tests.base import CastTestCase
from bureau.tests.eager import tasks_at_once
from bureau.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content))
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


class ExportThresholdTests(CastTestCase):
    url = "/enterprises/?export=xlsx"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(3):
            EnterpriseFactory(org_unit=cls.street_a, name=f"钱塘量子{n}号科技有限公司")

    @override_settings(EXPORT_ASYNC_ROWS=5)
    def test_at_or_below_the_threshold_the_file_comes_at_once(self) -> None:
        self.client.force_login(self.officer)
        response = self.client.get(self.url)  # 5 enterprises: the threshold
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        self.assertEqual(len(sheet_rows(response.content)), 1 + 5)
        self.assertFalse(BackgroundJob.objects.exists())

    @override_settings(EXPORT_ASYNC_ROWS=2)
    def test_above_it_a_job_writes_the_same_workbook(self) -> None:
        self.client.force_login(self.officer)
        with override_settings(EXPORT_ASYNC_ROWS=100):
            at_once = sheet_rows(self.client.get(self.url + "&q=量子").content)
        with tasks_at_once():
            response = self.client.get(self.url + "&q=量子&page=2")
        job = BackgroundJob.objects.get()
        self.assertRedirects(response, reverse("job-page", args=[job.pk]))
        self.assertEqual(
            (job.kind, job.owner, job.total), ("enterprises.list", self.officer, 3)
        )
        self.assertEqual(job.params, {"q": ["量子"]})  # no page, no switch
        self.assertEqual(job.status, BackgroundJob.Status.DONE)
        self.assertTrue(job.file.name.startswith("exports/"))
        page = self.client.get(response["Location"])
        self.assertContains(page, reverse("job-download", args=[job.pk]))
        self.assertNotContains(page, "every 1s")
        download = self.client.get(reverse("job-download", args=[job.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertIn("attachment", download["Content-Disposition"])
        self.assertEqual(sheet_rows(b"".join(download.streaming_content)), at_once)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="job.start", object_id=str(job.pk)
            ).exists()
        )

    @override_settings(EXPORT_ASYNC_ROWS=1)
    def test_the_job_page_polls_while_the_worker_has_not_run_it(self) -> None:
        self.client.force_login(self.officer)
        with self.captureOnCommitCallbacks(execute=False) as queued:
            response = self.client.get(self.url)
            again = self.client.get(self.url)  # a double click: the same job
        self.assertEqual(response["Location"], again["Location"])
        self.assertEqual(BackgroundJob.objects.count(), 1)
        page = self.client.get(response["Location"])
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, "<progress")
        job = BackgroundJob.objects.get()
        # Not ready: the download is refused for now (409), not missing.
        self.assertEqual(
            self.client.get(reverse("job-download", args=[job.pk])).status_code, 409
        )
        queued[0]()
        fragment = self.client.get(response["Location"], headers={"HX-Request": "true"})
        self.assertTemplateUsed(fragment, "bureau/_job_status.html")
        self.assertContains(fragment, "已生成")

    @override_settings(EXPORT_ASYNC_ROWS=1)
    def test_another_users_job_is_a_404_whatever_their_role(self) -> None:
        self.client.force_login(self.officer)
        with tasks_at_once():
            self.client.get(self.url)
        job = BackgroundJob.objects.get()
        for user in (self.head, self.leader, self.auditor, self.admin, self.liaison):
            self.client.force_login(user)
            for name in ("job-page", "job-download"):
                with self.subTest(user=user.username, page=name):
                    response = self.client.get(reverse(name, args=[job.pk]))
                    self.assertEqual(response.status_code, 404)
            listed = self.client.get(reverse("job-list")).context["page"]
            self.assertEqual(list(listed.object_list), [])
        self.client.force_login(self.officer)
        self.assertEqual(
            [j.pk for j in self.client.get(reverse("job-list")).context["page"]],
            [job.pk],
        )

    @override_settings(EXPORT_ASYNC_ROWS=1)
    def test_a_liaisons_job_exports_only_their_street(self) -> None:
        self.client.force_login(self.liaison)
        with tasks_at_once():
            self.client.get(self.url)
        job = BackgroundJob.objects.get()
        rows = sheet_rows(job.file.read())
        self.assertEqual(len(rows), 1 + 4)  # enterprise_a and the three above
        self.assertNotIn(self.enterprise_b.name, {r[1] for r in rows})

    @override_settings(EXPORT_ASYNC_ROWS=1)
    def test_a_role_that_may_not_export_gets_no_job(self) -> None:
        self.client.force_login(self.expert)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertFalse(BackgroundJob.objects.exists())


class AuditExportJobTests(CastTestCase):
    @override_settings(EXPORT_ASYNC_ROWS=1)
    def test_the_audit_trail_export_is_audited_once_in_the_background(self) -> None:
        for n in range(3):
            audit(by=self.officer, action="login.success", message=str(n))
        self.client.force_login(self.auditor)
        with tasks_at_once():
            response = self.client.get(reverse("audit-export"))
        job = BackgroundJob.objects.get()
        self.assertRedirects(response, reverse("job-page", args=[job.pk]))
        self.assertEqual(job.status, BackgroundJob.Status.DONE)
        self.assertEqual(job.filename[:4], "审计日志")
        self.assertEqual(AuditEvent.objects.filter(action="audit.export").count(), 1)
        rows = sheet_rows(job.file.read())
        self.assertGreaterEqual(len(rows), 1 + 3)

    def test_a_small_audit_export_is_audited_too(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.get(reverse("audit-export"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(AuditEvent.objects.filter(action="audit.export").count(), 1)
        self.assertFalse(BackgroundJob.objects.exists())


class JobRunTests(CastTestCase):
    def setUp(self) -> None:
        self.seen: dict[str, Any] = {}

        def plan(user: User, query: QueryDict) -> ExportPlan:
            self.seen["replica"] = routers._use_replica.get()
            self.seen["query"] = query.getlist("street")
            if query.get("boom"):
                raise RuntimeError("disk full")
            return ExportPlan(filename="测试.xlsx", rows=0, write=lambda: b"PK-test")

        register_job_kind(
            JobKind("test.export", title="测试导出", queue="export", plan=plan)
        )
        self.addCleanup(JOB_KINDS.pop, "test.export")

    def test_an_export_job_reads_through_the_replica_router(self) -> None:
        with tasks_at_once():
            job = job_start(
                kind="test.export", by=self.officer, params={"street": ["1", "2"]}
            )
        job.refresh_from_db()
        self.assertIs(self.seen["replica"], True)
        self.assertEqual(self.seen["query"], ["1", "2"])
        self.assertEqual((job.status, job.file.read()), ("done", b"PK-test"))
        self.assertEqual(job.title, "测试导出")
        self.assertIsNotNone(job.expires_at)

    def test_a_failure_is_recorded_for_the_page_not_raised(self) -> None:
        with tasks_at_once():
            job = job_start(kind="test.export", by=self.officer, params={"boom": ["1"]})
        job.refresh_from_db()
        self.assertEqual((job.status, job.error), ("failed", "disk full"))
        self.client.force_login(self.officer)
        page = self.client.get(reverse("job-page", args=[job.pk]))
        self.assertContains(page, "任务失败，未作任何更改")
        self.assertNotContains(page, "disk full")

    def test_running_a_job_twice_changes_nothing(self) -> None:
        from bureau.tasks import export_job_run

        with tasks_at_once():
            job = job_start(kind="test.export", by=self.officer)
        job.refresh_from_db()
        name = job.file.name
        self.assertEqual(export_job_run(job.pk), "done")
        job.refresh_from_db()
        self.assertEqual(job.file.name, name)

    def test_expired_jobs_and_their_files_are_deleted(self) -> None:
        now = timezone.now()
        old = BackgroundJob.objects.create(
            owner=self.officer,
            kind="test.export",
            title="旧",
            status="done",
            expires_at=now - timedelta(minutes=1),
        )
        old.file.save("old.xlsx", ContentFile(b"old"))
        fresh = BackgroundJob.objects.create(
            owner=self.officer,
            kind="test.export",
            title="新",
            status="done",
            expires_at=now + timedelta(hours=1),
        )
        lost = BackgroundJob.objects.create(
            owner=self.officer, kind="test.export", title="丢失", status="running"
        )
        BackgroundJob.objects.filter(pk=lost.pk).update(
            created_at=now - timedelta(days=2)
        )
        path = old.file.name
        self.assertTrue(default_storage.exists(path))
        self.assertEqual(jobs_expire(now=now), 2)
        self.assertFalse(default_storage.exists(path))
        self.assertEqual(list(BackgroundJob.objects.all()), [fresh])


class JobQueueTests(SimpleTestCase):
    def _queue(self, name: str) -> str:
        return app.amqp.router.route({}, name, args=(), kwargs={})["queue"].name

    def test_exports_and_the_summary_go_to_exports_imports_to_imports(self) -> None:
        self.assertEqual(self._queue("bureau.export_job_run"), "exports")
        self.assertEqual(self._queue("bureau.import_job_run"), "imports")
        self.assertEqual(self._queue("bureau.jobs_expire"), "default")


class JobListTests(CastTestCase):
    def test_the_list_costs_the_same_for_any_number_of_jobs(self) -> None:
        for n in range(30):
            BackgroundJob.objects.create(
                owner=self.officer, kind="enterprises.list", title=f"导出{n}"
            )
        BackgroundJob.objects.create(
            owner=self.head, kind="enterprises.list", title="别人的导出"
        )
        self.client.force_login(self.officer)
        # session, user, count, the page's jobs
        with self.assertNumQueries(4):
            response = self.client.get(reverse("job-list"))
        self.assertEqual(response.context["page"].paginator.count, 30)
        self.assertNotContains(response, "别人的导出")


class ApplicationExportJobTests(CastTestCase):
    @override_settings(EXPORT_ASYNC_ROWS=1)
    def test_an_enterprise_users_job_holds_only_their_applications(self) -> None:
        from projects.tests.factories import make_application, make_call

        call = make_call(self.officer)
        other = UserFactory(enterprise=self.enterprise_b, role=Role.ENTERPRISE)
        make_application(call, self.ent_user, title="自家项目甲")
        make_application(call, self.ent_user, title="自家项目乙", state="draft")
        make_application(call, other, title="别家项目")
        self.client.force_login(self.ent_user)
        with tasks_at_once():
            response = self.client.get(reverse("application-list") + "?export=xlsx")
        job = BackgroundJob.objects.get()
        self.assertRedirects(response, reverse("job-page", args=[job.pk]))
        titles = {row[0] for row in sheet_rows(job.file.read())[1:]}
        self.assertEqual(titles, {"自家项目甲", "自家项目乙"})
        self.client.force_login(other)
        self.assertEqual(
            self.client.get(reverse("job-download", args=[job.pk])).status_code, 404
        )
