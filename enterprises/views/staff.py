"""Staff rosters (per enterprise and year) and the 规上 proposals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from enterprises.exports import above_scale_export, staff_roster_template
from enterprises.forms import AboveScaleFilterForm, StaffRosterUploadForm
from enterprises.permissions import (
    can_confirm_above_scale,
    can_edit_any_registers,
    can_edit_registers,
    can_export_enterprises,
    can_view_above_scale,
    can_view_roster,
    get_enterprise_for_user,
)
from enterprises.selectors.scale import above_scale_proposals, above_scale_threshold
from enterprises.selectors.staff import enterprise_roster_figures
from enterprises.services.scale import above_scale_confirm
from enterprises.services.staff import StaffRosterImportError, staff_roster_import


def staff_roster_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """An enterprise's rosters with the figures each gives; the people of
    one year for those who may see them; the import."""
    enterprise = get_enterprise_for_user(request.user, pk)
    can_edit = can_edit_registers(request.user, enterprise)
    form = StaffRosterUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                result = staff_roster_import(
                    enterprise=enterprise,
                    year=year,
                    file=form.cleaned_data["file"],
                    by=request.user,
                )
            except StaffRosterImportError as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _(
                        "The %(year)s staff roster of %(name)s is imported: %(n)d people."
                    )
                    % {"year": year, "name": enterprise.name, "n": result.people},
                )
                return redirect(f"{request.path}?year={year}")
    rosters = enterprise_roster_figures(enterprise)
    shown = None
    if can_view_roster(request.user, enterprise) and rosters:
        wanted = request.GET.get("year", "")
        shown = next((r for r, _f in rosters if str(r.year) == wanted), rosters[0][0])
    return render(
        request,
        "enterprises/staff_roster.html",
        {
            "enterprise": enterprise,
            "rosters": rosters,
            "shown": shown,
            "people": shown.people.all() if shown else [],
            "can_edit": can_edit,
            "form": form,
            "errors": errors,
        },
    )


def staff_roster_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_edit_any_registers(request.user):
        raise PermissionDenied
    return HttpResponse(
        staff_roster_template(), headers=xlsx_response_headers("人员名册模板.xlsx")
    )


def above_scale_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_view_above_scale(request.user):
        raise PermissionDenied
    form = AboveScaleFilterForm(request.GET or None, user=request.user)
    filters = form.to_filters()
    qs = above_scale_proposals(
        user=request.user, q=filters.get("q", ""), org_unit=filters.get("org_unit", "")
    )
    if request.GET.get("export") == "xlsx":
        if not can_export_enterprises(request.user):
            raise PermissionDenied
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return HttpResponse(
            above_scale_export(qs),
            headers=xlsx_response_headers(f"规上建议-{stamp}.xlsx"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/above_scale.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "threshold": above_scale_threshold(),
            "can_confirm": can_confirm_above_scale(request.user),
            "can_export": can_export_enterprises(request.user),
        },
    )


@require_POST
def above_scale_confirm_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not can_confirm_above_scale(request.user):
        raise PermissionDenied
    with reported(
        request,
        _("%(name)s is now marked above designated size (规上).")
        % {"name": enterprise.name},
    ):
        above_scale_confirm(enterprise=enterprise, by=request.user)
    if request.POST.get("next") == "list":
        return redirect("enterprise-above-scale")
    return redirect("enterprise-detail", pk=pk)
