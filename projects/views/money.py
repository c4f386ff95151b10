"""Pages of project money: milestones, tranches and the funding ledger."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import error_text, reported
from bureau.lib.money import wan
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from projects.exports import ledger_workbook
from projects.permissions import (
    can_view_ledger,
    get_disbursement_for_user,
    get_milestone_for_user,
)
from projects.selectors.money import (
    ledger_grouped,
    ledger_years,
    tranche_number,
)
from projects.services.money import (
    disbursement_check_payable,
    disbursement_pay,
    disbursement_withhold,
    milestone_achieve,
)


@require_POST
def milestone_achieve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    milestone = get_milestone_for_user(request.user, pk)
    app = milestone.contract.application
    with reported(request):
        milestone_achieve(milestone=milestone, by=request.user)
        messages.success(
            request,
            _("Milestone %(milestone)s of “%(title)s” is recorded as achieved.")
            % {"milestone": f"「{milestone.title}」", "title": app.title},
        )
    return redirect("application-detail", pk=app.pk)


@require_POST
def disbursement_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A planned tranche: the "pay" button pays it, "withhold" holds it back;
    both are confirmed on a second page naming the enterprise, the tranche's
    number and the amount in figures and 大写."""
    disbursement = get_disbursement_for_user(request.user, pk)
    app = disbursement.application
    pay = request.POST.get("action") == "pay"
    number = tranche_number(disbursement)
    reason = request.POST.get("reason", "").strip()
    facts = {
        "enterprise": app.enterprise.name,
        "n": number,
        "amount": f"{wan(disbursement.amount)}万元",
        "title": app.title,
    }
    if pay or reason:
        try:
            if pay:
                disbursement_check_payable(disbursement)
            elif disbursement.status != disbursement.Status.PLANNED:
                raise ApplicationError(
                    _("Only a planned tranche can be withheld."), code="not_planned"
                )
        except ApplicationError as exc:
            # Said now, not after the confirmation step.
            messages.error(request, error_text(exc))
            return redirect("application-detail", pk=app.pk)
        if needs_confirmation(request):
            details = [
                (_("project title"), f"《{app.title}》"),
                (_("tranche"), _("Tranche %(n)d") % {"n": number}),
            ]
            if disbursement.milestone_id:
                details.append((_("milestone"), disbursement.milestone.title))  # type: ignore[union-attr]
            if not pay:
                details.append((_("reason"), reason))
            return confirmation_page(
                request,
                title=_("Pay the tranche") if pay else _("Withhold the tranche"),
                subject=app.enterprise.name,
                amount_yuan=disbursement.amount,
                details=details,
                cancel_url=reverse("application-detail", args=[app.pk]),
                danger=not pay,
            )
    with reported(request):
        if pay:
            disbursement_pay(disbursement=disbursement, by=request.user)
            messages.success(
                request,
                _("Tranche %(n)d of %(amount)s is paid to %(enterprise)s.") % facts,
            )
        else:
            disbursement_withhold(
                disbursement=disbursement, by=request.user, reason=reason
            )
            messages.success(
                request,
                _("Tranche %(n)d of %(amount)s to %(enterprise)s is withheld.") % facts,
            )
    return redirect("application-detail", pk=app.pk)


def ledger_view(request: AuthedRequest) -> HttpResponse:
    """The funding ledger per call, with a 合计 row per year and for all;
    `?export=xlsx` gives the same table in 万元."""
    if not can_view_ledger(request.user):
        raise PermissionDenied
    years = ledger_years()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else None
    groups, total = ledger_grouped(year=year)
    if request.GET.get("export") == "xlsx":
        filename = f"项目资金台账-{timezone.localdate():%Y%m%d}.xlsx"
        return HttpResponse(
            ledger_workbook(groups, total), headers=xlsx_response_headers(filename)
        )
    return render(
        request,
        "projects/ledger.html",
        {
            "groups": groups,
            "rows": [row for group in groups for row in group["rows"]],
            "total": total,
            "year": year,
            "years": years,
        },
    )
