"""Registry pages: the enterprise list (and its Excel export), an enterprise's
page and profile form, and the roster import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.lib.paging import DeferredJoinPaginator
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from bureau.models import Role, User
from bureau.permissions import has_role
from bureau.services.jobs import ExportPlan
from bureau.views.jobs import export_response
from enterprises.exports import enterprises_export, roster_template
from enterprises.forms import (
    CertificationForm,
    EnterpriseEditForm,
    EnterpriseFactForm,
    EnterpriseFilterForm,
    RosterUploadForm,
    VisitForm,
    add_service_errors,
)
from enterprises.models import AnnualReturn, Certification
from enterprises.permissions import (
    can_create_enterprise,
    can_edit_enterprise,
    can_export_enterprises,
    can_file_for,
    can_issue_enterprise_accounts,
    can_list_enterprises,
    can_list_registrations,
    can_manage_ladder,
    can_read_registry_reports,
    can_record_facts,
    can_record_visit,
    get_enterprise_for_user,
)
from enterprises.selectors import (
    enterprise_get,
    enterprise_list,
    enterprise_precheck,
    enterprise_timeline,
    organisation_cooperation,
)
from enterprises.services import RosterImportError, enterprise_update, roster_import


def enterprise_list_view(request: AuthedRequest) -> HttpResponse:
    if has_role(request.user, Role.ENTERPRISE) and request.user.enterprise_id:
        return redirect("enterprise-detail", pk=request.user.enterprise_id)
    if not can_list_enterprises(request.user):
        raise PermissionDenied
    form = EnterpriseFilterForm(request.GET or None, user=request.user)
    qs = enterprise_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        if not can_export_enterprises(request.user):
            raise PermissionDenied
        return export_response(request, "enterprises.list")
    page = DeferredJoinPaginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": can_create_enterprise(request.user),
            "can_export": can_export_enterprises(request.user),
            "can_see_closest": can_read_registry_reports(request.user),
            "can_issue_accounts": can_issue_enterprise_accounts(request.user),
            "can_review_registrations": can_list_registrations(request.user),
        },
    )


def enterprise_list_export(user: User, query: QueryDict) -> ExportPlan:
    """The list's Excel as filtered on the page: downloaded at once, or
    written by a background job when it is long (bureau.views.jobs)."""
    if not can_export_enterprises(user):
        raise PermissionDenied
    form = EnterpriseFilterForm(query or None, user=user)
    qs = enterprise_list(user=user, filters=form.to_filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportPlan(
        filename=f"enterprises-{stamp}.xlsx",
        rows=qs.count(),
        write=lambda: enterprises_export(qs),
    )


def enterprise_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_get(user=request.user, pk=pk)
    precheck = enterprise_precheck(
        enterprise=enterprise, tier_code=request.GET.get("precheck")
    )
    # Read once for their sections and the timeline.
    certifications = list(enterprise.certifications.select_related("tier"))
    returns = list(AnnualReturn.objects.filter(enterprise=enterprise))
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "echelon_label": Certification.Echelon(enterprise.current_echelon).label
            if enterprise.current_echelon
            else "",
            "precheck": precheck,
            "assessment": precheck.assessment,
            "facts": enterprise.facts.select_related("recorded_by")[:5],
            "can_record_facts": can_record_facts(request.user),
            "fact_form": EnterpriseFactForm(),
            "certifications": certifications,
            "returns": returns,
            "timeline": enterprise_timeline(
                enterprise=enterprise, certifications=certifications, returns=returns
            )[:30],
            "can_manage": can_manage_ladder(request.user),
            "can_edit": can_edit_enterprise(request.user, enterprise),
            "can_file": can_file_for(request.user, enterprise),
            "certification_form": CertificationForm(),
            "visits": enterprise.visits.prefetch_related(
                "visitors", "follow_ups__owner"
            )[:10],
            "institutions": enterprise.rd_institutions.select_related("type"),
            "loans": enterprise.loans.all(),
            "cooperation": organisation_cooperation(
                user=request.user, enterprise=enterprise
            ),
            "can_visit": can_record_visit(request.user),
            "visit_form": VisitForm(user=request.user),
        },
    )


def enterprise_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk, write=True)
    form = EnterpriseEditForm(
        request.POST or None, instance=enterprise, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        try:
            enterprise_update(enterprise=enterprise, by=request.user, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The profile of %(name)s is saved.") % {"name": enterprise.name},
            )
            return redirect("enterprise-detail", pk=pk)
    return render(
        request, "enterprises/edit.html", {"form": form, "enterprise": enterprise}
    )


def roster_import_view(request: AuthedRequest) -> HttpResponse:
    if not can_create_enterprise(request.user):
        raise PermissionDenied
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_import(file=form.cleaned_data["file"], by=request.user)
        except RosterImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _(
                    "Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("enterprise-list")
    return render(request, "enterprises/import.html", {"form": form, "errors": errors})


def roster_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_create_enterprise(request.user):
        raise PermissionDenied
    return HttpResponse(
        roster_template(),
        headers=xlsx_response_headers("enterprise-roster-template.xlsx"),
    )
