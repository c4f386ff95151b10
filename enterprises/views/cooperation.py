"""Cooperation agreements (with their follow-up visits) and alliances: list,
Excel export and import, detail, create and edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import ReadColumn, xlsx_response_headers
from enterprises.exports.cooperation import (
    AGREEMENT_COLUMNS,
    AGREEMENT_EXAMPLE,
    ALLIANCE_COLUMNS,
    ALLIANCE_EXAMPLE,
    agreements_export,
    alliances_export,
    import_template,
)
from enterprises.forms import add_service_errors
from enterprises.forms.cooperation import (
    AgreementFilterForm,
    AgreementForm,
    AllianceFilterForm,
    AllianceForm,
    CooperationVisitForm,
    ImportForm,
    organisation_formset,
    organisations_of,
)
from enterprises.models import Agreement, Alliance
from enterprises.permissions import (
    can_list_cooperation,
    can_manage_cooperation,
    get_agreement_for_user,
    get_alliance_for_user,
)
from enterprises.selectors import (
    agreement_list,
    agreement_parties,
    alliance_list,
    alliance_members,
)
from enterprises.services import (
    CooperationImportError,
    ImportResult,
    agreement_save,
    agreements_import,
    alliance_save,
    alliances_import,
    cooperation_visit_record,
)


def file_stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def list_page(request: AuthedRequest, qs: Any) -> tuple[Any, str]:
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- Agreements ---------------------------------------------------------------


def agreement_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_list_cooperation(request.user):
        raise PermissionDenied
    form = AgreementFilterForm(request.GET or None, user=request.user)
    qs = agreement_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            agreements_export(qs),
            headers=xlsx_response_headers(f"agreements-{file_stamp()}.xlsx"),
        )
    page, query = list_page(request, qs)
    return render(
        request,
        "enterprises/agreement_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_manage": can_manage_cooperation(request.user),
        },
    )


def agreement_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk)
    return render(
        request,
        "enterprises/agreement_detail.html",
        {
            "agreement": agreement,
            **agreement_parties(user=request.user, agreement=agreement),
            "platforms": agreement.platforms.select_related("type", "enterprise"),
            "visits": agreement.visits.all(),
            "can_manage": can_manage_cooperation(request.user),
            "visit_form": CooperationVisitForm(),
        },
    )


def agreement_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """Record a new agreement (no `pk`) or change one."""
    if pk is None:
        if not can_manage_cooperation(request.user):
            raise PermissionDenied
        agreement = Agreement()
        initial_parties = []
    else:
        agreement = get_agreement_for_user(request.user, pk, write=True)
        initial_parties = list(agreement.parties.all())
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, instance=agreement)
    parties = organisation_formset(data, prefix="parties", initial=initial_parties)
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        try:
            agreement_save(
                agreement=form.instance,
                by=request.user,
                parties=organisations_of(parties),
                platforms=list(form.cleaned_data["platforms"]),
            )
        except ValidationError as exc:
            _add_errors(form, parties, exc, "parties")
        else:
            messages.success(
                request,
                _("The agreement “%(title)s” is saved.") % {"title": agreement.title},
            )
            return redirect("agreement-detail", pk=form.instance.pk)
    return render(
        request,
        "enterprises/agreement_form.html",
        {"form": form, "parties": parties, "agreement": agreement},
    )


def _add_errors(form: Any, formset: Any, exc: ValidationError, key: str) -> None:
    """A service's errors beside their fields; those of the organisation
    list above its table."""
    if hasattr(exc, "error_dict") and key in exc.error_dict:
        formset._non_form_errors = formset.error_class(exc.message_dict[key])
        exc = ValidationError(
            {k: v for k, v in exc.message_dict.items() if k != key} or {}
        )
        if not exc.message_dict:
            return
    add_service_errors(form, exc)


@require_POST
def cooperation_visit_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk, write=True)
    form = CooperationVisitForm(request.POST)
    if form.is_valid():
        try:
            cooperation_visit_record(
                agreement=agreement, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The follow-up visit of %(date)s is recorded.")
                % {"date": form.cleaned_data["visited_on"].isoformat()},
            )
            return redirect("agreement-detail", pk=pk)
    return render(
        request,
        "enterprises/agreement_detail.html",
        {
            "agreement": agreement,
            **agreement_parties(user=request.user, agreement=agreement),
            "platforms": agreement.platforms.select_related("type", "enterprise"),
            "visits": agreement.visits.all(),
            "can_manage": True,
            "visit_form": form,
            "visit_form_open": True,
        },
        status=400,
    )


def import_page(
    request: AuthedRequest,
    *,
    title: str,
    run: Callable[..., ImportResult],
    template_url: str,
    back: str,
    allowed: bool,
) -> HttpResponse:
    if not allowed:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = run(file=form.cleaned_data["file"], by=request.user)
        except CooperationImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect(back)
    return render(
        request,
        "enterprises/cooperation_import.html",
        {
            "form": form,
            "errors": errors,
            "title": title,
            "template_url": template_url,
            "back": back,
        },
    )


def template_response(
    columns: list[ReadColumn], example: tuple[Any, ...], name: str
) -> HttpResponse:
    return HttpResponse(
        import_template(columns, example), headers=xlsx_response_headers(name)
    )


def agreement_import_view(request: AuthedRequest) -> HttpResponse:
    from django.urls import reverse

    return import_page(
        request,
        title=_("Import cooperation agreements"),
        run=agreements_import,
        template_url=reverse("agreement-import-template"),
        back="agreement-list",
        allowed=can_manage_cooperation(request.user),
    )


def agreement_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_cooperation(request.user):
        raise PermissionDenied
    return template_response(
        AGREEMENT_COLUMNS, AGREEMENT_EXAMPLE, "agreements-template.xlsx"
    )


# --- Alliances ----------------------------------------------------------------


def alliance_list_view(request: AuthedRequest) -> HttpResponse:
    if not can_list_cooperation(request.user):
        raise PermissionDenied
    form = AllianceFilterForm(request.GET or None)
    qs = alliance_list(user=request.user, filters=form.to_filters())
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            alliances_export(qs),
            headers=xlsx_response_headers(f"alliances-{file_stamp()}.xlsx"),
        )
    page, query = list_page(request, qs)
    return render(
        request,
        "enterprises/alliance_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_manage": can_manage_cooperation(request.user),
        },
    )


def alliance_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    alliance = get_alliance_for_user(request.user, pk)
    return render(
        request,
        "enterprises/alliance_detail.html",
        {
            "alliance": alliance,
            **alliance_members(user=request.user, alliance=alliance),
            "can_manage": can_manage_cooperation(request.user),
        },
    )


def alliance_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        if not can_manage_cooperation(request.user):
            raise PermissionDenied
        alliance = Alliance()
        initial_members = []
    else:
        alliance = get_alliance_for_user(request.user, pk, write=True)
        initial_members = list(alliance.members.all())
    data = request.POST if request.method == "POST" else None
    form = AllianceForm(data, instance=alliance)
    members = organisation_formset(data, prefix="members", initial=initial_members)
    if request.method == "POST" and form.is_valid() and members.is_valid():
        try:
            alliance_save(
                alliance=form.instance,
                by=request.user,
                members=organisations_of(members),
            )
        except ValidationError as exc:
            _add_errors(form, members, exc, "members")
        else:
            messages.success(
                request, _("“%(name)s” is saved.") % {"name": alliance.name}
            )
            return redirect("alliance-detail", pk=form.instance.pk)
    return render(
        request,
        "enterprises/alliance_form.html",
        {"form": form, "members": members, "alliance": alliance},
    )


def alliance_import_view(request: AuthedRequest) -> HttpResponse:
    from django.urls import reverse

    return import_page(
        request,
        title=_("Import alliances"),
        run=alliances_import,
        template_url=reverse("alliance-import-template"),
        back="alliance-list",
        allowed=can_manage_cooperation(request.user),
    )


def alliance_template_view(request: AuthedRequest) -> HttpResponse:
    if not can_manage_cooperation(request.user):
        raise PermissionDenied
    return template_response(
        ALLIANCE_COLUMNS, ALLIANCE_EXAMPLE, "alliances-template.xlsx"
    )
