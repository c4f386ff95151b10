"""Accounts for the roster's enterprises, issued in bulk from the enterprise
list (its filters in the query string)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import report_error
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from enterprises.forms import EnterpriseFilterForm
from enterprises.permissions import can_issue_enterprise_accounts
from enterprises.selectors import enterprise_list
from enterprises.services import (
    enterprise_accounts_issue,
    enterprises_without_account,
    issued_accounts_workbook,
)

# How many enterprise names the confirmation page lists.
_SHOWN = 30


@require_POST
def enterprise_accounts_issue_view(request: AuthedRequest) -> HttpResponse:
    """Create an account, with a one-time password, for every enterprise of
    the filtered list that has none; answer the Excel file to hand out."""
    if not can_issue_enterprise_accounts(request.user):
        raise PermissionDenied
    form = EnterpriseFilterForm(request.GET or None, user=request.user)
    targets = enterprises_without_account(
        enterprise_list(user=request.user, filters=form.to_filters())
    )
    back = reverse("enterprise-list") + (
        "?" + request.GET.urlencode() if request.GET else ""
    )
    count = targets.count()
    if count == 0:
        report_error(
            request,
            ApplicationError(
                _("Every enterprise of this list has an account already.")
            ),
        )
        return redirect(back)
    if needs_confirmation(request):
        names = [f"{e.name}（{e.credit_code}）" for e in targets[:_SHOWN]]
        if count > _SHOWN:
            names.append(_("… and %(n)d more") % {"n": count - _SHOWN})
        return confirmation_page(
            request,
            title=_("Open enterprise accounts"),
            subject=_("%(n)d enterprises without an account") % {"n": count},
            items=names,
            warnings=[
                _(
                    "Each gets a one-time password, shown only in the Excel file "
                    "downloaded next: keep it safe and hand each row to its "
                    "enterprise. The password must be changed at the first login."
                )
            ],
            cancel_url=back,
            danger=False,
        )
    try:
        issued = enterprise_accounts_issue(enterprises=list(targets), by=request.user)
    except ApplicationError as exc:
        report_error(request, exc)
        return redirect(back)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return HttpResponse(
        issued_accounts_workbook(issued),
        headers=xlsx_response_headers(f"enterprise-accounts-{stamp}.xlsx"),
    )
