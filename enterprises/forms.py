from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import enterprises.selectors.filings as layout
from bureau.lib.forms import WanField
from bureau.lib.widgets import SearchPicker
from bureau.models import OrgUnit, Role, User
from bureau.permissions import has_role
from enterprises.classifications import HighTechField
from enterprises.models import (
    AnnualReturn,
    Certification,
    Enterprise,
    Event,
    QuarterlyReport,
    ScienceBase,
    Tier,
)
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
            kind=data.get("kind") or "",
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


# --- Filings -----------------------------------------------------------------


def last_completed_year(today: date) -> int:
    """The accounting year an annual return is filed for by default."""
    return today.year - 1


def last_ended_quarter(today: date) -> tuple[int, int]:
    """The quarter a quarterly report is filed for by default."""
    quarter = (today.month - 1) // 3  # the one before the current quarter
    return (today.year - 1, 4) if quarter == 0 else (today.year, quarter)


class FilingForm(forms.ModelForm):
    """The figures of a filing: money in 万元 (WanField: the service gets 元),
    headcounts and IP counts with their unit beside the box, Chinese labels,
    and the groups of the official forms (`groups`, for the template)."""

    model_groups: tuple[layout.Group, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._zero_if_blank: list[str] = []
        model = self._meta.model
        for name in list(self.fields):
            db_field = model._meta.get_field(name)
            unit = layout.unit_of(model, name)
            if unit == layout.MONEY:
                # Blank means nought for a figure the model defaults to 0;
                # a figure the model may leave empty stays empty.
                self.fields[name] = WanField(
                    label=db_field.verbose_name,
                    required=False,
                    initial=None if db_field.null else db_field.default,
                    max_yuan_digits=db_field.max_digits,
                    min_wan=0 if db_field.validators else None,
                    help_text=db_field.help_text,
                )
                if not db_field.null:
                    self._zero_if_blank.append(name)
            elif unit:
                self.fields[name].unit = layout.UNIT_LABELS[unit]  # type: ignore[attr-defined]
                self.fields[name].widget.attrs.setdefault("min", "0")
                self.fields[name].required = False
                self._zero_if_blank.append(name)
            self.fields[name].widget.attrs["data-figure"] = name
            self.fields[name].widget.attrs["data-unit"] = unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self._zero_if_blank:
            if name in data and data[name] is None:
                data[name] = (
                    0
                    if layout.unit_of(self._meta.model, name) == layout.ITEMS
                    else Decimal(0)
                )
        return data

    def _post_clean(self) -> None:
        # The service validates (full_clean) and its errors are put beside
        # the fields; validating here would also change the instance before
        # the service snapshots it for the audit trail.
        pass

    def groups(self) -> list[dict[str, Any]]:
        """[{title, fields: [bound field], computed: [Computed]}] in order."""
        return [
            {
                "title": group.title,
                "fields": [self[name] for name in group.fields if name in self.fields],
                "computed": group.computed,
            }
            for group in self.model_groups
        ]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) of every error, the form's own first."""
        found = [("", "", str(e)) for e in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            bound = self[name] if name in self.fields else None
            for e in errors:
                found.append(
                    (
                        bound.id_for_label if bound else "",
                        str(bound.label) if bound else "",
                        str(e),
                    )
                )
        return found


class AnnualReturnForm(FilingForm):
    model_groups = layout.ANNUAL_GROUPS
    year = forms.TypedChoiceField(label=_("accounting year"), coerce=int)

    class Meta:
        model = AnnualReturn
        fields = ["year", *ANNUAL_RETURN_FIELDS]

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last = last_completed_year(today or timezone.localdate())
        years = list(range(last, last - 10, -1))
        if self.instance.pk and self.instance.year not in years:
            years.append(self.instance.year)
        year = _field(self, "year", forms.TypedChoiceField)
        year.choices = [(y, _("Year %(year)s") % {"year": y}) for y in years]
        year.initial = self.instance.year if self.instance.pk else last
        for name in ("staff_total", "tech_staff"):
            self.fields[name].help_text = _(
                "Annual average: the twelve monthly averages (start and end of "
                "the month, halved) added up and divided by 12."
            )


class QuarterlyReportForm(FilingForm):
    model_groups = layout.QUARTERLY_GROUPS
    year = forms.TypedChoiceField(label=_("year"), coerce=int)

    class Meta:
        model = QuarterlyReport
        fields = ["year", "quarter", *QUARTERLY_FIELDS]

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last_year, last_quarter = last_ended_quarter(today or timezone.localdate())
        years = list(range(last_year, last_year - 6, -1))
        if self.instance.pk and self.instance.year not in years:
            years.append(self.instance.year)
        year = _field(self, "year", forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in years]
        if not self.instance.pk:
            year.initial = last_year
            self.fields["quarter"].initial = last_quarter
        self.fields["staff"].help_text = _(
            "People employed on the last day of the quarter (not an annual average)."
        )
        for name in QUARTERLY_FIELDS:
            if name != "staff":
                self.fields[name].help_text = _(
                    "From 1 January to the end of the quarter."
                )


class ReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", _("Accept")), ("0", _("Return"))]
    )
    reason = forms.CharField(
        label=_("reason for return"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("accept") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the filing is returned."))
        return data


class FilingFilterForm(forms.Form):
    """The review list's filters; every one optional, bad values ignored."""

    q = forms.CharField(
        label=_("Enterprise name or credit code"), required=False, max_length=100
    )
    street = forms.TypedChoiceField(
        label=_("Street or park"), required=False, coerce=int, empty_value=None
    )
    period = forms.ChoiceField(label=_("period"), required=False)
    state = forms.ChoiceField(label=_("status"), required=False)
    tier = forms.ChoiceField(label=_("Current tier"), required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        user: User,
        periods: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)
        if has_role(user, Role.STREET_LIAISON):
            units = (
                units.filter(pk=user.org_unit_id) if user.org_unit_id else units.none()
            )
        all_: list[tuple[Any, Any]] = [("", _("All"))]
        _field(self, "street", forms.TypedChoiceField).choices = all_ + [
            (u.pk, u.name) for u in units.order_by("code")
        ]
        _field(self, "period", forms.ChoiceField).choices = all_ + periods
        _field(self, "state", forms.ChoiceField).choices = all_ + [
            (code, label) for code, label in layout.FILING_STATE_LABELS.items()
        ]
        _field(self, "tier", forms.ChoiceField).choices = (
            all_
            + [("none", _("Not on the ladder"))]
            + [(t.code, t.name) for t in Tier.objects.filter(is_active=True)]
        )
        _field(self, "sort", forms.ChoiceField).choices = [("", "")] + [
            (f"{sign}{key}", key) for key in layout.SORTS for sign in ("", "-")
        ]

    def to_filters(self) -> layout.FilingFilters:
        """The valid filters; a bad value is dropped, not an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return layout.FilingFilters(
            q=data.get("q") or "",
            street=data.get("street"),
            period=data.get("period") or "",
            state=data.get("state") or "",
            tier=data.get("tier") or "",
            sort=data.get("sort") or "",
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


class SuperDeductionForm(forms.Form):
    """The 研发费用加计扣除 calculator's page: amounts in 万元 (the API's in
    元); the checks are the pure module's, so page and API say the same."""

    fiscal_year = forms.IntegerField(
        label=_("accounting year"), min_value=2000, max_value=2100
    )
    industry_code = forms.CharField(
        label=_("industry (GB/T 4754 code)"),
        max_length=6,
        help_text=_(
            "Section letter and two-digit division, e.g. I65 software, C39 "
            "electronics, F51 wholesale."
        ),
    )
    taxation = forms.ChoiceField(
        label=_("income tax assessment"),
        choices=[
            ("actual", _("assessed on actual profit")),
            ("deemed", _("assessed on a deemed basis")),
        ],
        initial="actual",
        widget=forms.RadioSelect,
    )
    special_list = forms.ChoiceField(
        label=_("official list"),
        required=False,
        choices=[
            ("", _("not on a list")),
            ("ic", _("key integrated-circuit enterprise list")),
            ("machine_tool", _("industrial machine-tool enterprise list")),
        ],
    )
    rd_expensed = WanField(
        label=_("in-house R&D expensed (10k yuan)"),
        min_wan=0,
        help_text=_(
            "Personnel, direct inputs, depreciation, amortisation, design and "
            "trials; without entrusted R&D and other related costs."
        ),
    )
    rd_other_costs = WanField(
        label=_("other related costs (10k yuan)"), min_wan=0, required=False
    )
    rd_entrusted_domestic = WanField(
        label=_("R&D entrusted in China, amount paid (10k yuan)"),
        min_wan=0,
        required=False,
    )
    rd_entrusted_overseas = WanField(
        label=_("R&D entrusted overseas, amount paid (10k yuan)"),
        min_wan=0,
        required=False,
    )
    rd_capitalised_cost = WanField(
        label=_("cost of intangible assets formed by R&D (10k yuan)"),
        min_wan=0,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = timezone.localdate().year - 1

    def clean_fiscal_year(self) -> int:
        from enterprises.deduction import check_fiscal_year

        year = self.cleaned_data["fiscal_year"]
        try:
            check_fiscal_year(year)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return int(year)

    def clean_industry_code(self) -> str:
        from enterprises.deduction import parse_industry_code

        code = str(self.cleaned_data["industry_code"]).strip().upper()
        try:
            parse_industry_code(code)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return code
