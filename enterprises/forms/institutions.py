"""Forms of the R&D institutions register: the list's filters and the
institution form (its host picked from the registry)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.models import User
from enterprises.forms.cooperation import (
    DATE,
    ServiceValidatedForm,
    _picker,
    _streets,
    _years,
)
from enterprises.models import InstitutionType, RDInstitution
from enterprises.selectors import RDInstitutionFilters


class RDInstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or host organisation"), required=False)
    type = forms.ChoiceField(label=_("type"), required=False)
    level = forms.ChoiceField(
        label=_("level"),
        required=False,
        choices=[("", _("All"))] + list(RDInstitution.Level.choices),
    )
    org_unit = forms.ChoiceField(label=_("Street or park"), required=False)
    year = forms.ChoiceField(label=_("Year recognised"), required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (t.code, t.name) for t in InstitutionType.objects.filter(is_active=True)
        ]
        self.fields["org_unit"].choices = _streets(user)  # type: ignore[attr-defined]
        self.fields["year"].choices = _years()  # type: ignore[attr-defined]

    def to_filters(self) -> RDInstitutionFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return RDInstitutionFilters(
            q=data.get("q") or "",
            type=data.get("type") or "",
            level=data.get("level") or "",
            org_unit=data.get("org_unit") or "",
            year=int(data["year"]) if data.get("year") else None,
        )


class RDInstitutionForm(ServiceValidatedForm):
    enterprise = _picker(_("host organisation"))

    class Meta:
        model = RDInstitution
        fields = [
            "name",
            "type",
            "level",
            "enterprise",
            "recognised_on",
            "source_document",
        ]
        widgets = {"recognised_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        kind = self.fields["type"]
        assert isinstance(kind, forms.ModelChoiceField)
        # An institution keeps its type even after the type is retired.
        kind.queryset = InstitutionType.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.type_id)
        )
