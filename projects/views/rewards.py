"""Pages of policy rewards (奖补兑现) and innovation vouchers (创新券).

Mount `reward_page_patterns` at the site root.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from projects.exports import reward_batch_workbook
from projects.models import ServiceProvider, VoucherClaim, VoucherScheme
from projects.permissions import (
    can_approve_reward_batch,
    can_export_reward_batch,
    can_manage_rewards,
    can_read_rewards,
    can_use_vouchers,
    can_view_rewards,
    can_view_vouchers,
    get_entitlement_for_user,
    get_reward_batch_for_user,
    get_voucher_claim_for_user,
    own_enterprise,
)
from projects.selectors import (
    entitlement_list,
    reward_batch_export_rows,
    reward_batch_list,
    reward_batch_totals,
    service_provider_list,
    voucher_claim_list,
    voucher_enterprise_held,
    voucher_scheme_current,
)
from projects.services.rewards import (
    entitlement_exclude,
    entitlement_restore,
    reward_batch_approve,
    reward_batch_build,
)
from projects.services.vouchers import (
    voucher_cancel,
    voucher_claim,
    voucher_redeem,
    voucher_use,
)


class BuildForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000)


class ExcludeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("why excluded"), max_length=200)


class VoucherClaimForm(forms.Form):
    scheme = forms.ModelChoiceField(queryset=VoucherScheme.objects.all())


class VoucherUseForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=gettext_lazy("service provider"),
        queryset=ServiceProvider.objects.filter(is_active=True),
    )
    service = forms.CharField(label=gettext_lazy("service bought"), max_length=200)
    service_fee = forms.DecimalField(
        label=gettext_lazy("service fee"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )


def _form_error(request: HttpRequest, form: forms.Form) -> None:
    messages.error(
        request,
        "；".join(str(e) for errors in form.errors.values() for e in errors),
    )


# --- Rewards ----------------------------------------------------------------


def reward_index_view(request: AuthedRequest) -> HttpResponse:
    """The bureau's batches by year; an enterprise's own approved rewards."""
    if not can_view_rewards(request.user):
        raise PermissionDenied
    if can_read_rewards(request.user):
        return render(
            request,
            "projects/rewards/index.html",
            {
                "batches": reward_batch_list(user=request.user),
                "can_manage": can_manage_rewards(request.user),
                "build_form": BuildForm(
                    initial={"year": timezone.localdate().year - 1}
                ),
            },
        )
    return render(
        request,
        "projects/rewards/mine.html",
        {"entitlements": entitlement_list(user=request.user)},
    )


def reward_batch_view(request: AuthedRequest, year: int) -> HttpResponse:
    """The batch and its entitlements; an enterprise sees its own rows of an
    approved batch (as the API gives them)."""
    batch = get_reward_batch_for_user(request.user, year)
    show = request.GET.get("show", "")
    excluded = {"included": False, "excluded": True}.get(show)
    page = Paginator(
        entitlement_list(user=request.user, batch=batch, excluded=excluded), 100
    ).get_page(request.GET.get("page"))
    is_draft = batch.status == batch.Status.DRAFT
    return render(
        request,
        "projects/rewards/batch.html",
        {
            "batch": batch,
            "page": page,
            "show": show,
            "totals": reward_batch_totals(batch=batch, user=request.user),
            "can_export": can_export_reward_batch(request.user),
            "can_edit": is_draft and can_manage_rewards(request.user),
            "can_approve": is_draft
            and batch.built_at is not None
            and can_approve_reward_batch(request.user),
        },
    )


@require_POST
def reward_batch_build_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_rewards(request.user):
        raise PermissionDenied
    form = BuildForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("reward-index")
    year = form.cleaned_data["year"]
    with reported(request):
        batch = reward_batch_build(year=year, by=request.user)
        messages.success(
            request,
            _("The %(year)s batch is built: %(n)d entitlements.")
            % {"year": year, "n": batch.entitlements.count()},
        )
        return redirect("reward-batch", year=year)
    return redirect("reward-index")


@require_POST
def reward_batch_approve_view(request: AuthedRequest, year: int) -> HttpResponse:
    batch = get_reward_batch_for_user(request.user, year)
    if not can_approve_reward_batch(request.user):
        raise PermissionDenied
    with reported(request, _("The batch is approved.")):
        reward_batch_approve(batch=batch, by=request.user)
    return redirect("reward-batch", year=year)


def reward_batch_export_view(request: AuthedRequest, year: int) -> HttpResponse:
    batch = get_reward_batch_for_user(request.user, year)
    if not can_export_reward_batch(request.user):
        raise PermissionDenied
    content = reward_batch_workbook(
        batch=batch, entitlements=reward_batch_export_rows(batch=batch)
    )
    return HttpResponse(
        content, headers=xlsx_response_headers(f"奖补兑现清单-{batch.year}.xlsx")
    )


@require_POST
def entitlement_exclude_view(request: AuthedRequest, pk: int) -> HttpResponse:
    entitlement = get_entitlement_for_user(request.user, pk, write=True)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    else:
        with reported(
            request,
            _("%(enterprise)s is excluded.")
            % {"enterprise": entitlement.enterprise.name},
        ):
            entitlement_exclude(
                entitlement=entitlement,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
    return redirect("reward-batch", year=entitlement.batch.year)


@require_POST
def entitlement_restore_view(request: AuthedRequest, pk: int) -> HttpResponse:
    entitlement = get_entitlement_for_user(request.user, pk, write=True)
    with reported(
        request,
        _("%(enterprise)s is included again.")
        % {"enterprise": entitlement.enterprise.name},
    ):
        entitlement_restore(entitlement=entitlement, by=request.user)
    return redirect("reward-batch", year=entitlement.batch.year)


# --- Vouchers ---------------------------------------------------------------


def voucher_index_view(request: AuthedRequest) -> HttpResponse:
    """An enterprise's vouchers with the claim and use forms; for the bureau,
    every claim, the redeem buttons and this year's quota."""
    if not can_view_vouchers(request.user):
        raise PermissionDenied
    scheme = voucher_scheme_current(user=request.user)
    if can_use_vouchers(request.user):
        context: dict[str, Any] = {
            "scheme": scheme,
            "claims": voucher_claim_list(user=request.user),
            "providers": service_provider_list(user=request.user),
            "held": voucher_enterprise_held(
                scheme=scheme, enterprise_id=own_enterprise(request.user).pk
            )
            if scheme
            else None,
        }
        return render(request, "projects/rewards/vouchers_mine.html", context)
    if not can_read_rewards(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in VoucherClaim.Status.values:
        status = ""
    page = Paginator(
        voucher_claim_list(user=request.user, status=status or None), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/rewards/vouchers.html",
        {
            "scheme": scheme,
            "page": page,
            "status": status,
            "statuses": VoucherClaim.Status.choices,
            "can_manage": can_manage_rewards(request.user),
        },
    )


@require_POST
def voucher_claim_view(request: AuthedRequest) -> HttpResponse:
    if not can_use_vouchers(request.user):
        raise PermissionDenied
    form = VoucherClaimForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("voucher-index")
    with reported(request, _("The voucher is claimed.")):
        voucher_claim(
            scheme=form.cleaned_data["scheme"],
            enterprise=own_enterprise(request.user),
            by=request.user,
        )
    return redirect("voucher-index")


@require_POST
def voucher_use_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_voucher_claim_for_user(request.user, pk, action="use")
    form = VoucherUseForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("voucher-index")
    with reported(request):
        claim = voucher_use(claim=claim, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("The voucher pays %(amount)s yuan of this service.")
            % {"amount": claim.used_amount},
        )
    return redirect("voucher-index")


@require_POST
def voucher_redeem_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_voucher_claim_for_user(request.user, pk, action="redeem")
    with reported(request, _("The voucher is redeemed.")):
        voucher_redeem(claim=claim, by=request.user)
    return redirect("voucher-index")


@require_POST
def voucher_cancel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_voucher_claim_for_user(request.user, pk, action="cancel")
    with reported(request, _("The voucher is cancelled.")):
        voucher_cancel(
            claim=claim, by=request.user, reason=request.POST.get("reason", "")
        )
    return redirect("voucher-index")


reward_page_patterns = [
    # /rewards/
    path("rewards/", reward_index_view, name="reward-index"),
    path("rewards/build/", reward_batch_build_view, name="reward-batch-build"),
    path("rewards/<int:year>/", reward_batch_view, name="reward-batch"),
    path(
        "rewards/<int:year>/approve/",
        reward_batch_approve_view,
        name="reward-batch-approve",
    ),
    path(
        "rewards/<int:year>/export/",
        reward_batch_export_view,
        name="reward-batch-export",
    ),
    path(
        "rewards/entitlements/<int:pk>/exclude/",
        entitlement_exclude_view,
        name="entitlement-exclude",
    ),
    path(
        "rewards/entitlements/<int:pk>/restore/",
        entitlement_restore_view,
        name="entitlement-restore",
    ),
    # /vouchers/
    path("vouchers/", voucher_index_view, name="voucher-index"),
    path("vouchers/claim/", voucher_claim_view, name="voucher-claim"),
    path("vouchers/<int:pk>/use/", voucher_use_view, name="voucher-use"),
    path("vouchers/<int:pk>/redeem/", voucher_redeem_view, name="voucher-redeem"),
    path("vouchers/<int:pk>/cancel/", voucher_cancel_view, name="voucher-cancel"),
]
