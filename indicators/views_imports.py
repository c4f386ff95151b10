"""The indicator import pages: upload the template, watch a large file's
progress, read a batch's errors, roll a batch back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from bureau.lib.exceptions import ApplicationError
from bureau.models import Role
from bureau.permissions import has_role
from indicators.imports import (
    ImportRefused,
    import_rollback,
    import_start,
    import_template,
)
from indicators.models import ImportBatch
from indicators.selectors import import_batches

ENTRY_ROLES = (Role.STAFF, Role.SECTION_HEAD, Role.STREET_LIAISON)
ROLLBACK_ROLES = (Role.STAFF, Role.SECTION_HEAD)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Indicator values (.xlsx)"))


def _batches(user: Any) -> QuerySet[ImportBatch]:
    if not has_role(user, *ENTRY_ROLES):
        raise PermissionDenied
    return import_batches(user)


def import_list_view(request: HttpRequest) -> HttpResponse:
    batches = _batches(request.user)
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
def import_template_view(request: HttpRequest) -> HttpResponse:
    _batches(request.user)
    response = HttpResponse(import_template(), content_type=XLSX)
    response["Content-Disposition"] = (
        'attachment; filename="indicator-import-template.xlsx"'
    )
    return response


@require_safe
def import_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(_batches(request.user), pk=pk)
    context = {
        "batch": batch,
        "working": batch.status
        in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING),
        "percent": round(100 * batch.processed / batch.rows) if batch.rows else 0,
        "may_roll_back": has_role(request.user, *ROLLBACK_ROLES)
        and batch.status == ImportBatch.Status.DONE,
    }
    if request.headers.get("HX-Request"):
        return render(request, "indicators/_import_status.html", context)
    return render(request, "indicators/import_detail.html", context)


@require_POST
def import_rollback_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_role(request.user, *ROLLBACK_ROLES):
        raise PermissionDenied
    batch = get_object_or_404(_batches(request.user), pk=pk)
    try:
        import_rollback(batch=batch, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The import was rolled back."))
    return redirect("indicator-import-page", pk=batch.pk)
