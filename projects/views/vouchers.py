"""Pages of innovation vouchers (创新券).

Mount `voucher_page_patterns` at the site root. Amounts are shown in 万元;
redeeming, cancelling or spending a voucher asks once more through
bureau.lib.confirm; list actions come back to the list as it was.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import report_error, reported
from bureau.lib.money import wan_with_unit
from bureau.lib.types import AuthedRequest
from projects.exports_rewards import (
    voucher_claim_workbook,
)
from projects.forms_rewards import (
    ClaimFilterForm,
    VoucherCancelForm,
    VoucherUseForm,
)
from projects.models import VoucherClaim
from projects.permissions import (
    can_manage_rewards,
    can_read_rewards,
    can_use_vouchers,
    can_view_vouchers,
    get_voucher_claim_for_user,
    own_enterprise,
)
from projects.selectors.vouchers import (
    service_provider_list,
    voucher_claim_list,
    voucher_claim_list_total,
    voucher_enterprise_held,
    voucher_scheme_current,
    voucher_scheme_years,
)
from projects.services.vouchers import (
    voucher_cancel,
    voucher_claim,
    voucher_payment,
    voucher_use,
    vouchers_redeem,
)
from projects.views.bulk import PER_PAGE, _export_query, _ids, _names, _next, _xlsx

# --- Vouchers ---------------------------------------------------------------


def _vouchers_mine(request: AuthedRequest) -> HttpResponse:
    scheme = voucher_scheme_current(user=request.user)
    context: dict[str, Any] = {
        "scheme": scheme,
        "claims": voucher_claim_list(user=request.user),
        "held": voucher_enterprise_held(
            scheme=scheme, enterprise_id=own_enterprise(request.user).pk
        )
        if scheme
        else None,
    }
    return render(request, "projects/rewards/vouchers_mine.html", context)


def voucher_index_view(request: AuthedRequest) -> HttpResponse:
    """An enterprise's vouchers with the claim button; for the bureau, the
    claims to search, filter, sort, redeem in bulk and export as filtered
    (`?export=xlsx`), and this year's quota."""
    if not can_view_vouchers(request.user):
        raise PermissionDenied
    if can_use_vouchers(request.user):
        return _vouchers_mine(request)
    if not can_read_rewards(request.user):
        raise PermissionDenied
    form = ClaimFilterForm(
        request.GET or None, years=voucher_scheme_years(user=request.user)
    )
    rows = voucher_claim_list(user=request.user, filters=form.filters())
    if request.GET.get("export") == "xlsx":
        return _xlsx(voucher_claim_workbook(rows), "创新券申领清单.xlsx")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/rewards/vouchers.html",
        {
            "scheme": voucher_scheme_current(user=request.user),
            "filter_form": form,
            "page": page,
            "list_total": voucher_claim_list_total(rows),
            "can_manage": can_manage_rewards(request.user),
            "next": request.get_full_path(),
            "export_query": _export_query(request),
        },
    )


@require_POST
def voucher_claim_view(request: AuthedRequest) -> HttpResponse:
    if not can_use_vouchers(request.user):
        raise PermissionDenied
    scheme = voucher_scheme_current(user=request.user)
    if scheme is None or str(scheme.pk) != request.POST.get("scheme"):
        messages.error(request, _("There is no voucher scheme this year."))
        return redirect("voucher-index")
    with reported(request):
        claim = voucher_claim(
            scheme=scheme, enterprise=own_enterprise(request.user), by=request.user
        )
        messages.success(
            request,
            _("Claimed a %(year)s innovation voucher of %(amount)s.")
            % {"year": scheme.year, "amount": wan_with_unit(claim.amount)},
        )
    return redirect("voucher-index")


def voucher_use_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Spend a voucher on a service: a form in 万元, then a confirmation
    saying what the voucher pays."""
    claim = get_voucher_claim_for_user(request.user, pk, action="use")
    back = reverse("voucher-index")
    form = VoucherUseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pays = voucher_payment(
            scheme=claim.scheme, service_fee=data["service_fee"], limit=claim.amount
        )
        if claim.status != VoucherClaim.Status.CLAIMED:
            messages.error(
                request,
                _("This voucher is %(status)s; that cannot be done now.")
                % {"status": claim.get_status_display()},
            )
            return redirect(back)
        if needs_confirmation(request):
            return confirmation_page(
                request,
                title=_("Use the voucher"),
                subject=f"{data['provider'].name} · {data['service']}",
                amount_yuan=pays,
                details=[
                    (_("service fee"), wan_with_unit(data["service_fee"])),
                    (_("voucher amount"), wan_with_unit(claim.amount)),
                    (
                        _("Your enterprise pays"),
                        wan_with_unit(data["service_fee"] - pays),
                    ),
                ],
                cancel_url=back,
                danger=False,
            )
        try:
            claim = voucher_use(claim=claim, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except ApplicationError as exc:
            report_error(request, exc)
            return redirect(back)
        else:
            messages.success(
                request,
                _(
                    "Used the voucher for %(service)s from %(provider)s: the fee is "
                    "%(fee)s, the voucher pays %(amount)s."
                )
                % {
                    "service": claim.service,
                    "provider": data["provider"].name,
                    "fee": wan_with_unit(claim.service_fee),
                    "amount": wan_with_unit(claim.used_amount),
                },
            )
            return redirect(back)
    return render(
        request,
        "projects/rewards/voucher_use.html",
        {
            "claim": claim,
            "form": form,
            "providers": service_provider_list(user=request.user),
        },
        status=400 if form.errors else 200,
    )


def _claim_words(c: VoucherClaim) -> dict[str, Any]:
    return {
        "enterprise": c.enterprise.name,
        "provider": c.provider.name if c.provider else "—",
        "amount": wan_with_unit(
            c.used_amount if c.used_amount is not None else c.amount
        ),
    }


@require_POST
def voucher_redeem_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_voucher_claim_for_user(request.user, pk, action="redeem")
    back = _next(request, reverse("voucher-index"))
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Redeem the voucher"),
            subject=f"{claim.enterprise.name} · {claim.provider.name if claim.provider else '—'}",
            amount_yuan=claim.used_amount,
            details=[
                (_("service bought"), claim.service or "—"),
                (_("service fee"), wan_with_unit(claim.service_fee)),
                (_("voucher amount"), wan_with_unit(claim.amount)),
            ],
            cancel_url=back,
        )
    with reported(
        request,
        _("Redeemed %(enterprise)s's innovation voucher to %(provider)s: %(amount)s.")
        % _claim_words(claim),
    ):
        vouchers_redeem(ids=[claim.pk], by=request.user)
    return redirect(back)


@require_POST
def vouchers_redeem_view(request: AuthedRequest) -> HttpResponse:
    """Redeem the chosen used vouchers after one confirmation listing them
    and their total."""
    if not can_manage_rewards(request.user):
        raise PermissionDenied
    back = _next(request, reverse("voucher-index"))
    chosen = list(
        voucher_claim_list(user=request.user)
        .filter(pk__in=_ids(request))
        .order_by("enterprise__name", "id")
    )
    if not chosen:
        messages.error(request, _("Choose at least one voucher to redeem."))
        return redirect(back)
    total = sum((c.used_amount or Decimal(0) for c in chosen), Decimal(0))
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Redeem the chosen vouchers"),
            subject=_("%(n)d innovation vouchers") % {"n": len(chosen)},
            amount_yuan=total,
            items=[
                f"{c.enterprise.name} · {c.provider.name if c.provider else '—'} · "
                f"{wan_with_unit(c.used_amount)}"
                for c in chosen
            ],
            cancel_url=back,
        )
    with reported(
        request,
        _("Redeemed %(n)d innovation vouchers, %(amount)s in all: %(names)s.")
        % {
            "n": len(chosen),
            "amount": wan_with_unit(total),
            "names": _names([c.enterprise.name for c in chosen]),
        },
    ):
        vouchers_redeem(ids=[c.pk for c in chosen], by=request.user)
    return redirect(back)


@require_POST
def voucher_cancel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_voucher_claim_for_user(request.user, pk, action="cancel")
    back = _next(request, reverse("voucher-index"))
    form = VoucherCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if needs_confirmation(request):
        details = [(_("status"), claim.get_status_display())]
        if reason:
            details.append((_("reason"), reason))
        return confirmation_page(
            request,
            title=_("Cancel the voucher"),
            subject=f"{claim.enterprise.name} · {claim.scheme}",
            amount_yuan=claim.amount,
            details=details,
            cancel_url=back,
        )
    with reported(
        request,
        _("Cancelled %(enterprise)s's innovation voucher of %(amount)s.")
        % {"enterprise": claim.enterprise.name, "amount": wan_with_unit(claim.amount)},
    ):
        voucher_cancel(claim=claim, by=request.user, reason=reason)
    return redirect(back)


voucher_page_patterns = [
    # /vouchers/
    path("vouchers/", voucher_index_view, name="voucher-index"),
    path("vouchers/claim/", voucher_claim_view, name="voucher-claim"),
    path("vouchers/redeem/", vouchers_redeem_view, name="vouchers-redeem"),
    path("vouchers/<int:pk>/use/", voucher_use_view, name="voucher-use"),
    path("vouchers/<int:pk>/redeem/", voucher_redeem_view, name="voucher-redeem"),
    path("vouchers/<int:pk>/cancel/", voucher_cancel_view, name="voucher-cancel"),
]
