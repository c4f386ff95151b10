"""Quarterly monitoring: the quarters run so far, one quarter's reports, and
starting a quarter from the page with its progress."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.money import percent
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from enterprises.exports import monitoring_export
from enterprises.models import MonitoringReport, QuarterlyReport
from enterprises.monitoring import FLAG_LABELS, due_quarters, parse_period
from enterprises.permissions import (
    can_run_monitoring,
    can_view_monitoring,
    monitoring_reports_visible_to,
)
from enterprises.services.monitoring import monitoring_run_status, monitoring_start


def _reports(request: AuthedRequest) -> QuerySet[MonitoringReport]:
    if not can_view_monitoring(request.user):
        raise PermissionDenied
    return monitoring_reports_visible_to(request.user)


def monitoring_index_view(request: AuthedRequest) -> HttpResponse:
    periods = (
        _reports(request)
        .values("year", "quarter")
        .annotate(
            monitored=Sum("enterprises_monitored"),
            missing=Sum("missing"),
            late=Sum("filed_late"),
            decliners=Sum("decliners"),
            expiring=Sum("expiring"),
        )
        .order_by("-year", "-quarter")
    )
    context: dict[str, Any] = {"periods": periods}
    if can_run_monitoring(request.user):
        context["startable"] = [
            (f"{y}Q{q}", QuarterlyReport.period_label(y, q))
            for y, q in due_quarters(timezone.localdate())
        ]
    return render(request, "enterprises/monitoring_index.html", context)


def _summary_text(status: dict[str, Any]) -> str:
    s = status["summary"]
    return _(
        "Monitored %(period)s: %(n)d enterprises, %(missing)d did not file, "
        "%(late)d filed late, %(decl)d declining, %(exp)d certificates expiring."
    ) % {
        "period": QuarterlyReport.period_label(status["year"], status["quarter"]),
        "n": s["monitored"],
        "missing": s["missing"],
        "late": s["late"],
        "decl": s["decliners"],
        "exp": s["expiring"],
    }


@require_POST
def monitoring_start_view(request: AuthedRequest) -> HttpResponse:
    """Start the chosen quarter (a Celery task); eager without Redis, so the
    quarter's page opens with its reports at once."""
    if not can_run_monitoring(request.user):
        raise PermissionDenied
    try:
        year, quarter = parse_period(request.POST.get("period", ""))
    except ValueError:
        messages.error(request, _("Choose the quarter to monitor."))
        return redirect("monitoring-index")
    run_id = None
    with reported(request):
        run_id = monitoring_start(year=year, quarter=quarter, by=request.user)
    if run_id is None:
        return redirect("monitoring-index")
    status = monitoring_run_status(run_id) or {}
    if status.get("state") == "done":
        messages.success(request, _summary_text(status))
        return redirect("monitoring-period", year=year, quarter=quarter)
    if status.get("state") != "failed":
        messages.info(
            request,
            _("Started monitoring %(period)s; this page follows its progress.")
            % {"period": QuarterlyReport.period_label(year, quarter)},
        )
    return redirect("monitoring-run", run_id=run_id)


def monitoring_run_view(request: AuthedRequest, run_id: str) -> HttpResponse:
    """A started run's progress bar, polled by htmx until it is done."""
    if not can_run_monitoring(request.user):
        raise PermissionDenied
    status = monitoring_run_status(run_id)
    if status is None:
        raise Http404
    period_url = reverse(
        "monitoring-period",
        kwargs={"year": status["year"], "quarter": status["quarter"]},
    )
    if request.headers.get("HX-Request") and status["state"] == "done":
        messages.success(request, _summary_text(status))
        return HttpResponse(headers={"HX-Redirect": period_url})
    context = {
        "run_id": run_id,
        "status": status,
        "working": status["state"] in ("queued", "running"),
        "period": QuarterlyReport.period_label(status["year"], status["quarter"]),
        "period_url": period_url,
        "summary": _summary_text(status) if status["state"] == "done" else "",
    }
    if request.headers.get("HX-Request"):
        return render(request, "enterprises/monitoring_run_status.html", context)
    return render(request, "enterprises/monitoring_run.html", context)


def monitoring_period_view(
    request: AuthedRequest, year: int, quarter: int
) -> HttpResponse:
    reports = list(
        _reports(request)
        .filter(year=year, quarter=quarter)
        .order_by("org_unit__sort_order", "org_unit__code")
    )
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            monitoring_export(reports, flag_labels=FLAG_LABELS),
            headers=xlsx_response_headers(f"monitoring-{year}Q{quarter}.xlsx"),
        )
    for report in reports:
        for item in report.details:
            item["flag_labels"] = [str(FLAG_LABELS.get(f, f)) for f in item["flags"]]
            if item.get("revenue_yoy") is not None:
                item["yoy_display"] = percent(Decimal(item["revenue_yoy"]))
    return render(
        request,
        "enterprises/monitoring_period.html",
        {"reports": reports, "year": year, "quarter": quarter},
    )
