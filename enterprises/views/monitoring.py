"""Quarterly monitoring: the quarters run so far and one quarter's reports."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import render

from bureau.lib.money import percent
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from enterprises.exports import monitoring_export
from enterprises.models import MonitoringReport
from enterprises.monitoring import FLAG_LABELS
from enterprises.permissions import can_view_monitoring, monitoring_reports_visible_to


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
    return render(request, "enterprises/monitoring_index.html", {"periods": periods})


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
