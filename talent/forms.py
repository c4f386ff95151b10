from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.lib.widgets import SearchPicker
from enterprises.selectors import enterprise_choices
from talent.countries import country_choices
from talent.models import Degree, Talent


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
