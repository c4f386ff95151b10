"""The indicator import pages: upload the template, watch a large file's
progress, read a batch's errors, roll a batch back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.models import BackgroundJob
from bureau.views.jobs import job_redirect
from indicators.exports.imports import import_template_xlsx
from indicators.models import ImportBatch
from indicators.permissions import (
    can_import,
    can_roll_back_imports,
    can_view_dashboard,
    get_import_batch_for_user,
    import_batches_for_user,
    require,
)
from indicators.selectors.imports import (
    BATCH_CHANGES_SHOWN,
    import_batch_changes,
    import_template_codes,
)
from indicators.services import import_rollback
from indicators.services.imports import import_queue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Indicator values (.xlsx)"))


def import_list_view(request: AuthedRequest) -> HttpResponse:
    batches = import_batches_for_user(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        # Checked and applied by a background job (queue "imports"); under
        # `make run` the job has run when this returns, so the page answers
        # as before: the refused cells here, or the batch's page.
        job = import_queue(file=form.cleaned_data["file"], by=request.user)
        job.refresh_from_db()
        if job.status == BackgroundJob.Status.FAILED and job.result.get("errors"):
            errors = job.result["errors"]
        elif job.status == BackgroundJob.Status.DONE:
            batch = ImportBatch.objects.get(pk=job.result["batch_id"])
            messages.success(request, _imported_message(batch))
            return redirect("indicator-import-page", pk=batch.pk)
        else:
            return job_redirect(job)
    return render(
        request,
        "indicators/imports.html",
        {"form": form, "errors": errors, "batches": batches[:50]},
        status=400 if errors else 200,
    )


@require_safe
def import_template_view(request: AuthedRequest) -> HttpResponse:
    require(can_import(request.user))
    response = HttpResponse(
        import_template_xlsx(**import_template_codes(request.user)), content_type=XLSX
    )
    response["Content-Disposition"] = (
        'attachment; filename="indicator-import-template.xlsx"'
    )
    return response


def _imported_message(batch: ImportBatch) -> str:
    if batch.status != ImportBatch.Status.DONE:
        return _(
            "“%(file)s” passed the check: its %(rows)d rows are being imported."
        ) % {"file": batch.original_name, "rows": batch.rows}
    return _(
        "“%(file)s” imported: %(created)d values added, %(replaced)d replaced."
    ) % {
        "file": batch.original_name,
        "created": batch.created,
        "replaced": batch.replaced,
    }


@require_safe
def import_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = get_import_batch_for_user(request.user, pk)
    done = batch.status == ImportBatch.Status.DONE
    changes = import_batch_changes(batch) if done else []
    years = sorted({c.value.year for c in changes})
    context = {
        "batch": batch,
        "working": batch.status
        in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING),
        "percent": round(100 * batch.processed / batch.rows) if batch.rows else 0,
        "may_roll_back": can_roll_back_imports(request.user) and done,
        "changes": changes,
        "changes_cut": len(changes) >= BATCH_CHANGES_SHOWN,
        "dashboard_url": (
            f"{reverse('dashboard')}?year={years[-1]}"
            if years and can_view_dashboard(request.user)
            else ""
        ),
    }
    if request.headers.get("HX-Request"):
        return render(request, "indicators/_import_status.html", context)
    return render(request, "indicators/import_detail.html", context)


@require_POST
def import_rollback_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = get_import_batch_for_user(request.user, pk, rollback=True)
    back = reverse("indicator-import-page", args=[batch.pk])
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Roll back an import"),
            subject=batch.original_name,
            details=[
                (_("values it added, to be deleted"), batch.created),
                (_("values it replaced, to get their old value back"), batch.replaced),
                (_("uploaded by"), batch.uploaded_by),
                (
                    _("uploaded at"),
                    date_format(timezone.localtime(batch.uploaded_at), "Y-m-d H:i"),
                ),
            ],
            cancel_url=back,
            button=_("Roll back"),
        )
    with reported(
        request,
        _(
            "The import “%(file)s” was rolled back: %(created)d added values "
            "deleted, %(replaced)d replaced values restored."
        )
        % {
            "file": batch.original_name,
            "created": batch.created,
            "replaced": batch.replaced,
        },
    ):
        import_rollback(batch=batch, by=request.user)
    return redirect(back)
