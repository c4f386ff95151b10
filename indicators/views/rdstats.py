"""The R&D statistics ledger pages: the year's progress by street and its
units (a liaison sees and acts on their street's), a unit's status form,
the bureau's bulk actions, the import of the list and its template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from bureau.lib.exceptions import ApplicationError
from bureau.lib.feedback import error_text
from bureau.lib.forms import WanField
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from indicators.exports.ledgers import rd_units_export, rd_units_template
from indicators.models import RDReportingUnit
from indicators.permissions import (
    can_manage_ledgers,
    can_report_rd,
    can_view_ledgers,
    get_rd_unit_for_user,
    rd_units_visible_to,
    require,
)
from indicators.selectors import (
    RDFilters,
    rd_default_year,
    rd_ledger_years,
    rd_progress,
    rd_unit_list,
    street_choices,
)
from indicators.services import (
    LedgerImportError,
    rd_unit_set_status,
    rd_units_bulk_status,
    rd_units_import,
)
from indicators.views.contracts import ALL, LedgerUploadForm

Status = RDReportingUnit.Status


def _year(request: AuthedRequest) -> int:
    """The ledger year asked for: ?year=, else the API's default
    (indicators.selectors.rd_default_year)."""
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if raw.isdigit() and 1990 <= int(raw) <= 2100:
        return int(raw)
    return rd_default_year()


class RDFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or code"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("status"), required=False, choices=[ALL, *Status.choices]
    )
    above_scale = forms.NullBooleanField(
        label=gettext_lazy("Above designated size"),
        required=False,
        widget=forms.Select(
            choices=[
                ("", gettext_lazy("All")),
                ("true", gettext_lazy("yes")),
                ("false", gettext_lazy("no")),
            ]
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["street"] = forms.ChoiceField(
            label=gettext_lazy("Street or park"),
            required=False,
            choices=[ALL] + [(u.code, u.name) for u in street_choices(user=user)],
        )

    def to_filters(self, year: int) -> RDFilters:
        if not self.is_bound or not self.is_valid():
            return RDFilters(year=year)
        return RDFilters(year=year, **self.cleaned_data)


def rd_ledger_view(request: AuthedRequest) -> HttpResponse:
    require(can_view_ledgers(request.user))
    year = _year(request)
    form = RDFilterForm(request.GET or None, user=request.user)
    qs = rd_unit_list(user=request.user, filters=form.to_filters(year))
    if request.GET.get("export") == "xlsx":
        return HttpResponse(
            rd_units_export(qs),
            headers=xlsx_response_headers(f"rd-statistics-{year}.xlsx"),
        )
    progress = rd_progress(user=request.user, year=year)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["year"] = str(year)
    years = rd_ledger_years()
    return render(
        request,
        "indicators/rd_ledger.html",
        {
            "year": year,
            "years": years if year in years else sorted([*years, year], reverse=True),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "progress": progress,
            "total": _total(progress),
            "can_manage": can_manage_ledgers(request.user),
            "can_report": can_report_rd(request.user),
            "bulk_actions": [
                (Status.VERIFIED, _("Verify the reported figures")),
                (Status.NO_ACTIVITY, _("Mark as without R&D activity")),
                (Status.PENDING, _("Back to not reported")),
            ],
        },
    )


def _total(progress: list[Any]) -> dict[str, Any]:
    expected = sum(p.expected for p in progress)
    pending = sum(p.pending for p in progress)
    return {
        "expected": expected,
        "reported": sum(p.reported for p in progress),
        "verified": sum(p.verified for p in progress),
        "no_activity": sum(p.no_activity for p in progress),
        "pending": pending,
        "amount": sum((p.amount for p in progress), start=0),
        "share": (expected - pending) / expected if expected else None,
    }


class RDStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("status"))
    amount = WanField(
        label=gettext_lazy("R&D spending reported (10k yuan)"),
        required=False,
        min_wan=0,
    )
    reported_on = forms.DateField(
        label=gettext_lazy("reported on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=gettext_lazy("note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, bureau: bool, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        choices = [Status.REPORTED, Status.NO_ACTIVITY, Status.PENDING]
        if bureau:
            choices.insert(1, Status.VERIFIED)
        self.fields["status"].choices = [(s.value, s.label) for s in choices]  # type: ignore[attr-defined]


def rd_unit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = get_rd_unit_for_user(request.user, pk, write=request.method == "POST")
    bureau = can_manage_ledgers(request.user)
    form = RDStatusForm(
        request.POST or None,
        bureau=bureau,
        initial={
            "status": unit.status,
            "amount": unit.amount,
            "reported_on": unit.reported_on,
            "note": unit.note,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rd_unit_set_status(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(
                request,
                _("%(unit)s: %(status)s.")
                % {"unit": unit.unit_name, "status": unit.get_status_display()},
            )
            return redirect(f"{reverse('rd-ledger')}?year={unit.year}")
    return render(
        request,
        "indicators/rd_unit.html",
        {"unit": unit, "form": form, "can_report": can_report_rd(request.user)},
        status=status if not form.errors or status == 409 else 400,
    )


@require_POST
def rd_bulk_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    year = _year(request)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    units = list(rd_units_visible_to(request.user).filter(pk__in=ids, year=year))
    back = f"{reverse('rd-ledger')}?year={year}"
    if not units:
        messages.error(request, _("Select the units first."))
        return redirect(back)
    try:
        changed = rd_units_bulk_status(
            units=units,
            by=request.user,
            status=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(changed)d of the %(selected)d selected units changed.")
            % {"changed": changed, "selected": len(units)},
        )
    return redirect(back)


def rd_import_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    year = _year(request)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = rd_units_import(
                file=form.cleaned_data["file"], year=year, by=request.user
            )
        except LedgerImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _(
                    "Ledger %(year)s imported: %(created)d new, %(updated)d "
                    "updated, %(unchanged)d unchanged."
                )
                % {
                    "year": year,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect(f"{reverse('rd-ledger')}?year={year}")
    return render(
        request,
        "indicators/ledger_import.html",
        {
            "form": form,
            "errors": errors,
            "year": year,
            "title": _("Import the R&D statistics list of %(year)s") % {"year": year},
            "explanation": _(
                "Upload the list of units expected to report. The whole file is "
                "checked first: if any cell is wrong nothing is imported. Units "
                "are matched to the registry by credit code, then by name; "
                "their street and 规上 flag come from the registry unless the "
                "row gives them. A unit already on the list is updated and "
                "keeps its status."
            ),
            "template_url_name": "rd-template",
            "back_url_name": "rd-ledger",
        },
        status=400 if errors else 200,
    )


@require_safe
def rd_template_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    return HttpResponse(
        rd_units_template(),
        headers=xlsx_response_headers("rd-statistics-template.xlsx"),
    )
