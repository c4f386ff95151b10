"""Forms of the ladder (梯队): certifications, revocations and the
renewals filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.lib.forms import ListedChoiceField
from bureau.models import OrgUnit, Role, User
from bureau.permissions import has_role
from enterprises.forms.fields import _field
from enterprises.models import (
    Certification,
    Tier,
)


class CertificationForm(forms.Form):
    tier = ListedChoiceField(
        label=_("tier"), queryset=Tier.objects.filter(is_active=True)
    )
    echelon = forms.TypedChoiceField(
        label=_("echelon"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + list(Certification.Echelon.choices),
    )
    year = forms.IntegerField(label=_("award year"), min_value=2000, max_value=2100)
    issued_on = forms.DateField(
        label=_("issue date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    number = forms.CharField(
        label=_("certificate or registration number"), required=False
    )
    source_document = forms.CharField(label=_("source document"), required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class RenewalFilterForm(forms.Form):
    """The filters of the 重新认定 list: the expiry year, street, search."""

    year = forms.TypedChoiceField(label=_("Expiry year"), coerce=int, required=False)
    org_unit = forms.ChoiceField(label=_("Street or park"), required=False)
    q = forms.CharField(label=_("Name, code or certificate number"), required=False)

    def __init__(self, *args: Any, user: User, this_year: int, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(self, "year", forms.TypedChoiceField).choices = [
            (y, str(y)) for y in range(this_year - 1, this_year + 4)
        ]
        self.fields["year"].initial = this_year
        units = OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)
        if has_role(user, Role.STREET_LIAISON):
            units = (
                units.filter(pk=user.org_unit_id) if user.org_unit_id else units.none()
            )
        _field(self, "org_unit", forms.ChoiceField).choices = [("", _("All"))] + [
            (u.code, u.name) for u in units
        ]
