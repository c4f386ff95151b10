"""Pages of project money: milestones, tranches and the funding ledger."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from projects.exports import ledger_workbook
from projects.permissions import (
    can_view_ledger,
    get_disbursement_for_user,
    get_milestone_for_user,
)
from projects.selectors import ledger
from projects.services.money import (
    disbursement_pay,
    disbursement_withhold,
    milestone_achieve,
)


@require_POST
def milestone_achieve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    milestone = get_milestone_for_user(request.user, pk)
    with reported(request, _("Done.")):
        milestone_achieve(milestone=milestone, by=request.user)
    return redirect("application-detail", pk=milestone.contract.application_id)


@require_POST
def disbursement_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A planned tranche: the "pay" button pays it, "withhold" holds it back."""
    disbursement = get_disbursement_for_user(request.user, pk)
    with reported(request, _("Done.")):
        if request.POST.get("action") == "pay":
            disbursement_pay(disbursement=disbursement, by=request.user)
        else:
            disbursement_withhold(
                disbursement=disbursement,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
    return redirect("application-detail", pk=disbursement.application_id)


def ledger_view(request: AuthedRequest) -> HttpResponse:
    """The funding ledger per call; `?export=xlsx` gives the workbook."""
    if not can_view_ledger(request.user):
        raise PermissionDenied
    year = request.GET.get("year")
    rows = ledger(year=int(year) if year and year.isdigit() else None)
    if request.GET.get("export") == "xlsx":
        filename = f"项目资金台账-{timezone.localdate():%Y%m%d}.xlsx"
        return HttpResponse(
            ledger_workbook(rows), headers=xlsx_response_headers(filename)
        )
    return render(request, "projects/ledger.html", {"rows": rows, "year": year or ""})
