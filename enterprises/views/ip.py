"""The IP register and the transfer register: the district's IP list (and
its export), an enterprise's register page, item forms and the import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from enterprises.exports import ip_import_template, ip_items_export
from enterprises.forms import (
    IPFilterForm,
    IPItemForm,
    IPUploadForm,
    TechTransferForm,
    add_service_errors,
)
from enterprises.permissions import (
    can_edit_any_registers,
    can_edit_registers,
    can_export_enterprises,
    can_list_ip_items,
    get_enterprise_for_user,
    get_ip_item_for_user,
    get_transfer_for_user,
)
from enterprises.selectors.ip import (
    enterprise_ip_items,
    enterprise_transfers,
    ip_item_list,
    ip_summary,
)
from enterprises.services.ip import (
    IPImportError,
    ip_item_create,
    ip_item_update,
    ip_items_import,
    tech_transfer_delete,
    tech_transfer_record,
)
from enterprises.views.support import form_errors_text


def ip_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_list_ip_items(request.user):
        raise PermissionDenied
    form = IPFilterForm(request.GET or None, user=request.user)
    qs = ip_item_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        if not can_export_enterprises(request.user):
            raise PermissionDenied
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return HttpResponse(
            ip_items_export(qs), headers=xlsx_response_headers(f"知识产权-{stamp}.xlsx")
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/ip_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_export": can_export_enterprises(request.user),
        },
    )


def enterprise_ip_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    can_edit = can_edit_registers(request.user, enterprise)
    return render(
        request,
        "enterprises/ip_register.html",
        {
            "enterprise": enterprise,
            "summary": ip_summary(enterprise=enterprise, on=timezone.localdate()),
            "items": enterprise_ip_items(enterprise),
            "transfers": enterprise_transfers(enterprise),
            "can_edit": can_edit,
            "transfer_form": TechTransferForm(enterprise=enterprise)
            if can_edit
            else None,
        },
    )


def ip_item_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not can_edit_registers(request.user, enterprise):
        raise PermissionDenied
    form = IPItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = ip_item_create(
                enterprise=enterprise, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” (%(number)s) is in the IP register of %(name)s.")
                % {"title": item.title, "number": item.number, "name": enterprise.name},
            )
            return redirect("enterprise-ip", pk=pk)
    return render(
        request,
        "enterprises/ip_form.html",
        {"form": form, "enterprise": enterprise, "item": None},
    )


def ip_item_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_ip_item_for_user(request.user, pk, write=True)
    form = IPItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            ip_item_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” (%(number)s) is saved.")
                % {
                    "title": form.cleaned_data["title"],
                    "number": form.cleaned_data["number"],
                },
            )
            return redirect("enterprise-ip", pk=item.enterprise_id)
    return render(
        request,
        "enterprises/ip_form.html",
        {"form": form, "enterprise": item.enterprise, "item": item},
    )


def ip_import_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not can_edit_registers(request.user, enterprise):
        raise PermissionDenied
    form = IPUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = ip_items_import(
                enterprise=enterprise, file=form.cleaned_data["file"], by=request.user
            )
        except IPImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _(
                    "IP register imported: %(created)d new, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("enterprise-ip", pk=pk)
    return render(
        request,
        "enterprises/ip_import.html",
        {"form": form, "errors": errors, "enterprise": enterprise},
    )


def ip_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_edit_any_registers(request.user):
        raise PermissionDenied
    return HttpResponse(
        ip_import_template(), headers=xlsx_response_headers("知识产权导入模板.xlsx")
    )


@require_POST
def transfer_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not can_edit_registers(request.user, enterprise):
        raise PermissionDenied
    form = TechTransferForm(request.POST, enterprise=enterprise)
    if form.is_valid():
        data = form.cleaned_data
        with reported(
            request,
            _("The conversion of “%(title)s” in %(year)s is recorded.")
            % {"title": data["title"], "year": data["year"]},
        ):
            tech_transfer_record(
                enterprise=enterprise,
                by=request.user,
                title=data["title"],
                year=data["year"],
                way=data["way"],
                contract_number=data["contract_number"],
                ip_items=list(data["ip_items"]),
            )
    else:
        messages.error(
            request,
            _("The conversion was not recorded: %(errors)s")
            % {"errors": form_errors_text(form)},
        )
    return redirect("enterprise-ip", pk=pk)


@require_POST
def transfer_delete_view(
    request: AuthedRequest, pk: int, transfer_pk: int
) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    transfer = get_transfer_for_user(request.user, enterprise, transfer_pk, write=True)
    with reported(
        request,
        _("The conversion of “%(title)s” in %(year)s is deleted.")
        % {"title": transfer.title, "year": transfer.year},
    ):
        tech_transfer_delete(transfer=transfer, by=request.user)
    return redirect("enterprise-ip", pk=pk)
