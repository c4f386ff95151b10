"""The indicator import pages: upload, errors by row and column, progress
of a large file, rollback, and who may see which batch."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from bureau.tests.base import CastTestCase
from indicators.models import DataValue, ImportBatch
from indicators.tests.test_import_api import workbook


class ImportPageTests(CastTestCase):
    def upload(self, *rows, execute=True):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=execute):
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

    @override_settings(INDICATOR_IMPORT_ASYNC_ROWS=1)
    def test_a_large_file_shows_its_progress_until_done(self) -> None:
        self.client.force_login(self.officer)
        self.upload(
            ("tech_contracts", "330105001", "2025-07", 10),
            ("tech_contracts", "330105001", "2025-08", 12),
            execute=False,  # the Celery task has not run yet
        )
        batch = ImportBatch.objects.get()
        self.assertEqual(batch.status, ImportBatch.Status.PENDING)
        url = reverse("indicator-import-page", args=[batch.pk])
        self.assertContains(self.client.get(url), 'hx-trigger="every 2s"')
        fragment = self.client.get(url, headers={"HX-Request": "true"})
        self.assertTemplateUsed(fragment, "indicators/_import_status.html")
        self.assertTemplateNotUsed(fragment, "base.html")
        self.assertContains(fragment, "<progress")

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
