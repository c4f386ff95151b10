from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bureau.models import OrgUnit, Role, User
from bureau.permissions import has_role
from enterprises.classifications import HighTechField
from enterprises.models import AnnualReturn, Certification, QuarterlyReport, Tier
from enterprises.monitoring import parse_period
from enterprises.permissions import VISITORS, enterprise_fields_for
from enterprises.selectors import EnterpriseFilters, recent_due_quarters
from enterprises.services import (
    ANNUAL_RETURN_FIELDS,
    ENTERPRISE_FIELDS,
    QUARTERLY_FIELDS,
)

FieldT = TypeVar("FieldT", bound=forms.Field)


def _field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's own copy of field `name`, typed as the `kind` it is."""
    field = form.fields[name]
    assert isinstance(field, kind), f"{name} is not a {kind.__name__}"
    return field


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on `form`, field by field where the
    form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
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
        units = OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)
        if user is not None and has_role(user, Role.STREET_LIAISON):
            units = (
                units.filter(pk=user.org_unit_id) if user.org_unit_id else units.none()
            )
        _field(self, "org_unit", forms.ChoiceField).choices = [("", _("All"))] + [
            (u.code, u.name) for u in units
        ]
        not_filed: list[tuple[str, Any]] = [("", _("All"))]
        _field(self, "not_filed", forms.ChoiceField).choices = (
            not_filed + recent_due_quarters()
        )

    def to_filters(self) -> EnterpriseFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return EnterpriseFilters(
            q=data.get("q") or "",
            tier=data.get("tier") or "",
            org_unit=data.get("org_unit") or "",
            high_tech_field=data.get("high_tech_field") or "",
            is_above_scale=data.get("is_above_scale"),
            expiring_within=data.get("expiring_within"),
            not_filed=parse_period(data["not_filed"])
            if data.get("not_filed")
            else None,
        )


class CertificationForm(forms.Form):
    tier = forms.ModelChoiceField(
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


class AnnualReturnForm(forms.ModelForm):
    class Meta:
        model = AnnualReturn
        fields = ["year", *ANNUAL_RETURN_FIELDS]


class QuarterlyReportForm(forms.ModelForm):
    class Meta:
        model = QuarterlyReport
        fields = ["year", "quarter", *QUARTERLY_FIELDS]


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", _("Accept")), ("0", _("Return"))]
    )
    reason = forms.CharField(
        label=_("reason for return"), required=False, max_length=500
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


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("visit date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    issues_raised = forms.CharField(
        label=_("issues raised"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_action = forms.CharField(
        label=_("Follow-up action"), required=False, max_length=300
    )
    follow_up_owner = forms.ModelChoiceField(
        label=_("owner"), queryset=User.objects.none(), required=False
    )
    follow_up_due_on = forms.DateField(
        label=_("due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _field(
            self, "follow_up_owner", forms.ModelChoiceField
        ).queryset = User.objects.filter(is_active=True, role__in=VISITORS).order_by(
            "full_name"
        )
        self.fields["follow_up_owner"].initial = user.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("follow_up_action") and not data.get("follow_up_due_on"):
            self.add_error("follow_up_due_on", _("Give the follow-up a due date."))
        return data
