"""/metrics: the Prometheus text exposition, for the security administrator's
scraper. It authenticates with the security administrator's API token
(`Authorization: Token …`) or session; anyone else gets 401/403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from bureau import metrics
from bureau.permissions import can_read_metrics


class MayReadMetrics(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_read_metrics(request.user)


class MetricsView(APIView):
    permission_classes = [MayReadMetrics]
    schema = None  # not part of the business API

    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)


metrics_view = login_not_required(MetricsView.as_view())
