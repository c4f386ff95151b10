"""The auditor's pages: the audit log, its export, the chain's verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.audit import audit_rows
from bureau.audit_chain import chain_state
from bureau.exports import audit_events_xlsx
from bureau.forms import AuditFilterForm
from bureau.lib.types import AuthedRequest
from bureau.models import User
from bureau.permissions import can_view_audit_log
from bureau.selectors import (
    audit_event_list,
)
from bureau.services import (
    audit_export_record,
)
from bureau.services.jobs import ExportPlan
from bureau.tasks import audit_chain_verify
from bureau.views.jobs import export_response


def audit_log(request: AuthedRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET.get("privileged") == "1":  # the auditor's home queue
        filters = {**filters, "privileged": "1"}
    page = Paginator(audit_event_list(filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bureau/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": audit_rows(page.object_list),
            "chain": chain_state(),
            "export_query": request.GET.urlencode(),
        },
    )


def audit_export(request: AuthedRequest) -> HttpResponse:
    """The filtered audit trail in Excel (newest first, at most
    AUDIT_EXPORT_MAX_ROWS rows); the export is itself audited."""
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    return export_response(request, "bureau.audit")


def audit_log_export(user: User, query: QueryDict) -> ExportPlan:
    """The filtered audit trail as the export writes it, in the request or
    in a background job; writing it is audited either way."""
    if not can_view_audit_log(user):
        raise PermissionDenied
    form = AuditFilterForm(query or None)
    filters = form.cleaned_data if form.is_valid() else {}
    limit = settings.AUDIT_EXPORT_MAX_ROWS
    events = audit_event_list(filters=filters).select_related("actor")

    def write() -> bytes:
        content = audit_events_xlsx(events[:limit])
        audit_export_record(by=user, filters=filters)
        return content

    return ExportPlan(
        filename=f"审计日志-{timezone.localdate():%Y%m%d}.xlsx",
        rows=min(events.count(), limit),
        write=write,
    )


@require_POST
def audit_verify_start(request: AuthedRequest) -> HttpResponse:
    """Check the whole SM3 chain now (a Celery task; at once under make run)."""
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    result = audit_chain_verify.delay()
    if result.ready():
        state = chain_state()
        if state is not None and state.broken_event_id is None:
            messages.success(
                request,
                _("The audit chain is intact: %(n)d events verified.")
                % {"n": state.verified_count},
            )
        else:
            messages.error(
                request,
                _(
                    "The audit chain is broken at event %(id)s: tell the security administrator."
                )
                % {"id": state.broken_event_id if state else "?"},
            )
    else:
        messages.info(
            request, _("Verification started; refresh this page in a minute.")
        )
    return redirect("audit-log")
