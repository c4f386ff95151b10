from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from bureau.lib.forms import WanField
from bureau.lib.widgets import SearchPicker
from enterprises.selectors import enterprise_choices
from talent.countries import country_choices
from talent.models import ChineseLevel, Degree, Talent
from talent.points import achievement_choices, other_bonus_choices


class CountryField(forms.ChoiceField):
    """A nationality among the countries with a Chinese name; a code typed
    in lower case ("us") is read as "US"."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


class TalentForm(forms.Form):
    """A new person. The ID number and phone go straight to the service,
    which stores them encrypted; the form never re-displays them."""

    name = forms.CharField(label=_("full name"), max_length=100)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("gender"), required=False, choices=[("", "—"), *Talent.Gender.choices]
    )
    birth_date = forms.DateField(
        label=_("date of birth"),
        required=False,
        help_text=_("Taken from the ID number when one is given."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    degree = forms.ChoiceField(
        label=_("degree"), required=False, choices=[("", "—"), *Degree.choices]
    )
    title = forms.CharField(
        label=_("professional title"), max_length=50, required=False
    )
    field = forms.CharField(label=_("field"), max_length=100, required=False)
    employer = forms.ModelChoiceField(
        label=_("employer"),
        queryset=enterprise_choices(),
        required=False,
        widget=SearchPicker(
            "enterprise-search",
            placeholder=_("Type part of the name or the credit code"),
        ),
        error_messages={
            "invalid_choice": _("Choose the employer from the list that appears.")
        },
    )
    arrived_on = forms.DateField(
        label=_("arrival date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    nationality = CountryField(
        label=_("nationality"), choices=country_choices, initial="CN"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A failed submission must not echo the ID number or phone back.
        for name in ("id_number", "phone"):
            self.fields[name].widget.render_value = False  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {
            k: v
            for k, v in data.items()
            if v not in (None, "") or k in ("id_number", "phone")
        }


class WorkPermitForm(forms.Form):
    """The work-permit class calculator's page: money in 万元 (the API's in
    元); the choices of bonus items and achievements are the data's."""

    annual_salary = WanField(label=_("annual salary (10k yuan)"), min_wan=0)
    local_average_salary = WanField(
        label=_("local average annual wage (10k yuan)"),
        required=False,
        min_wan="0.000001",
    )
    education = forms.ChoiceField(label=_("education"), choices=Degree.choices)
    work_years = forms.IntegerField(
        label=_("relevant experience (years)"), min_value=0, max_value=60
    )
    months_per_year = forms.IntegerField(
        label=_("months worked in China a year"), min_value=0, max_value=12
    )
    chinese_level = forms.TypedChoiceField(
        label=_("Chinese language"), choices=ChineseLevel.choices, coerce=int
    )
    age = forms.IntegerField(label=_("age"), min_value=16, max_value=100)
    region_bonus = forms.BooleanField(
        label=_("works in the west, the northeast or a poor county"), required=False
    )
    other_bonus_items = forms.MultipleChoiceField(
        label=_("other bonus items"),
        choices=other_bonus_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    local_bonus = forms.IntegerField(
        label=_("local bonus points"), min_value=0, required=False, initial=0
    )
    achievements = forms.MultipleChoiceField(
        label=_("recognised achievements"),
        choices=achievement_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from bureau.lib import money
        from talent.points import rules_from_settings

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        rules = rules_from_settings()
        self.fields["local_average_salary"].help_text = _(
            "Blank: the figure set for the district, %(amount)s."
        ) % {"amount": money.wan_with_unit(rules.local_average_salary)}
        local = self.fields["local_bonus"]
        assert isinstance(local, forms.IntegerField)
        local.max_value = rules.local_bonus_max
        local.validators.append(MaxValueValidator(rules.local_bonus_max))
        local.help_text = _(
            "At most %(max)s points, as the province or city grants."
        ) % {"max": rules.local_bonus_max}

    def points_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["local_bonus"] = data.get("local_bonus") or 0
        return data
