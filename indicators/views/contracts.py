"""Technology contract and achievement pages: the contract list (search,
filters, export), the registration office's import and its template, the
achievement list, its import and template, and the achievement form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from bureau.lib.forms import WanField
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from bureau.models import User
from bureau.services.jobs import ExportPlan
from bureau.views.jobs import export_response
from indicators.exports.ledgers import (
    achievements_export,
    achievements_template,
    contracts_export,
    contracts_template,
)
from indicators.models import Achievement, TechContract
from indicators.permissions import (
    can_manage_ledgers,
    can_view_ledgers,
    contracts_visible_to,
    get_achievement_for_user,
    require,
)
from indicators.selectors import (
    AchievementFilters,
    ContractFilters,
    achievement_list,
    contract_list,
    contract_years,
    street_choices,
)
from indicators.services import (
    LedgerImportError,
    achievement_save,
    achievements_import,
    tech_contracts_import,
)
from indicators.services.contracts import registry_for

ALL = ("", gettext_lazy("All"))


def _street_field(user: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=gettext_lazy("Street or park"),
        required=False,
        choices=[ALL] + [(u.code, u.name) for u in street_choices(user=user)],
    )


class ContractFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Number, name or party"), required=False, max_length=100
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("contract kind"),
        required=False,
        choices=[ALL, *TechContract.Kind.choices],
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("direction"),
        required=False,
        choices=[
            ALL,
            ("out", gettext_lazy("Output")),
            ("in", gettext_lazy("Absorbed")),
            ("both", gettext_lazy("Both parties in the district")),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [ALL] + [(y, str(y)) for y in contract_years()]  # type: ignore[attr-defined]
        self.fields["street"] = _street_field(user)

    def to_filters(self) -> ContractFilters:
        if not self.is_bound or not self.is_valid():
            return ContractFilters()
        data = self.cleaned_data
        return ContractFilters(
            q=data["q"],
            year=data["year"],
            kind=data["kind"],
            direction=data["direction"],
            street=data["street"],
        )


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"))


def contract_list_export(user: User, query: QueryDict) -> ExportPlan:
    """The list's Excel as filtered on the page, at once or written by a
    background job when long (bureau.views.jobs)."""
    require(can_view_ledgers(user))
    form = ContractFilterForm(query or None, user=user)
    qs = contract_list(user=user, filters=form.to_filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportPlan(
        filename=f"tech-contracts-{stamp}.xlsx",
        rows=qs.count(),
        write=lambda: contracts_export(qs),
    )


def contract_list_view(request: AuthedRequest) -> HttpResponse:
    require(can_view_ledgers(request.user))
    form = ContractFilterForm(request.GET or None, user=request.user)
    if request.GET.get("export") == "xlsx":
        return export_response(request, "indicators.contracts")
    qs = contract_list(user=request.user, filters=form.to_filters())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "indicators/contracts.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": can_manage_ledgers(request.user),
        },
    )


def contract_import_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = tech_contracts_import(
                file=form.cleaned_data["file"], by=request.user
            )
        except LedgerImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _(
                    "Contracts imported: %(created)d new, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("tech-contract-list")
    return render(
        request,
        "indicators/ledger_import.html",
        {
            "form": form,
            "errors": errors,
            "title": _("Import technology contracts"),
            "explanation": _(
                "Upload the registration office's workbook. The whole file is "
                "checked first: if any cell is wrong nothing is imported, and "
                "every wrong cell is listed by row and column. Parties are "
                "matched to the registry by credit code, then by name; a "
                "registration number already stored is updated."
            ),
            "template_url_name": "tech-contract-template",
            "back_url_name": "tech-contract-list",
        },
        status=400 if errors else 200,
    )


@require_safe
def contract_template_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    return HttpResponse(
        contracts_template(),
        headers=xlsx_response_headers("tech-contracts-template.xlsx"),
    )


# --- Achievements ---------------------------------------------------------------


class AchievementFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Title, owner or field"), required=False, max_length=100
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("stage"),
        required=False,
        choices=[ALL, *Achievement.Stage.choices],
    )
    way = forms.ChoiceField(
        label=gettext_lazy("way of transfer"),
        required=False,
        choices=[ALL, *Achievement.Way.choices],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["street"] = _street_field(user)

    def to_filters(self) -> AchievementFilters:
        if not self.is_bound or not self.is_valid():
            return AchievementFilters()
        return AchievementFilters(**self.cleaned_data)


def achievement_list_export(user: User, query: QueryDict) -> ExportPlan:
    """The list's Excel as filtered on the page, at once or written by a
    background job when long (bureau.views.jobs)."""
    require(can_view_ledgers(user))
    form = AchievementFilterForm(query or None, user=user)
    qs = achievement_list(user=user, filters=form.to_filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportPlan(
        filename=f"achievements-{stamp}.xlsx",
        rows=qs.count(),
        write=lambda: achievements_export(qs),
    )


def achievement_list_view(request: AuthedRequest) -> HttpResponse:
    require(can_view_ledgers(request.user))
    form = AchievementFilterForm(request.GET or None, user=request.user)
    if request.GET.get("export") == "xlsx":
        return export_response(request, "indicators.achievements")
    qs = achievement_list(user=request.user, filters=form.to_filters())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "indicators/achievements.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": can_manage_ledgers(request.user),
        },
    )


def achievement_import_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = achievements_import(
                file=form.cleaned_data["file"], by=request.user
            )
        except LedgerImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _(
                    "Achievements imported: %(created)d new, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("achievement-list")
    return render(
        request,
        "indicators/ledger_import.html",
        {
            "form": form,
            "errors": errors,
            "title": _("Import achievements"),
            "explanation": _(
                "Fill in the template, one achievement a row. The whole file is "
                "checked first: if any cell is wrong nothing is imported, and "
                "every wrong cell is listed by row and column. The owner is "
                "matched to the registry by credit code, then by exact name; an "
                "achievement of the same owner with the same name is updated. "
                "Amounts are in 10k yuan."
            ),
            "template_url_name": "achievement-template",
            "back_url_name": "achievement-list",
        },
        status=400 if errors else 200,
    )


@require_safe
def achievement_template_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    return HttpResponse(
        achievements_template(),
        headers=xlsx_response_headers("achievements-template.xlsx"),
    )


class AchievementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("achievement"), max_length=200)
    owner = forms.CharField(
        label=gettext_lazy("Owner (credit code or registered name)"), max_length=200
    )
    field = forms.CharField(
        label=gettext_lazy("technical field"), max_length=60, required=False
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("stage"), choices=Achievement.Stage.choices
    )
    way = forms.ChoiceField(
        label=gettext_lazy("way of transfer"),
        choices=[("", "—"), *Achievement.Way.choices],
        required=False,
    )
    contracts = forms.CharField(
        label=gettext_lazy("Linked contracts (registration numbers)"),
        required=False,
        help_text=gettext_lazy("Separate several numbers with commas or spaces."),
    )
    new_output_value = WanField(
        label=gettext_lazy("New output value (10k yuan)"), required=False, min_wan=0
    )
    jobs = forms.IntegerField(
        label=gettext_lazy("jobs created"), min_value=0, required=False
    )
    patents = forms.IntegerField(
        label=gettext_lazy("patents"), min_value=0, required=False
    )
    started_on = forms.DateField(
        label=gettext_lazy("transfer started on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    pilot_on = forms.DateField(
        label=gettext_lazy("pilot started on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    industrialised_on = forms.DateField(
        label=gettext_lazy("industrialised on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=gettext_lazy("note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_owner(self) -> Any:
        raw = " ".join(self.cleaned_data["owner"].split())
        code = raw.upper() if len(raw) == 18 and raw.isalnum() else ""
        owner = registry_for([(code, raw)]).match(code, raw)
        if owner is None:
            raise ValidationError(
                _(
                    "No single registry organisation has this credit code or "
                    "name; register it first or give its credit code."
                )
            )
        return owner

    def clean_contracts(self) -> list[TechContract]:
        numbers = [
            n
            for n in self.cleaned_data["contracts"]
            .replace("，", ",")
            .replace(",", " ")
            .split()
            if n
        ]
        found = {
            c.registration_number: c
            for c in contracts_visible_to(self.user).filter(
                registration_number__in=numbers
            )
        }
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(
                _("No contract is registered under %(numbers)s.")
                % {"numbers": "、".join(missing)}
            )
        return [found[n] for n in dict.fromkeys(numbers)]


def _achievement_form_view(
    request: AuthedRequest, achievement: Achievement
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if achievement.pk:
        initial = {
            name: getattr(achievement, name)
            for name in AchievementForm.base_fields
            if name not in ("owner", "contracts")
        }
        initial["owner"] = achievement.owner.credit_code
        initial["contracts"] = " ".join(
            c.registration_number for c in achievement.contracts.all()
        )
    form = AchievementForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contracts = data.pop("contracts")
        try:
            achievement_save(
                achievement=achievement, by=request.user, contracts=contracts, **data
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request, _("“%(title)s” is saved.") % {"title": achievement.title}
            )
            return redirect("achievement-list")
    return render(
        request,
        "indicators/achievement_form.html",
        {"form": form, "achievement": achievement},
    )


def achievement_create_view(request: AuthedRequest) -> HttpResponse:
    require(can_manage_ledgers(request.user))
    return _achievement_form_view(request, Achievement())


def achievement_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    achievement = get_achievement_for_user(request.user, pk, write=True)
    return _achievement_form_view(request, achievement)
