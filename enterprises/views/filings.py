"""Annual returns and quarterly reports: the lists, the form and the review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from enterprises.forms import (
    AnnualReturnForm,
    QuarterlyReportForm,
    ReviewForm,
    add_service_errors,
)
from enterprises.models import AnnualReturn, Enterprise, FilingStatus, QuarterlyReport
from enterprises.permissions import (
    can_file_for,
    can_review_filings,
    can_start_filing,
    filings_visible_to,
    get_enterprise_for_user,
    get_filing_for_user,
)
from enterprises.services import (
    ANNUAL_RETURN_FIELDS,
    QUARTERLY_FIELDS,
    annual_return_create,
    filing_review,
    filing_submit,
    filing_update,
    quarterly_report_create,
)

FILING_KINDS: dict[str, dict[str, Any]] = {
    "annual": {
        "model": AnnualReturn,
        "form": AnnualReturnForm,
        "fields": ANNUAL_RETURN_FIELDS,
        "title": gettext_lazy("Annual returns"),
    },
    "quarterly": {
        "model": QuarterlyReport,
        "form": QuarterlyReportForm,
        "fields": QUARTERLY_FIELDS,
        "title": gettext_lazy("Quarterly reports"),
    },
}


def filing_list_view(request: AuthedRequest, kind: str) -> HttpResponse:
    spec = FILING_KINDS[kind]
    qs = filings_visible_to(request.user, spec["model"])
    status = request.GET.get("status", "")
    if status in FilingStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/filing_list.html",
        {
            "kind": kind,
            "title": spec["title"],
            "page": page,
            "status": status,
            "statuses": FilingStatus.choices,
            "can_file": can_start_filing(request.user),
            "can_review": can_review_filings(request.user),
        },
    )


def _enterprise_to_file_for(request: AuthedRequest) -> Enterprise:
    """Enterprise users file for themselves; staff name the enterprise."""
    target = request.user.enterprise_id or request.GET.get("enterprise")
    if not target or not str(target).isdigit():
        raise PermissionDenied
    enterprise = get_enterprise_for_user(request.user, int(target))
    if not can_file_for(request.user, enterprise):
        raise PermissionDenied
    return enterprise


def filing_edit_view(
    request: AuthedRequest, kind: str, pk: int | None = None
) -> HttpResponse:
    """Start (for one's own enterprise, or staff for any) or show a filing;
    whoever may see it reads it, whoever may file for it edits it."""
    spec = FILING_KINDS[kind]
    filing = None
    if pk is None:
        enterprise = _enterprise_to_file_for(request)
        may_edit = True
    else:
        filing = get_filing_for_user(
            request.user, spec["model"], pk, write=request.method == "POST"
        )
        enterprise = filing.enterprise
        may_edit = can_file_for(request.user, enterprise)
    form = spec["form"](request.POST or None, instance=filing)
    if filing is not None:
        for name in ("year", "quarter"):
            if name in form.fields:
                form.fields[name].disabled = True
    editable = may_edit and (filing is None or filing.is_editable)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in spec["fields"]}
        try:
            if filing is not None:
                filing = filing_update(filing=filing, by=request.user, **figures)
            elif kind == "annual":
                filing = annual_return_create(
                    enterprise=enterprise,
                    year=form.cleaned_data["year"],
                    by=request.user,
                    **figures,
                )
            else:
                filing = quarterly_report_create(
                    enterprise=enterprise,
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                    by=request.user,
                    **figures,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if "submit" in request.POST:
                filing_submit(filing=filing, by=request.user)
                messages.success(request, _("Submitted. The bureau will review it."))
            else:
                messages.success(request, _("Saved as a draft."))
            return redirect("filing-list", kind=kind)
    return render(
        request,
        "enterprises/filing_form.html",
        {
            "kind": kind,
            "title": spec["title"],
            "form": form,
            "filing": filing,
            "enterprise": enterprise,
            "editable": editable,
        },
    )


@require_POST
def filing_review_view(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    spec = FILING_KINDS[kind]
    filing = get_filing_for_user(request.user, spec["model"], pk)
    if not can_review_filings(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
    else:
        with reported(request, _("Review recorded.")):
            filing_review(
                filing=filing,
                by=request.user,
                accept=form.cleaned_data["accept"],
                reason=form.cleaned_data["reason"],
            )
    return redirect(reverse("filing-list", kwargs={"kind": kind}) + "?status=submitted")
