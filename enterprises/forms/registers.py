"""Forms of the registers: IP items, technology transfers, staff rosters
and the above-scale (规上) list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.models import OrgUnit, Role, User
from bureau.permissions import has_role
from enterprises.forms.fields import _field
from enterprises.forms.filings import last_completed_year

# --- The IP, transfer and staff registers -------------------------------------


def _street_choices(user: User | None) -> list[tuple[str, Any]]:
    units = OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)
    if user is not None and has_role(user, Role.STREET_LIAISON):
        units = units.filter(pk=user.org_unit_id) if user.org_unit_id else units.none()
    return [("", _("All"))] + [(u.code, u.name) for u in units]


class IPItemForm(forms.ModelForm):
    class Meta:
        from enterprises.models import IPItem

        model = IPItem
        fields = [
            "ip_type",
            "number",
            "title",
            "applied_on",
            "granted_on",
            "expires_on",
            "status",
            "ownership",
            "hnte_used_year",
        ]
        widgets = {
            "applied_on": forms.DateInput(attrs={"type": "date"}),
            "granted_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _post_clean(self) -> None:
        # The service validates the whole item (with its enterprise).
        pass


class IPFilterForm(forms.Form):
    q = forms.CharField(label=_("Title, number or enterprise"), required=False)
    ip_type = forms.ChoiceField(label=_("IP type"), required=False)
    ip_class = forms.ChoiceField(label=_("IP class"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False)
    org_unit = forms.ChoiceField(label=_("Street or park"), required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        from enterprises.models import IPItem

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("ip_type", IPItem.Type.choices),
            ("ip_class", [c for c in IPItem.Class.choices if c[0]]),
            ("status", IPItem.Status.choices),
        ):
            _field(self, name, forms.ChoiceField).choices = [("", _("All"))] + list(
                choices
            )
        _field(self, "org_unit", forms.ChoiceField).choices = _street_choices(user)

    def to_filters(self) -> dict[str, Any]:
        return dict(self.cleaned_data) if self.is_valid() else {}


class TechTransferForm(forms.Form):
    title = forms.CharField(
        label=_("technology result"),
        max_length=200,
        help_text=_("The same title in other years or contracts is the same result."),
    )
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    way = forms.ChoiceField(label=_("way of conversion"))
    contract_number = forms.CharField(
        label=_("transfer contract number"), max_length=50, required=False
    )
    ip_items: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("IP items"), required=False, queryset=None
    )

    def __init__(self, *args: Any, enterprise: Any, **kwargs: Any) -> None:
        from enterprises.models import IPItem, TechTransfer

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(self, "way", forms.ChoiceField).choices = TechTransfer.Way.choices
        _field(
            self, "ip_items", forms.ModelMultipleChoiceField
        ).queryset = IPItem.objects.filter(enterprise=enterprise)
        if not self.is_bound:
            self.initial.setdefault("year", last_completed_year(timezone.localdate()))


class IPUploadForm(forms.Form):
    file = forms.FileField(label=_("IP register (.xlsx)"))


class StaffRosterUploadForm(forms.Form):
    year = forms.IntegerField(label=_("Roster year"), min_value=1990)
    file = forms.FileField(label=_("Staff roster (.xlsx)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", last_completed_year(timezone.localdate()))


class AboveScaleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    org_unit = forms.ChoiceField(label=_("Street or park"), required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(self, "org_unit", forms.ChoiceField).choices = _street_choices(user)

    def to_filters(self) -> dict[str, Any]:
        return dict(self.cleaned_data) if self.is_valid() else {}
