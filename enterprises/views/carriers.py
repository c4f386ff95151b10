"""Innovation carriers (孵化器, 众创空间 …): the list with a year's figures
and its Excel export, a carrier's page with its yearly figures edited as a
table, create and edit, the import of carriers and of many carriers'
figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from enterprises.exports.cooperation import (
    CARRIER_COLUMNS,
    CARRIER_EXAMPLE,
    CARRIER_YEAR_COLUMNS,
    CARRIER_YEAR_EXAMPLE,
    carriers_export,
)
from enterprises.forms import add_service_errors
from enterprises.forms.cooperation import (
    CarrierFilterForm,
    CarrierForm,
    CarrierYearFormSet,
)
from enterprises.models import Carrier, CarrierYear
from enterprises.permissions import (
    can_read_registry_reports,
    can_record_support,
    get_carrier_for_user,
)
from enterprises.selectors import carrier_list
from enterprises.services import (
    carrier_save,
    carrier_years_import,
    carrier_years_save,
    carriers_import,
)
from enterprises.views.cooperation import (
    file_stamp,
    import_page,
    list_page,
    template_response,
)


def carrier_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_read_registry_reports(request.user):
        raise PermissionDenied
    form = CarrierFilterForm(request.GET or None, user=request.user)
    year = form.chosen_year()
    qs = carrier_list(user=request.user, year=year, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            carriers_export(qs, year),
            headers=xlsx_response_headers(f"carriers-{year}-{file_stamp()}.xlsx"),
        )
    page, query = list_page(request, qs)
    return render(
        request,
        "enterprises/carrier_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "year": year,
            "can_manage": can_record_support(request.user),
        },
    )


def carrier_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The carrier and its yearly figures; staff edit the figures as a table
    (a row per year, a blank row to add one, a box to delete one)."""
    carrier = get_carrier_for_user(request.user, pk, write=request.method == "POST")
    years = CarrierYear.objects.filter(carrier=carrier).order_by("-year")
    formset = CarrierYearFormSet(
        request.POST if request.method == "POST" else None,
        queryset=years,
        prefix="years",
    )
    status = 200
    if request.method == "POST":
        if formset.is_valid():
            rows, deleted = [], []
            for form in formset.forms:
                data = form.cleaned_data
                if not data:
                    continue
                if data.get("DELETE"):
                    if form.instance.pk:
                        deleted.append(form.instance.year)
                    continue
                rows.append(
                    {k: v for k, v in data.items() if k not in ("id", "DELETE")}
                )
            try:
                saved = carrier_years_save(
                    carrier=carrier, by=request.user, rows=rows, delete_years=deleted
                )
            except ValidationError as exc:
                _row_errors(formset, exc, rows)
            else:
                messages.success(
                    request,
                    _(
                        "Figures of %(name)s saved: %(created)d added, "
                        "%(updated)d changed, %(deleted)d deleted."
                    )
                    % {
                        "name": carrier.name,
                        "created": saved.created,
                        "updated": saved.updated,
                        "deleted": saved.deleted,
                    },
                )
                return redirect("carrier-detail", pk=pk)
        status = 400
    return render(
        request,
        "enterprises/carrier_detail.html",
        {
            "carrier": carrier,
            "formset": formset,
            "residents": carrier.residents.select_related("org_unit"),
            "can_manage": can_record_support(request.user),
        },
        status=status,
    )


def _row_errors(formset: object, exc: ValidationError, rows: list[dict]) -> None:
    """Put the service's "rows[i].field" errors beside the cells of the
    row they belong to (rows are the formset's kept forms, in order)."""
    kept = [
        f
        for f in formset.forms  # type: ignore[attr-defined]
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    for key, messages_ in exc.message_dict.items():
        index, _dot, name = key.removeprefix("rows[").partition("].")
        form = kept[int(index)] if index.isdigit() and int(index) < len(kept) else None
        if form is None:
            continue
        form.add_error(name if name in form.fields else None, messages_)


def carrier_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        if not can_record_support(request.user):
            raise PermissionDenied
        carrier = Carrier()
    else:
        carrier = get_carrier_for_user(request.user, pk, write=True)
    form = CarrierForm(request.POST or None, instance=carrier)
    if request.method == "POST" and form.is_valid():
        try:
            carrier_save(carrier=form.instance, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("“%(name)s” is saved.") % {"name": form.instance.name}
            )
            return redirect("carrier-detail", pk=form.instance.pk)
    return render(
        request, "enterprises/carrier_form.html", {"form": form, "carrier": carrier}
    )


def carrier_years_import_view(request: AuthedRequest) -> HttpResponse:
    return import_page(
        request,
        title=_("Import carriers' yearly figures"),
        run=carrier_years_import,
        template_url=reverse("carrier-years-template"),
        back="carrier-list",
        allowed=can_record_support(request.user),
    )


def carrier_years_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_record_support(request.user):
        raise PermissionDenied
    return template_response(
        CARRIER_YEAR_COLUMNS, CARRIER_YEAR_EXAMPLE, "carrier-figures-template.xlsx"
    )


def carrier_import_view(request: AuthedRequest) -> HttpResponse:
    return import_page(
        request,
        title=_("Import carriers"),
        run=carriers_import,
        template_url=reverse("carrier-import-template"),
        back="carrier-list",
        allowed=can_record_support(request.user),
    )


def carrier_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_record_support(request.user):
        raise PermissionDenied
    return template_response(CARRIER_COLUMNS, CARRIER_EXAMPLE, "carriers-template.xlsx")
