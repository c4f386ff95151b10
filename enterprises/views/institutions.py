"""The district's register of R&D institutions (研发机构): the list with
search, filters and Excel export, create and edit through the services, and
the Excel import."""

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
    RD_INSTITUTION_COLUMNS,
    RD_INSTITUTION_EXAMPLE,
    rd_institutions_export,
)
from enterprises.forms import add_service_errors
from enterprises.forms.institutions import RDInstitutionFilterForm, RDInstitutionForm
from enterprises.models import RDInstitution
from enterprises.permissions import (
    can_read_registry_reports,
    can_record_support,
    get_rd_institution_for_user,
)
from enterprises.selectors import rd_institution_list
from enterprises.services import (
    rd_institution_record,
    rd_institution_update,
    rd_institutions_import,
)
from enterprises.views.cooperation import (
    file_stamp,
    import_page,
    list_page,
    template_response,
)

FORM_FIELDS = ("name", "type", "level", "recognised_on", "source_document")


def rd_institution_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_read_registry_reports(request.user):
        raise PermissionDenied
    form = RDInstitutionFilterForm(request.GET or None, user=request.user)
    qs = rd_institution_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            rd_institutions_export(qs),
            headers=xlsx_response_headers(f"rd-institutions-{file_stamp()}.xlsx"),
        )
    page, query = list_page(request, qs)
    return render(
        request,
        "enterprises/rd_institution_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_manage": can_record_support(request.user),
        },
    )


def rd_institution_edit_view(
    request: AuthedRequest, pk: int | None = None
) -> HttpResponse:
    """Record an institution (no `pk`) or change one."""
    if pk is None:
        if not can_record_support(request.user):
            raise PermissionDenied
        institution = RDInstitution()
    else:
        institution = get_rd_institution_for_user(request.user, pk, write=True)
    form = RDInstitutionForm(
        request.POST or None, instance=RDInstitution() if pk is None else institution
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data.get(name) for name in FORM_FIELDS}
        fields["source_document"] = fields["source_document"] or ""
        try:
            if pk is None:
                institution = rd_institution_record(
                    enterprise=data["enterprise"], by=request.user, **fields
                )
            else:
                rd_institution_update(
                    institution=institution,
                    by=request.user,
                    enterprise=data["enterprise"],
                    **fields,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("“%(name)s” is saved.") % {"name": institution.name}
            )
            return redirect("rd-institution-list")
    return render(
        request,
        "enterprises/rd_institution_form.html",
        {"form": form, "institution": institution},
    )


def rd_institution_import_view(request: AuthedRequest) -> HttpResponse:
    return import_page(
        request,
        title=_("Import R&D institutions"),
        run=rd_institutions_import,
        template_url=reverse("rd-institution-import-template"),
        back="rd-institution-list",
        allowed=can_record_support(request.user),
    )


def rd_institution_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_record_support(request.user):
        raise PermissionDenied
    return template_response(
        RD_INSTITUTION_COLUMNS, RD_INSTITUTION_EXAMPLE, "rd-institutions-template.xlsx"
    )
