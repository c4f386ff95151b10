"""Page forms of the projects won from higher levels: the filters of the
list, the recommendation, the outcome table (a formset, money in 万元),
the mid-term check, the acceptance and the reserve."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.lib.forms import WanField
from bureau.lib.widgets import SearchPicker
from bureau.models import OrgUnit
from enterprises.selectors import enterprise_choices
from projects.models import (
    Application,
    Call,
    Programme,
    ReserveProject,
    UpwardProject,
)
from projects.selectors.upward import HIGHER_LEVELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


def _higher_levels() -> list[tuple[str, Any]]:
    return [(key, Programme.Level(key).label) for key in HIGHER_LEVELS]


def _years() -> list[tuple[str, Any]]:
    year = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(year + 1, year - 6, -1)]


class UpwardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Project, enterprise or document number"),
        required=False,
        max_length=100,
    )
    state = forms.ChoiceField(label=_("state"), required=False)
    level = forms.ChoiceField(label=_("level"), required=False)
    year = forms.TypedChoiceField(
        label=_("year"), required=False, coerce=int, empty_value=None
    )
    org_unit = forms.TypedChoiceField(
        label=_("Street or park"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = _all(UpwardProject.State.choices)  # type: ignore[attr-defined]
        self.fields["level"].choices = _all(_higher_levels())  # type: ignore[attr-defined]
        self.fields["year"].choices = _all(_years())  # type: ignore[attr-defined]
        units = units if units is not None else OrgUnit.objects.none()
        self.fields["org_unit"].choices = _all((u.pk, u.name) for u in units)  # type: ignore[attr-defined]

    def to_filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class RecommendForm(forms.Form):
    document_number = forms.CharField(
        label=_("recommendation document number"),
        max_length=100,
        help_text=_("The bureau's document that sends the list upward."),
    )
    recommended_on = forms.DateField(label=_("recommended on"), widget=DATE)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    applications = forms.ModelMultipleChoiceField(
        label=_("Applications to recommend"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        from projects.selectors import recommendable_applications

        field = self.fields["applications"]
        field.queryset = recommendable_applications(call=call)  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda app: f"{app.enterprise.name} · {app.title}"
        )
        if not field.queryset.exists():  # type: ignore[attr-defined]
            # An empty box of ticks reads as a broken page: say why.
            field.help_text = _("No application of this call is left to recommend.")
        self.fields["recommended_on"].initial = timezone.localdate()


class OutcomeRowForm(forms.Form):
    """One row of the outcome table: a project still waiting."""

    project = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("outcome"),
        required=False,
        choices=[("", _("Not known yet")), *UpwardProject.Outcome.choices],
    )
    decided_on = forms.DateField(label=_("decided on"), required=False, widget=DATE)
    higher_document_number = forms.CharField(
        label=_("higher-level document number"), max_length=100, required=False
    )
    funds_from_above = WanField(
        label=_("funds from above"), required=False, max_yuan_digits=14, min_wan=0
    )
    local_match = WanField(
        label=_("district matching funds"),
        required=False,
        max_yuan_digits=14,
        min_wan=0,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") and not data.get("decided_on"):
            self.add_error("decided_on", _("Give the date of the decision."))
        return data


OutcomeFormSet = forms.formset_factory(OutcomeRowForm, extra=0)


class MidtermForm(forms.Form):
    midterm_on = forms.DateField(label=_("mid-term check date"), widget=DATE)
    midterm_result = forms.ChoiceField(
        label=_("mid-term check result"), choices=UpwardProject.MidtermResult.choices
    )


class AcceptanceForm(forms.Form):
    acceptance_on = forms.DateField(label=_("acceptance date"), widget=DATE)
    acceptance_result = forms.ChoiceField(
        label=_("acceptance result"), choices=UpwardProject.AcceptanceResult.choices
    )
    new_output_value = WanField(
        label=_("new output value"), required=False, max_yuan_digits=14, min_wan=0
    )
    new_jobs = forms.IntegerField(label=_("new jobs"), required=False, min_value=0)
    patents_filed = forms.IntegerField(
        label=_("patents filed"), required=False, min_value=0
    )
    patents_granted = forms.IntegerField(
        label=_("patents granted"), required=False, min_value=0
    )
    other_results = forms.CharField(
        label=_("other results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReserveForm(forms.ModelForm):
    enterprise = forms.ModelChoiceField(
        label=_("enterprise"),
        queryset=enterprise_choices(),
        widget=SearchPicker(
            "enterprise-search",
            placeholder=_("Type part of the name or the credit code"),
        ),
        error_messages={
            "invalid_choice": _("Choose the enterprise from the list that appears.")
        },
    )
    planned_amount = WanField(
        label=_("planned request"), max_yuan_digits=14, min_wan="0.01"
    )

    class Meta:
        model = ReserveProject
        fields = [
            "enterprise",
            "title",
            "summary",
            "target_level",
            "target_programme",
            "expected_year",
            "planned_amount",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["target_level"].choices = _higher_levels()  # type: ignore[attr-defined]
        self.fields["target_programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
            level__in=HIGHER_LEVELS, is_active=True
        )
        if not self.instance.pk:
            self.fields["expected_year"].initial = timezone.localdate().year + 1


class ReserveFilterForm(forms.Form):
    q = forms.CharField(label=_("Project or enterprise"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False)
    level = forms.ChoiceField(label=_("target level"), required=False)
    year = forms.TypedChoiceField(
        label=_("expected year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _all(ReserveProject.Status.choices)  # type: ignore[attr-defined]
        self.fields["level"].choices = _all(_higher_levels())  # type: ignore[attr-defined]
        self.fields["year"].choices = _all(_years())  # type: ignore[attr-defined]

    def to_filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class PromoteForm(forms.Form):
    call = forms.ModelChoiceField(label=_("open call"), queryset=Call.objects.none())

    def __init__(self, *args: Any, calls: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]


class OutcomeUploadForm(forms.Form):
    file = forms.FileField(label=_("Outcomes (.xlsx)"))
