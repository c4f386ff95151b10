"""Ladder pages: awarding and revoking tiers, the closest to qualifying and
the funnel."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from bureau.lib.confirm import confirmation_page, needs_confirmation
from bureau.lib.feedback import reported
from bureau.lib.money import percent
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from enterprises.exports import funnel_export, renewals_export
from enterprises.forms import CertificationForm, RenewalFilterForm, RevokeForm
from enterprises.models import EligibilitySnapshot, Tier
from enterprises.permissions import (
    can_manage_ladder,
    can_read_registry_reports,
    can_view_renewals,
    get_certification_for_user,
    get_enterprise_for_user,
)
from enterprises.renewals import application_window
from enterprises.selectors import (
    RenewalRow,
    RenewalRows,
    closest_to_qualifying,
    hnte_expiring,
    ladder_funnel,
    ladder_years,
    renewal_rows,
)
from enterprises.services import certification_create, certification_revoke


@require_POST
def certification_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not can_manage_ladder(request.user):
        raise PermissionDenied
    form = CertificationForm(request.POST)
    if form.is_valid():
        with reported(request, _("The award is recorded.")):
            certification_create(
                by=request.user, enterprise=enterprise, **form.cleaned_data
            )
    else:
        messages.error(request, form.errors.as_text())
    return redirect("enterprise-detail", pk=pk)


@require_POST
def certification_revoke_view(
    request: AuthedRequest, pk: int, cert_pk: int
) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    certification = get_certification_for_user(
        request.user, enterprise, cert_pk, write=True
    )
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
        return redirect("enterprise-detail", pk=pk)
    tier_name = certification.tier.name
    if needs_confirmation(request):
        # Revoking cannot be undone: restate what is revoked, and why.
        return confirmation_page(
            request,
            title=certification.tier.cancel_title,
            subject=f"{enterprise.name} · {tier_name}",
            details=[
                (_("certificate or registration number"), certification.number or "—"),
                (_("issue date"), certification.issued_on),
                (_("reason"), form.cleaned_data["reason"]),
            ],
            cancel_url=reverse("enterprise-detail", args=[pk]),
        )
    done = certification.tier.cancel_done(enterprise.name)
    with reported(request, done):
        certification_revoke(
            certification=certification,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    return redirect("enterprise-detail", pk=pk)


def closest_view(request: AuthedRequest) -> HttpResponse:
    if not can_read_registry_reports(request.user):
        raise PermissionDenied
    from enterprises.assessment import ASSESSED_TIERS

    tiers = list(
        Tier.objects.filter(code__in=ASSESSED_TIERS, is_active=True).order_by("rank")
    )
    code = request.GET.get("tier") or "hnte"
    tier = next((t for t in tiers if t.code == code), None)
    if tier is None and tiers:
        tier = next((t for t in tiers if t.code == "hnte"), tiers[-1])
    # With every assessed tier switched off the page stays, empty.
    candidates = (
        closest_to_qualifying(user=request.user, tier_code=tier.code)
        if tier is not None
        else EligibilitySnapshot.objects.none()
    )
    page = Paginator(candidates, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/closest.html",
        {"tiers": tiers, "tier": tier, "page": page},
    )


def _funnel_year(request: AuthedRequest, present: list[int], this_year: int) -> int:
    """The year asked for (?year=), when it is one the select offers;
    otherwise this year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this_year
    return year if year in present or year == this_year else this_year


def funnel_view(request: AuthedRequest) -> HttpResponse:
    """The ladder funnel (梯队培育): an ECharts funnel of the tiers held at the
    chosen year's end, the table of the five years up to it, each cohort's
    climb, and the same as Excel (?export=xlsx)."""
    if not can_read_registry_reports(request.user):
        raise PermissionDenied
    this_year = timezone.localdate().year
    present = ladder_years(user=request.user)
    last = _funnel_year(request, present, this_year)
    funnel = ladder_funnel(user=request.user, first_year=last - 4, last_year=last)
    names = {t["code"]: t["name"] for t in funnel["tiers"]}
    rows = [
        {
            "name": t["name"],
            "cells": [funnel["counts"][t["code"]][str(y)] for y in funnel["years"]],
        }
        for t in funnel["tiers"]
    ]

    def cells(cohort: dict[str, Any], counts: dict[str, int]) -> list[str]:
        # A window that has not closed yet is shown as "—", not as a zero.
        out = []
        for k in ("1", "2", "3"):
            if cohort["year"] + int(k) > this_year:
                out.append("—")
            else:
                n = counts[k]
                out.append(f"{n}（{percent(Fraction(n, cohort['cohort']), 0)}）")
        return out

    conversion = [
        {
            **c,
            "tier_name": names[c["tier"]],
            "reached": [
                (names[code], cells(c, counts)) for code, counts in c["reached"].items()
            ],
        }
        for c in funnel["conversion"]
    ]
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            funnel_export(years=funnel["years"], rows=rows, conversion=conversion),
            headers=xlsx_response_headers(f"梯队培育-{last}.xlsx"),
        )
    chart = {
        "year": last,
        "title": _("Enterprises holding each tier at the end of %(year)d")
        % {"year": last},
        "tiers": [
            {
                "name": t["name"],
                "held": funnel["counts"][t["code"]][str(last)]["held"],
                "awarded": funnel["counts"][t["code"]][str(last)]["awarded"],
                "first": funnel["counts"][t["code"]][str(last)]["first"],
            }
            for t in funnel["tiers"]
        ],
        "labels": {
            "held": _("holding at year end"),
            "awarded": _("awarded in the year (renewals included)"),
            "first": _("of which first awards"),
            "unit": pgettext("count of enterprises", "enterprises"),
            "empty": _("No enterprise holds a tier in this year."),
        },
    }
    return render(
        request,
        "enterprises/funnel.html",
        {
            "years": funnel["years"],
            "rows": rows,
            "conversion": conversion,
            "year": last,
            "year_choices": sorted(set(present) | {this_year}, reverse=True),
            "chart": chart,
        },
    )


def _verdict(row: RenewalRow) -> str:
    """The pre-check of a row in one line, as the page and Excel show it."""
    if getattr(row.certification, "renewed", False):
        return _("Re-recognised")
    assessment = row.assessment
    if assessment is None or not assessment.result:
        return assessment.note if assessment else ""
    failed, pending = assessment.failed, assessment.pending
    if failed:
        return _("%(n)s conditions missed: %(what)s") % {
            "n": len(failed),
            "what": "；".join(str(c["message"]) for c in failed),
        }
    if pending:
        return _("No condition missed; %(n)s to be judged or completed") % {
            "n": len(pending)
        }
    return _("Meets every condition the data can decide.")


def renewals_view(request: AuthedRequest) -> HttpResponse:
    """重新认定: the 高企 holders whose certificate ends in the chosen year,
    with the application window of the re-application and its pre-check
    (the stored-data verdict); filters, pages of 50, Excel (?export=xlsx)."""
    if not can_view_renewals(request.user):
        raise PermissionDenied
    this_year = timezone.localdate().year
    form = RenewalFilterForm(
        request.GET or None, user=request.user, this_year=this_year
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = data.get("year") or this_year
    qs = hnte_expiring(
        user=request.user,
        year=year,
        org_unit=data.get("org_unit") or "",
        q=data.get("q") or "",
    )
    if request.GET.get("export") == "xlsx":
        rows = renewal_rows(list(qs))  # every row, each pre-checked
        return HttpResponse(
            renewals_export(
                [
                    {
                        "name": r.certification.enterprise.name,
                        "credit_code": r.certification.enterprise.credit_code,
                        "street": r.certification.enterprise.org_unit.name,
                        "number": r.certification.number,
                        "issued_on": r.certification.issued_on,
                        "expires_on": r.certification.expires_on,
                        "opens": r.window.opens,
                        "closes": r.window.closes,
                        "verdict": _verdict(r),
                        "reminded": getattr(r.certification, "reminded", False),
                    }
                    for r in rows
                ]
            ),
            headers=xlsx_response_headers(f"高企重新认定-{year}.xlsx"),
        )
    page = Paginator(RenewalRows(qs), 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    window = application_window(year)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "enterprises/renewals.html",
        {
            "form": form,
            "year": year,
            "window": window,
            "page": page,
            "rows": [(r, _verdict(r)) for r in rows],
            "query": query.urlencode(),
        },
    )
