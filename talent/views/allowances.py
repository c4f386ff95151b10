"""Pages of living allowances: a month's payments, its Excel export for
finance (masked ID numbers only), recording the month as paid."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.money import wan_with_unit
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from talent.exports import allowance_payments_filename, allowance_payments_xlsx
from talent.models import AllowancePayment
from talent.permissions import (
    can_manage_talent,
    require_talent_manager,
    require_talent_reader,
)
from talent.selectors import allowance_month, allowance_month_totals
from talent.services import allowance_payments_pay


def _month_arg(request: HttpRequest) -> date:
    raw = request.GET.get("month") or request.POST.get("month") or ""
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def allowance_month_view(request: AuthedRequest) -> HttpResponse:
    require_talent_reader(request.user)
    month = _month_arg(request)
    payments = allowance_month(month=month)
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            allowance_payments_xlsx(month=month, payments=payments),
            headers=xlsx_response_headers(allowance_payments_filename(month)),
        )
    return render(
        request,
        "talent/allowances.html",
        {
            "month": month,
            "payments": payments,
            "totals": allowance_month_totals(month=month),
            "can_manage": can_manage_talent(request.user),
        },
    )


@require_POST
def allowance_pay_view(request: AuthedRequest) -> HttpResponse:
    require_talent_manager(request.user)
    month = _month_arg(request)
    back = f"{reverse('allowance-month')}?month={month:%Y-%m}"
    due = allowance_month_totals(month=month).get(AllowancePayment.Status.DUE)
    if due is None:
        messages.error(
            request,
            _("No living allowance is due in %(month)s: nothing was recorded.")
            % {"month": _month_text(month)},
        )
        return redirect(back)
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Record living allowances as paid"),
            subject=_("%(month)s: %(n)d living allowance payments")
            % {"month": _month_text(month), "n": due["count"]},
            amount_yuan=due["amount"],
            cancel_url=back,
            button=_("Record as paid"),
        )
    paid = allowance_payments_pay(by=request.user, month=month)
    messages.success(
        request,
        _("%(n)d living allowance payments of %(month)s recorded as paid, %(amount)s.")
        % {
            "n": paid,
            "month": _month_text(month),
            "amount": wan_with_unit(due["amount"]),
        },
    )
    return redirect(back)


def _month_text(month: date) -> str:
    return f"{month.year}年{month.month}月"
