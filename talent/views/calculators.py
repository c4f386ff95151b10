"""政策测算: the work-permit class calculator's page. Stores nothing."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bureau.lib.types import AuthedRequest
from talent.forms import WorkPermitForm
from talent.permissions import require_calculator_user
from talent.points import PointsInput, permit_points


@require_http_methods(["GET", "POST"])
def work_permit_calculator_view(request: AuthedRequest) -> HttpResponse:
    require_calculator_user(request.user)
    form = WorkPermitForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        context["result"] = permit_points(PointsInput(**form.points_values()))
    return render(request, "talent/calculator_permit.html", context)
