from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.selectors import enterprise_choices
from talent.models import Degree, Talent


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
    )
    arrived_on = forms.DateField(
        label=_("arrival date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    nationality = forms.RegexField(
        label=_("nationality"), regex=r"^[A-Za-z]{2}$", initial="CN"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A failed submission must not echo the ID number or phone back.
        for name in ("id_number", "phone"):
            self.fields[name].widget.render_value = False  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["nationality"] = data["nationality"].upper()
        return {
            k: v
            for k, v in data.items()
            if v not in (None, "") or k in ("id_number", "phone")
        }
