"""The indicator import pages: upload the template, watch a large file's
progress, read a batch's errors, roll a batch back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from indicators.exports.imports import import_template_xlsx
from indicators.models import ImportBatch
from indicators.permissions import (
    can_import,
    can_roll_back_imports,
    get_import_batch_for_user,
    import_batches_for_user,
    require,
)
from indicators.selectors.imports import import_template_codes
from indicators.services import ImportRefused, import_rollback, import_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Indicator values (.xlsx)"))


def import_list_view(request: AuthedRequest) -> HttpResponse:
    batches = import_batches_for_user(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_start(file=form.cleaned_data["file"], by=request.user)
        except ImportRefused as exc:
            errors = exc.errors
        else:
            return redirect("indicator-import-page", pk=batch.pk)
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
        import_template_xlsx(**import_template_codes()), content_type=XLSX
    )
    response["Content-Disposition"] = (
        'attachment; filename="indicator-import-template.xlsx"'
    )
    return response


@require_safe
def import_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = get_import_batch_for_user(request.user, pk)
    context = {
        "batch": batch,
        "working": batch.status
        in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING),
        "percent": round(100 * batch.processed / batch.rows) if batch.rows else 0,
        "may_roll_back": can_roll_back_imports(request.user)
        and batch.status == ImportBatch.Status.DONE,
    }
    if request.headers.get("HX-Request"):
        return render(request, "indicators/_import_status.html", context)
    return render(request, "indicators/import_detail.html", context)


@require_POST
def import_rollback_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = get_import_batch_for_user(request.user, pk, rollback=True)
    with reported(request, _("The import was rolled back.")):
        import_rollback(batch=batch, by=request.user)
    return redirect("indicator-import-page", pk=batch.pk)
