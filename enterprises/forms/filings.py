"""Forms of the filings: annual returns, quarterly reports, their review
and the filings filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import enterprises.selectors.filings as layout
from bureau.lib.forms import WanField
from bureau.models import Role, User
from bureau.permissions import has_role
from bureau.selectors import district_streets
from enterprises.forms.fields import _field
from enterprises.models import (
    AnnualReturn,
    QuarterlyReport,
    Tier,
)
from enterprises.services import (
    ANNUAL_RETURN_FIELDS,
    QUARTERLY_FIELDS,
)

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
        units = district_streets()
        if has_role(user, Role.STREET_LIAISON):
            units = (
                units.filter(pk=user.org_unit_id) if user.org_unit_id else units.none()
            )
        all_: list[tuple[Any, Any]] = [("", _("All"))]
        _field(self, "street", forms.TypedChoiceField).choices = all_ + list(
            units.order_by("code").values_list("pk", "name")
        )
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
