"""Forms of the cooperation, alliance and carrier pages. Organisations are
chosen with the searchable picker (one per row of a small formset for the
parties and members), so the district's thousands never fill a select."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.lib.widgets import SearchPicker
from bureau.models import OrgUnit, Role, User
from bureau.permissions import has_role
from enterprises.models import (
    Agreement,
    Alliance,
    Carrier,
    CarrierType,
    CarrierYear,
    CooperationVisit,
    Enterprise,
    RDInstitution,
)
from enterprises.selectors import AgreementFilters, AllianceFilters, CarrierFilters

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceValidatedForm(forms.ModelForm):
    """A model form that fills its instance from the input but leaves the
    model's validation to the service that saves it (full_clean there), so
    rules are checked once and their errors come back beside the fields."""

    def _post_clean(self) -> None:
        opts = self._meta
        self.instance = construct_instance(
            self, self.instance, opts.fields, opts.exclude
        )


def _picker(label: Any, *, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Enterprise.objects.all(),
        required=required,
        widget=SearchPicker("enterprise-search"),
    )


def _streets(user: User | None) -> list[tuple[str, Any]]:
    units = OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)
    if user is not None and has_role(user, Role.STREET_LIAISON):
        units = units.filter(pk=user.org_unit_id) if user.org_unit_id else units.none()
    return [("", _("All"))] + [(u.code, u.name) for u in units]


def _years() -> list[tuple[str, Any]]:
    this = timezone.localdate().year
    return [("", _("All"))] + [(str(y), str(y)) for y in range(this, this - 8, -1)]


class OrganisationRowForm(forms.Form):
    """One row of the parties or members table."""

    organisation = _picker(_("Organisation"), required=False)


OrganisationFormSet = forms.formset_factory(
    OrganisationRowForm, extra=3, can_delete=True, max_num=200, validate_max=True
)


def organisations_of(formset: forms.BaseFormSet) -> list[Enterprise]:
    """The organisations chosen in the rows kept, each once, in order."""
    chosen: list[Enterprise] = []
    for form in formset.forms:
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        organisation = form.cleaned_data.get("organisation")
        if organisation is not None and organisation not in chosen:
            chosen.append(organisation)
    return chosen


def organisation_formset(
    data: Any, *, prefix: str, initial: list[Enterprise]
) -> forms.BaseFormSet:
    return OrganisationFormSet(
        data,
        prefix=prefix,
        initial=[{"organisation": e.pk} for e in initial],
    )


# --- Agreements ---------------------------------------------------------------


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", _("All"))] + list(Agreement.Kind.choices),
    )
    year = forms.ChoiceField(label=_("Signed in"), required=False)
    org_unit = forms.ChoiceField(label=_("Street or park"), required=False)
    in_force = forms.NullBooleanField(
        label=_("In force"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("yes")), ("false", _("no"))]
        ),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()  # type: ignore[attr-defined]
        self.fields["org_unit"].choices = _streets(user)  # type: ignore[attr-defined]

    def to_filters(self) -> AgreementFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AgreementFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            year=int(data["year"]) if data.get("year") else None,
            org_unit=data.get("org_unit") or "",
            in_force=data.get("in_force"),
        )


def _platform_label(obj: RDInstitution) -> str:
    return f"{obj.name}（{obj.type.name}，{obj.enterprise.name}）"


class AgreementForm(ServiceValidatedForm):
    partner = _picker(_("partner in the registry"), required=False)

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "district_is_party",
            "partner",
            "partner_name",
            "signed_on",
            "term_ends_on",
            "content",
            "contact_name",
            "contact_phone",
            "platforms",
        ]
        widgets = {
            "signed_on": DATE,
            "term_ends_on": DATE,
            "content": forms.Textarea(attrs={"rows": 3}),
            "platforms": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        platforms = self.fields["platforms"]
        assert isinstance(platforms, forms.ModelMultipleChoiceField)
        platforms.queryset = RDInstitution.objects.select_related(
            "type", "enterprise"
        ).order_by("name")
        platforms.label_from_instance = _platform_label  # type: ignore[method-assign,assignment]
        platforms.help_text = _(
            "The R&D institutions built under this agreement (共建研究院, "
            "联合实验室); record them on the host's page first."
        )


class CooperationVisitForm(ServiceValidatedForm):
    class Meta:
        model = CooperationVisit
        fields = [
            "visited_on",
            "visitors",
            "outcome",
            "projects",
            "platforms",
            "talents",
            "achievements",
        ]
        widgets = {"visited_on": DATE, "outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- Alliances ----------------------------------------------------------------


class AllianceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", _("All"))] + list(Alliance.Kind.choices),
    )
    level = forms.ChoiceField(
        label=_("level"),
        required=False,
        choices=[("", _("All"))] + list(Alliance.Level.choices),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def to_filters(self) -> AllianceFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AllianceFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            level=data.get("level") or "",
        )


class AllianceForm(ServiceValidatedForm):
    lead = _picker(_("lead organisation"))

    class Meta:
        model = Alliance
        fields = [
            "kind",
            "name",
            "lead",
            "level",
            "founded_on",
            "field",
            "outside_members",
            "notes",
        ]
        widgets = {
            "founded_on": DATE,
            "outside_members": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- Carriers -----------------------------------------------------------------


class CarrierFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or operator"), required=False)
    year = forms.ChoiceField(label=_("year"), required=False)
    type = forms.ChoiceField(label=_("type"), required=False)
    level = forms.ChoiceField(
        label=_("level"),
        required=False,
        choices=[("", _("All"))] + list(Carrier._meta.get_field("level").choices or []),
    )
    org_unit = forms.ChoiceField(label=_("Street or park"), required=False)
    grade = forms.ChoiceField(
        label=_("assessment grade"),
        required=False,
        choices=[("", _("All"))] + list(CarrierYear.Grade.choices),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        years = _years()[1:]
        self.fields["year"].choices = years  # type: ignore[attr-defined]
        self.fields["year"].initial = str(default_year())
        self.fields["type"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (t.code, t.name) for t in CarrierType.objects.filter(is_active=True)
        ]
        self.fields["org_unit"].choices = _streets(user)  # type: ignore[attr-defined]

    def chosen_year(self) -> int:
        """The year whose figures the list shows: last year by default (the
        figures of a year are assessed in the next)."""
        data = self.cleaned_data if self.is_valid() else {}
        return int(data["year"]) if data.get("year") else default_year()

    def to_filters(self) -> CarrierFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return CarrierFilters(
            q=data.get("q") or "",
            type=data.get("type") or "",
            level=data.get("level") or "",
            org_unit=data.get("org_unit") or "",
            grade=data.get("grade") or "",
        )


def default_year(today: date | None = None) -> int:
    return (today or timezone.localdate()).year - 1


class CarrierForm(ServiceValidatedForm):
    host = _picker(_("host organisation"), required=False)

    class Meta:
        model = Carrier
        fields = [
            "name",
            "type",
            "level",
            "org_unit",
            "host",
            "operator",
            "recognised_on",
        ]
        widgets = {"recognised_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        carrier_type = self.fields["type"]
        assert isinstance(carrier_type, forms.ModelChoiceField)
        carrier_type.queryset = CarrierType.objects.filter(is_active=True)
        org_unit = self.fields["org_unit"]
        assert isinstance(org_unit, forms.ModelChoiceField)
        org_unit.queryset = OrgUnit.objects.filter(
            level__in=["street", "park"], is_active=True
        )


class CarrierYearForm(ServiceValidatedForm):
    """One row of a carrier's yearly figures table."""

    class Meta:
        model = CarrierYear
        fields = ["year", "incubating", "graduated", "new_residents", "grade", "notes"]
        widgets = {
            "year": forms.NumberInput(attrs={"class": "narrow"}),
            "incubating": forms.NumberInput(attrs={"class": "narrow"}),
            "graduated": forms.NumberInput(attrs={"class": "narrow"}),
            "new_residents": forms.NumberInput(attrs={"class": "narrow"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grade = self.fields["grade"]
        assert isinstance(grade, forms.ChoiceField)
        grade.choices = [("", _("Not assessed"))] + list(CarrierYear.Grade.choices)


CarrierYearFormSet = forms.modelformset_factory(
    CarrierYear, form=CarrierYearForm, extra=1, can_delete=True
)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
