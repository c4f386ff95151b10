"""Pages of the enterprises app."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.exceptions import ApplicationError
from bureau.models import Role
from bureau.permissions import has_role
from enterprises.forms import (
    AnnualReturnForm,
    CertificationForm,
    EnterpriseFilterForm,
    QuarterlyReportForm,
    ReviewForm,
    RevokeForm,
    RosterUploadForm,
    VisitForm,
)
from enterprises.models import (
    AnnualReturn,
    Certification,
    FilingStatus,
    QuarterlyReport,
    Tier,
)
from enterprises.permissions import (
    DISTRICT_READERS,
    can_create_enterprise,
    can_edit_enterprise,
    can_file_for,
    can_manage_ladder,
    can_review_filings,
    enterprises_visible_to,
    get_enterprise_for_user,
)
from enterprises.selectors import (
    closest_to_qualifying,
    enterprise_get,
    enterprise_list,
    enterprise_next_tier_assessment,
    enterprise_timeline,
    ladder_funnel,
)
from enterprises.services import (
    ANNUAL_RETURN_FIELDS,
    QUARTERLY_FIELDS,
    annual_return_create,
    certification_create,
    certification_revoke,
    filing_review,
    filing_submit,
    filing_update,
    quarterly_report_create,
)

FILING_KINDS: dict[str, dict[str, Any]] = {
    "annual": {
        "model": AnnualReturn,
        "form": AnnualReturnForm,
        "fields": ANNUAL_RETURN_FIELDS,
        "title": _("Annual returns"),
    },
    "quarterly": {
        "model": QuarterlyReport,
        "form": QuarterlyReportForm,
        "fields": QUARTERLY_FIELDS,
        "title": _("Quarterly reports"),
    },
}


def _require_registry_reader(request: HttpRequest) -> None:
    if not has_role(request.user, *DISTRICT_READERS, Role.STREET_LIAISON):
        raise PermissionDenied


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Registry ---------------------------------------------------------------


def enterprise_list_view(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.ENTERPRISE:
        return redirect("enterprise-detail", pk=request.user.enterprise_id)
    _require_registry_reader(request)
    form = EnterpriseFilterForm(request.GET or None, user=request.user)
    qs = enterprise_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        from enterprises.roster import enterprises_export

        response = HttpResponse(
            enterprises_export(qs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="enterprises-{stamp}.xlsx"'
        )
        return response
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
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
        },
    )


def enterprise_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_get(user=request.user, pk=pk)
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "assessment": enterprise_next_tier_assessment(enterprise=enterprise),
            "certifications": enterprise.certifications.select_related("tier"),
            "returns": AnnualReturn.objects.filter(enterprise=enterprise),
            "quarterlies": QuarterlyReport.objects.filter(enterprise=enterprise)[:8],
            "timeline": enterprise_timeline(enterprise=enterprise)[:30],
            "can_manage": can_manage_ladder(request.user),
            "can_edit": can_edit_enterprise(request.user, enterprise),
            "can_file": can_file_for(request.user, enterprise),
            "certification_form": CertificationForm(),
            "visits": enterprise.visits.prefetch_related(
                "visitors", "follow_ups__owner"
            )[:10],
            "institutions": enterprise.rd_institutions.all(),
            "loans": enterprise.loans.all(),
            "can_visit": has_role(
                request.user, Role.STAFF, Role.SECTION_HEAD, Role.STREET_LIAISON
            ),
            "visit_form": VisitForm(user=request.user),
        },
    )


def enterprise_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    from enterprises.forms import EnterpriseEditForm
    from enterprises.services import enterprise_update

    enterprise = get_enterprise_for_user(request.user, pk, write=True)
    form = EnterpriseEditForm(
        request.POST or None, instance=enterprise, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        try:
            enterprise_update(enterprise=enterprise, by=request.user, **changes)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("enterprise-detail", pk=pk)
    return render(
        request, "enterprises/edit.html", {"form": form, "enterprise": enterprise}
    )


@require_POST
def visit_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    from enterprises.services import visit_record

    enterprise = get_enterprise_for_user(request.user, pk)
    if not has_role(request.user, Role.STAFF, Role.SECTION_HEAD, Role.STREET_LIAISON):
        raise PermissionDenied
    form = VisitForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        follow_ups = []
        if data["follow_up_action"]:
            follow_ups.append(
                {
                    "action": data["follow_up_action"],
                    "owner": data["follow_up_owner"] or request.user,
                    "due_on": data["follow_up_due_on"],
                }
            )
        try:
            visit_record(
                enterprise=enterprise,
                by=request.user,
                visited_on=data["visited_on"],
                issues_raised=data["issues_raised"],
                follow_ups=follow_ups,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("The visit is recorded."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("enterprise-detail", pk=pk)


@require_POST
def follow_up_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    from enterprises.models import FollowUp
    from enterprises.services import follow_up_close

    follow_up = get_object_or_404(
        FollowUp.objects.select_related("visit"),
        pk=pk,
        visit__enterprise__in=enterprises_visible_to(request.user),
    )
    if follow_up.owner_id != request.user.pk and not can_manage_ladder(request.user):
        raise PermissionDenied
    try:
        follow_up_close(
            follow_up=follow_up, by=request.user, result=request.POST.get("result", "")
        )
    except (ValidationError, ApplicationError) as exc:
        messages.error(
            request, getattr(exc, "message", None) or "；".join(exc.messages)
        )
    else:
        messages.success(request, _("Saved."))
    return redirect(request.POST.get("next") or "home")


@require_POST
def certification_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not can_manage_ladder(request.user):
        raise PermissionDenied
    form = CertificationForm(request.POST)
    if form.is_valid():
        try:
            certification_create(
                by=request.user, enterprise=enterprise, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The award is recorded."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("enterprise-detail", pk=pk)


@require_POST
def certification_revoke_view(
    request: HttpRequest, pk: int, cert_pk: int
) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    certification = get_object_or_404(Certification, pk=cert_pk, enterprise=enterprise)
    if not can_manage_ladder(request.user):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
    else:
        try:
            certification_revoke(
                certification=certification,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The certification is revoked."))
    return redirect("enterprise-detail", pk=pk)


def roster_import_view(request: HttpRequest) -> HttpResponse:
    if not can_create_enterprise(request.user):
        raise PermissionDenied
    from enterprises.roster import RosterImportError, roster_import

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


def roster_template_view(request: HttpRequest) -> HttpResponse:
    if not can_create_enterprise(request.user):
        raise PermissionDenied
    from enterprises.roster import roster_template

    response = HttpResponse(
        roster_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        'attachment; filename="enterprise-roster-template.xlsx"'
    )
    return response


def closest_view(request: HttpRequest) -> HttpResponse:
    _require_registry_reader(request)
    tiers = list(
        Tier.objects.filter(code__in=["chuying", "tech_sme", "hnte"]).order_by("rank")
    )
    code = request.GET.get("tier") or "hnte"
    tier = next((t for t in tiers if t.code == code), None)
    if tier is None:
        tier = tiers[-1]
    page = Paginator(
        closest_to_qualifying(user=request.user, tier_code=tier.code), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/closest.html",
        {"tiers": tiers, "tier": tier, "page": page},
    )


def funnel_view(request: HttpRequest) -> HttpResponse:
    _require_registry_reader(request)
    last = timezone.localdate().year
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
            if cohort["year"] + int(k) > last:
                out.append("—")
            else:
                n = counts[k]
                out.append(f"{n}（{n * 100 / cohort['cohort']:.0f}%）")
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
    return render(
        request,
        "enterprises/funnel.html",
        {"years": funnel["years"], "rows": rows, "conversion": conversion},
    )


# --- Filings ----------------------------------------------------------------


def filing_list_view(request: HttpRequest, kind: str) -> HttpResponse:
    spec = FILING_KINDS[kind]
    visible = enterprises_visible_to(request.user)
    qs = (
        spec["model"]
        .objects.filter(enterprise__in=visible)
        .select_related("enterprise")
    )
    status = request.GET.get("status", "")
    if status in FilingStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/filing_list.html",
        {
            "kind": kind,
            "title": spec["title"],
            "page": page,
            "status": status,
            "statuses": FilingStatus.choices,
            "can_file": request.user.role == Role.ENTERPRISE,
            "can_review": can_review_filings(request.user),
        },
    )


def filing_edit_view(
    request: HttpRequest, kind: str, pk: int | None = None
) -> HttpResponse:
    """Create (enterprise users, for their own enterprise) or edit a filing."""
    spec = FILING_KINDS[kind]
    filing = None
    if pk is not None:
        filing = get_object_or_404(
            spec["model"].objects.filter(
                enterprise__in=enterprises_visible_to(request.user)
            ),
            pk=pk,
        )
        enterprise = filing.enterprise
    else:
        # Enterprise users file for themselves; staff name the enterprise.
        target = request.user.enterprise_id or request.GET.get("enterprise")
        if not target or not str(target).isdigit():
            raise PermissionDenied
        enterprise = get_enterprise_for_user(request.user, int(target))
    if not can_file_for(request.user, enterprise):
        raise PermissionDenied
    form = spec["form"](request.POST or None, instance=filing)
    if filing is not None:
        for name in ("year", "quarter"):
            if name in form.fields:
                form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        figures = {name: form.cleaned_data[name] for name in spec["fields"]}
        try:
            if filing is not None:
                filing = filing_update(filing=filing, by=request.user, **figures)
            elif kind == "annual":
                filing = annual_return_create(
                    enterprise=enterprise,
                    year=form.cleaned_data["year"],
                    by=request.user,
                    **figures,
                )
            else:
                filing = quarterly_report_create(
                    enterprise=enterprise,
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                    by=request.user,
                    **figures,
                )
        except ValidationError as exc:
            _form_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if "submit" in request.POST:
                filing_submit(filing=filing, by=request.user)
                messages.success(request, _("Submitted. The bureau will review it."))
            else:
                messages.success(request, _("Saved as a draft."))
            return redirect("filing-list", kind=kind)
    return render(
        request,
        "enterprises/filing_form.html",
        {
            "kind": kind,
            "title": spec["title"],
            "form": form,
            "filing": filing,
            "enterprise": enterprise,
            "editable": filing is None or filing.is_editable,
        },
    )


@require_POST
def filing_review_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = FILING_KINDS[kind]
    filing = get_object_or_404(
        spec["model"].objects.filter(
            enterprise__in=enterprises_visible_to(request.user)
        ),
        pk=pk,
    )
    if not can_review_filings(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
    else:
        try:
            filing_review(
                filing=filing,
                by=request.user,
                accept=form.cleaned_data["accept"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Review recorded."))
    return redirect(f"/filings/{kind}/?status=submitted")


# --- Quarterly monitoring -----------------------------------------------------

FLAG_LABELS = {
    "missing": _("not filed"),
    "late": _("filed late"),
    "declining": _("revenue declining"),
    "expiring": _("certificate expiring"),
}


def _monitoring_reports(request: HttpRequest) -> Any:
    from enterprises.models import MonitoringReport

    _require_registry_reader(request)
    qs = MonitoringReport.objects.select_related("org_unit")
    if request.user.role == Role.STREET_LIAISON:
        qs = qs.filter(org_unit_id=request.user.org_unit_id)
    return qs


def monitoring_index_view(request: HttpRequest) -> HttpResponse:
    from django.db.models import Sum

    periods = (
        _monitoring_reports(request)
        .values("year", "quarter")
        .annotate(
            monitored=Sum("enterprises_monitored"),
            missing=Sum("missing"),
            late=Sum("filed_late"),
            decliners=Sum("decliners"),
            expiring=Sum("expiring"),
        )
        .order_by("-year", "-quarter")
    )
    return render(request, "enterprises/monitoring_index.html", {"periods": periods})


def monitoring_period_view(
    request: HttpRequest, year: int, quarter: int
) -> HttpResponse:
    reports = list(
        _monitoring_reports(request)
        .filter(year=year, quarter=quarter)
        .order_by("org_unit__sort_order", "org_unit__code")
    )
    if request.GET.get("export") == "xlsx":
        from enterprises.roster import monitoring_export

        response = HttpResponse(
            monitoring_export(
                reports, flag_labels={k: str(v) for k, v in FLAG_LABELS.items()}
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="monitoring-{year}Q{quarter}.xlsx"'
        )
        return response
    for report in reports:
        for item in report.details:
            item["flag_labels"] = [str(FLAG_LABELS.get(f, f)) for f in item["flags"]]
            if item.get("revenue_yoy") is not None:
                item["yoy_display"] = f"{Decimal(item['revenue_yoy']) * 100:.1f}%"
    return render(
        request,
        "enterprises/monitoring_period.html",
        {"reports": reports, "year": year, "quarter": quarter},
    )
