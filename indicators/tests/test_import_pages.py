"""The indicator import pages: upload, errors by row and column, progress
of a large file, rollback, and who may see which batch."""

from __future__ import annotations

from django.urls import reverse

from bureau.models import BackgroundJob
from bureau.tests.base import CastTestCase
from bureau.tests.eager import tasks_at_once
from indicators.models import DataValue, ImportBatch
from indicators.tests.test_import_api import workbook


class ImportPageTests(CastTestCase):
    def upload(self, *rows, execute=True):  # type: ignore[no-untyped-def]
        """Post the rows; `execute`: the job runs at once, as under make run
        (else it waits for a worker)."""
        if not execute:
            with self.captureOnCommitCallbacks(execute=False):
                return self.client.post(
                    reverse("indicator-imports"), {"file": workbook(*rows)}
                )
        with tasks_at_once():
            return self.client.post(
                reverse("indicator-imports"), {"file": workbook(*rows)}
            )

    def test_a_bad_cell_stores_nothing_and_is_named(self) -> None:
        self.client.force_login(self.officer)
        response = self.upload(
            ("tech_contracts", "330105001", "2025-07", 10),
            ("tech_contracts", "330105001", "2025-13", "abc"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "第3行 C列（统计期）", status_code=400)
        self.assertContains(response, "第3行 D列（数值）", status_code=400)
        self.assertEqual([e["row"] for e in response.context["errors"]], [3, 3])
        self.assertFalse(DataValue.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_a_good_file_imports_and_can_be_rolled_back(self) -> None:
        self.client.force_login(self.officer)
        response = self.upload(("tech_contracts", "330105001", "2025-07", 10))
        batch = ImportBatch.objects.get()
        self.assertRedirects(
            response, reverse("indicator-import-page", args=[batch.pk])
        )
        page = self.client.get(response["Location"])
        self.assertEqual(page.context["batch"].created, 1)
        self.assertNotContains(page, "every 2s")
        self.assertContains(
            page, reverse("indicator-import-rollback-page", args=[batch.pk])
        )
        self.assertContains(self.client.get(reverse("indicator-imports")), "数据.xlsx")
        self.client.post(
            reverse("indicator-import-rollback-page", args=[batch.pk]),
            {"confirmed": "1"},
        )
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.ROLLED_BACK)
        self.assertFalse(DataValue.objects.exists())

    def test_with_a_worker_the_job_page_shows_progress_then_the_batch(self) -> None:
        self.client.force_login(self.officer)
        with self.captureOnCommitCallbacks(execute=False) as queued:
            response = self.client.post(
                reverse("indicator-imports"),
                {
                    "file": workbook(
                        ("tech_contracts", "330105001", "2025-07", 10),
                        ("tech_contracts", "330105001", "2025-08", 12),
                    )
                },
            )
        job = BackgroundJob.objects.get()
        self.assertRedirects(response, reverse("job-page", args=[job.pk]))
        self.assertFalse(ImportBatch.objects.exists())  # not checked yet
        page = self.client.get(response["Location"])
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, "<progress")
        fragment = self.client.get(response["Location"], headers={"HX-Request": "true"})
        self.assertTemplateUsed(fragment, "bureau/_job_status.html")
        self.assertTemplateNotUsed(fragment, "base.html")
        self.assertEqual(len(queued), 1)
        queued[0]()  # the worker runs the job
        done = self.client.get(response["Location"])
        batch = ImportBatch.objects.get()
        self.assertNotContains(done, "every 1s")
        self.assertContains(done, reverse("indicator-import-page", args=[batch.pk]))
        self.assertContains(done, "2行全部导入：新增2个，替换0个。")
        self.assertEqual(DataValue.objects.count(), 2)

    def test_with_a_worker_refused_cells_are_shown_by_row_and_column(self) -> None:
        self.client.force_login(self.officer)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("indicator-imports"),
                {
                    "file": workbook(
                        ("tech_contracts", "330105001", "2025-07", 10),
                        ("tech_contracts", "330105001", "2025-13", "abc"),
                    )
                },
            )
        page = self.client.get(response["Location"])
        self.assertContains(page, "第3行 C列（统计期）")
        self.assertContains(page, "第3行 D列（数值）")
        self.assertContains(page, "文件已检查，未通过；没有导入任何数据。")
        self.assertFalse(DataValue.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())
        job = BackgroundJob.objects.get()
        self.assertEqual(job.status, BackgroundJob.Status.FAILED)
        self.assertFalse(job.upload)  # the upload is not kept

    def test_scoping(self) -> None:
        self.client.force_login(self.officer)
        self.upload(("tech_contracts", "330105001", "2025-07", 10))
        batch = ImportBatch.objects.get()
        page = reverse("indicator-import-page", args=[batch.pk])
        rollback = reverse("indicator-import-rollback-page", args=[batch.pk])
        # A liaison sees only their own batches (another's is a 404, rolling
        # it back too) and never rolls back (their own is a 403).
        self.client.force_login(self.liaison)
        self.assertEqual(self.client.get(page).status_code, 404)
        self.assertEqual(self.client.post(rollback).status_code, 404)
        self.upload(("tech_contracts", "330105001", "2025-08", 10))
        own = ImportBatch.objects.get(uploaded_by=self.liaison)
        own_rollback = reverse("indicator-import-rollback-page", args=[own.pk])
        self.assertEqual(self.client.post(own_rollback).status_code, 403)
        listed = self.client.get(reverse("indicator-imports")).context["batches"]
        self.assertEqual([b.pk for b in listed], [own.pk])
        # Enterprise users, experts and leaders do not import.
        for user in (self.ent_user, self.expert, self.leader):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(reverse("indicator-imports")).status_code, 403
            )
        self.assertEqual(DataValue.objects.count(), 2)
