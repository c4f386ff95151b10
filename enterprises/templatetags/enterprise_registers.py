"""{% enterprise_registers enterprise precheck.inputs %}: the registers'
section of the enterprise page (IP, transfers, staff roster, the 规上
proposal), included with one line and fed by the registers' selectors and
the permissions. Given the pre-check's inputs, it counts the IP and the
transfers the pre-check read instead of reading them again."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from enterprises.models import Enterprise
from enterprises.permissions import (
    can_confirm_above_scale,
    can_edit_registers,
    can_view_above_scale,
)
from enterprises.selectors.eligibility import EligibilityInputs
from enterprises.selectors.ip import ip_summary, ip_summary_of
from enterprises.selectors.scale import above_scale_proposal
from enterprises.selectors.staff import latest_roster_figures

register = template.Library()


@register.inclusion_tag("enterprises/_registers.html", takes_context=True)
def enterprise_registers(
    context: dict[str, Any],
    enterprise: Enterprise,
    inputs: EligibilityInputs | None = None,
) -> dict[str, Any]:
    user = context["request"].user
    sees_proposal = can_view_above_scale(user)
    today = timezone.localdate()
    return {
        "enterprise": enterprise,
        "summary": ip_summary(enterprise=enterprise, on=today)
        if inputs is None
        else ip_summary_of(inputs.ip_items or [], inputs.transfers or [], on=today),
        "roster": latest_roster_figures(enterprise),
        "can_edit": can_edit_registers(user, enterprise),
        "proposal": above_scale_proposal(enterprise) if sees_proposal else None,
        "can_confirm": can_confirm_above_scale(user),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def headcount(value: Any) -> str:
    """An annual average headcount (an exact fraction): 10.5 → "10.5"."""
    from bureau.lib import money

    return money.number(value, 2, trim=True)
