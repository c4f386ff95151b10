"""Forms of events (活动), their attendees and science-popularisation bases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.lib.widgets import SearchPicker
from bureau.models import OrgUnit, Role, User
from bureau.permissions import has_role
from enterprises.forms.fields import _field
from enterprises.models import (
    Enterprise,
    Event,
    ScienceBase,
)

# --- Events and 科普 bases ------------------------------------------------------


class EventFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Title, organiser or place"), required=False, max_length=100
    )
    kind = forms.ChoiceField(label=_("event type"), required=False)
    year = forms.TypedChoiceField(
        label=_("year"), required=False, coerce=int, empty_value=None
    )
    org_unit = forms.TypedChoiceField(
        label=_("held by street"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(self, "kind", forms.ChoiceField).choices = [
            ("", _("All")),
            *Event.Kind.choices,
        ]
        this_year = timezone.localdate().year
        _field(self, "year", forms.TypedChoiceField).choices = [
            ("", _("All")),
            *((str(y), f"{y}年") for y in range(this_year, this_year - 6, -1)),
        ]
        units = OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)
        if has_role(user, Role.STREET_LIAISON):
            units = units.filter(pk=user.org_unit_id or 0)
        _field(self, "org_unit", forms.TypedChoiceField).choices = [
            ("", _("All")),
            *((u.pk, u.name) for u in units),
        ]

    def to_filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class EventForm(forms.ModelForm):
    """The event; the enterprises attending are the AttendeeFormSet's rows.
    A liaison's events are their street's (the field is not offered)."""

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "organiser",
            "org_unit",
            "place",
            "participants",
            "materials",
            "trained",
            "notes",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if has_role(user, Role.STREET_LIAISON):
            del self.fields["org_unit"]
            self.instance.org_unit_id = user.org_unit_id
        else:
            _field(
                self, "org_unit", forms.ModelChoiceField
            ).queryset = OrgUnit.objects.filter(
                level__in=["street", "park"], is_active=True
            )


class AttendeeForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("enterprise"),
        queryset=Enterprise.objects.order_by("name"),
        required=False,
        widget=SearchPicker(
            "enterprise-search",
            placeholder=_("Type part of the name or the credit code"),
        ),
        error_messages={
            "invalid_choice": _("Choose the enterprise from the list that appears.")
        },
    )


# One empty row below the chosen ones; the page's 添加一行 button adds more
# (static/js/table-editor.js).
AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=1)


class ScienceBaseForm(forms.ModelForm):
    class Meta:
        model = ScienceBase
        fields = [
            "name",
            "level",
            "host",
            "org_unit",
            "recognised_on",
            "yearly_visitors",
        ]
        widgets = {
            "recognised_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(
            self, "org_unit", forms.ModelChoiceField
        ).queryset = OrgUnit.objects.filter(
            level__in=["street", "park"], is_active=True
        )


class EventUploadForm(forms.Form):
    file = forms.FileField(label=_("Events (.xlsx)"))
