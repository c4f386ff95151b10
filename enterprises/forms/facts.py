"""Form of the pre-check facts an enterprise's figures are recorded with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.forms.fields import _field


class EnterpriseFactForm(forms.Form):
    """A check or judgement the pre-check cannot take from figures."""

    subject = forms.ChoiceField(label=_("What was checked"), choices=())
    met = forms.TypedChoiceField(
        label=_("verdict"),
        choices=[("true", _("Met")), ("false", _("Not met"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    checked_on = forms.DateField(
        label=_("date checked"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(
        label=_("source"),
        max_length=100,
        help_text=_("Where the answer comes from, e.g. 信用中国查询, 应急管理局函."),
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from enterprises.models import FactSubject

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(self, "subject", forms.ChoiceField).choices = FactSubject.choices
