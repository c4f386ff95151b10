"""Pages of the talent app. Only masked ID numbers and phones ever reach a
page or an export."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from talent.models import CaseDocument, Commissioner, ForeignExpertCase
from talent.permissions import (
    can_manage_talent,
    get_talent_for_user,
    require_talent_reader,
)
from talent.selectors import (
    allowance_month,
    allowance_month_totals,
    commissioner_list,
    talent_list,
)
from talent.services import allowance_payments_pay, case_document_add, team_warnings


@sensitive_variables("id_number")
@sensitive_post_parameters("id_number")
def talent_list_view(request: HttpRequest) -> HttpResponse:
    """The list, searched by name (GET) or by ID number (POST, so the number
    never appears in a URL or an access log)."""
    if not can_manage_talent(request.user) and request.user.role not in (
        "leader",
        "enterprise",
    ):
        raise PermissionDenied
    id_number = (
        request.POST.get("id_number", "").strip() if request.method == "POST" else ""
    )
    q = request.GET.get("q", "").strip()
    page = Paginator(
        talent_list(user=request.user, q=q, id_number=id_number), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/list.html",
        {"page": page, "q": q, "searched_id": bool(id_number)},
    )


@sensitive_variables("form")
@sensitive_post_parameters("id_number", "phone")
def talent_create_view(request: HttpRequest) -> HttpResponse:
    from talent.forms import TalentForm
    from talent.services import talent_create

    if not can_manage_talent(request.user):
        raise PermissionDenied
    form = TalentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            talent = talent_create(by=request.user, **form.values())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect("talent-detail", pk=talent.pk)
    # Never send the typed ID number or phone back in the page.
    if form.is_bound:
        form.data = form.data.copy()
        form.data["id_number"] = form.data["phone"] = ""
    return render(request, "talent/create.html", {"form": form})


def talent_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    talent = get_talent_for_user(request.user, pk)
    teams = list(talent.teams.select_related("leader", "programme")) + list(
        talent.led_teams.select_related("leader", "programme")
    )
    return render(
        request,
        "talent/detail.html",
        {
            "talent": talent,
            "awards": talent.awards.select_related("programme"),
            "teams": [(team, team_warnings(team)) for team in teams],
            "allowances": talent.allowances.prefetch_related("payments"),
            "cases": talent.permit_cases.prefetch_related("documents"),
            "can_manage": can_manage_talent(request.user),
        },
    )


def _month_arg(request: HttpRequest) -> date:
    raw = request.GET.get("month") or request.POST.get("month") or ""
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def allowance_month_view(request: HttpRequest) -> HttpResponse:
    require_talent_reader(request.user)
    month = _month_arg(request)
    payments = allowance_month(month=month)
    if request.GET.get("export") == "xlsx":
        return _payments_export(month, payments)
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


def _payments_export(month: date, payments) -> HttpResponse:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{month:%Y年%m月}生活补贴")
    sheet.append(
        ["姓名", "身份证号（脱敏）", "工作单位", "学历", "月份", "金额（元）", "状态"]
    )
    for p in payments:
        talent = p.allowance.talent
        sheet.append(
            [
                talent.name,
                talent.id_number_masked,
                talent.employer.name if talent.employer else "",
                talent.get_degree_display(),
                p.month.strftime("%Y-%m"),
                float(p.amount),
                p.get_status_display(),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="allowances-{month:%Y-%m}.xlsx"'
    )
    return response


@require_POST
def allowance_pay_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_talent(request.user):
        raise PermissionDenied
    month = _month_arg(request)
    paid = allowance_payments_pay(by=request.user, month=month)
    messages.success(request, _("%(n)d payments recorded as paid.") % {"n": paid})
    return redirect(f"/talent/allowances/?month={month:%Y-%m}")


def permit_cases_view(request: HttpRequest) -> HttpResponse:
    require_talent_reader(request.user)
    cases = ForeignExpertCase.objects.select_related("talent").order_by("-created_at")
    return render(request, "talent/cases.html", {"cases": cases})


@require_POST
@sensitive_post_parameters()
def case_document_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_talent_reader(request.user)
    case = get_object_or_404(ForeignExpertCase, pk=pk)
    if not can_manage_talent(request.user):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            case_document_add(
                by=request.user,
                case=case,
                title=request.POST.get("title") or upload.name,
                upload=upload,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("The document is stored."))
    return redirect("talent-detail", pk=case.talent_id)


def case_document_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Documents are private: served only to bureau roles, never by URL."""
    require_talent_reader(request.user)
    document = get_object_or_404(CaseDocument, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name or "document",
    )


def commissioner_list_view(request: HttpRequest) -> HttpResponse:
    require_talent_reader(request.user)
    return render(
        request, "talent/commissioners.html", {"commissioners": commissioner_list()}
    )


def commissioner_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_talent_reader(request.user)
    commissioner = get_object_or_404(
        Commissioner.objects.prefetch_related("served_enterprises"), pk=pk
    )
    return render(
        request,
        "talent/commissioner.html",
        {
            "c": commissioner,
            "logs": commissioner.service_logs.all()[:50],
            "assessments": commissioner.assessments.order_by("-year"),
        },
    )
