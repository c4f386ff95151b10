"""政策测算: the 研发费用加计扣除 calculator's page. Stores nothing."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bureau.lib import money
from bureau.lib.types import AuthedRequest
from enterprises.deduction import figures_from, policy_from_settings, super_deduction
from enterprises.forms import SuperDeductionForm
from enterprises.permissions import require_calculator_user


@require_http_methods(["GET", "POST"])
def super_deduction_view(request: AuthedRequest) -> HttpResponse:
    require_calculator_user(request.user)
    form = SuperDeductionForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        policy = policy_from_settings()
        result = super_deduction(figures_from(form.cleaned_data), policy=policy)
        shown = result.as_dict()
        context.update(
            result=shown,
            notes=result.notes,
            sources=result.sources,
            part_rules=result.part_rules,
            amortisation_share=money.percent(1 + Decimal(shown["rate"]), 0),
        )
    return render(request, "enterprises/calculator_deduction.html", context)
