"""Forms of the enterprise register: the list filter, the roster upload
and the edit form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import OrgUnit, Role, User
from bureau.permissions import has_role
from bureau.selectors import district_streets
from enterprises.classifications import HighTechField
from enterprises.forms.fields import _field
from enterprises.models import (
    Enterprise,
    Tier,
)
from enterprises.monitoring import parse_period
from enterprises.permissions import enterprise_fields_for
from enterprises.selectors import EnterpriseFilters, recent_due_quarters
from enterprises.services import (
    ENTERPRISE_FIELDS,
)


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    kind = forms.ChoiceField(
        label=_("Organisation type"),
        required=False,
        choices=[("", _("All"))] + list(Enterprise.Kind.choices),
    )
    tier = forms.ChoiceField(label=_("Current tier"), required=False)
    org_unit = forms.ChoiceField(label=_("Street or park"), required=False)
    high_tech_field = forms.ChoiceField(
        label=_("High-tech field"),
        required=False,
        choices=[("", _("All"))] + list(HighTechField.choices),
    )
    is_above_scale = forms.NullBooleanField(
        label=_("Above designated size"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("yes")), ("false", _("no"))]
        ),
    )
    expiring_within = forms.IntegerField(
        label=_("Expiring within (days)"), required=False, min_value=0, max_value=3650
    )
    not_filed = forms.ChoiceField(label=_("Quarterly report not filed"), required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(self, "tier", forms.ChoiceField).choices = [
            ("", _("All")),
            ("none", _("Not on the ladder")),
        ] + [(t.code, t.name) for t in Tier.objects.filter(is_active=True)]
        units = district_streets()
        if user is not None and has_role(user, Role.STREET_LIAISON):
            units = (
                units.filter(pk=user.org_unit_id) if user.org_unit_id else units.none()
            )
        _field(self, "org_unit", forms.ChoiceField).choices = [("", _("All"))] + list(
            units.values_list("code", "name")
        )
        not_filed: list[tuple[str, Any]] = [("", _("All"))]
        _field(self, "not_filed", forms.ChoiceField).choices = (
            not_filed + recent_due_quarters()
        )

    def to_filters(self) -> EnterpriseFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return EnterpriseFilters(
            q=data.get("q") or "",
            tier=data.get("tier") or "",
            kind=data.get("kind") or "",
            org_unit=data.get("org_unit") or "",
            high_tech_field=data.get("high_tech_field") or "",
            is_above_scale=data.get("is_above_scale"),
            expiring_within=data.get("expiring_within"),
            not_filed=parse_period(data["not_filed"])
            if data.get("not_filed")
            else None,
        )


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster (.xlsx)"))


class EnterpriseEditForm(forms.ModelForm):
    """The registry fields the user's role may change (an enterprise clerk
    only its contacts)."""

    class Meta:
        from enterprises.models import Enterprise

        model = Enterprise
        fields = [f for f in ENTERPRISE_FIELDS if f != "credit_code"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = enterprise_fields_for(user)
        if allowed is not None:
            for name in list(self.fields):
                if name not in allowed:
                    del self.fields[name]
        if "org_unit" in self.fields:
            _field(
                self, "org_unit", forms.ModelChoiceField
            ).queryset = OrgUnit.objects.filter(
                level__in=["street", "park"], is_active=True
            )

    def _post_clean(self) -> None:
        # Validation is the service's (enterprise_update calls full_clean).
        pass
