"""Page forms of policy rewards (奖补兑现) and innovation vouchers (创新券):
money in 万元 (bureau.lib.forms.WanField, cleaned to 元), Chinese labels, and
the filters of the review lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.lib.forms import WanField
from projects.models import Entitlement, ServiceProvider, VoucherClaim
from projects.selectors.rewards import (
    EntitlementFilters,
    reward_rule_choices,
    street_choices,
)
from projects.selectors.vouchers import ClaimFilters

# How far back a batch may be built (the reward rules read certifications
# and annual returns; older years are history).
BUILD_YEARS = 6


def _year_choices(years: list[int]) -> list[tuple[str, Any]]:
    return [("", _("All years")), *((str(y), f"{y}年") for y in years)]


class BuildForm(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, f"{y}年") for y in range(this_year, this_year - BUILD_YEARS, -1)
        ]


class ExcludeForm(forms.Form):
    reason = forms.CharField(label=_("why excluded"), max_length=200)


class VoucherCancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class VoucherUseForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("service provider"),
        queryset=ServiceProvider.objects.filter(is_active=True).order_by("name"),
        empty_label=pgettext_lazy("rewards", "Choose…"),
    )
    service = forms.CharField(label=_("service bought"), max_length=200)
    service_fee = WanField(
        label=_("service fee"), max_yuan_digits=12, min_wan="0.000001"
    )


class _ListFilterForm(forms.Form):
    """A GET form: a bad value is dropped, never an error page."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": pgettext_lazy(
                    "rewards", "Enterprise name or credit code"
                ),
            }
        ),
    )
    year = forms.TypedChoiceField(
        label=_("year"), coerce=int, required=False, empty_value=None, choices=()
    )
    street = forms.TypedChoiceField(
        label=_("street or park"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
    )
    sort = forms.ChoiceField(label=pgettext_lazy("rewards", "Sort by"), required=False)

    SORT_LABELS: dict[str, Any] = {}

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)  # type: ignore[attr-defined]
        self.fields["street"].choices = [  # type: ignore[attr-defined]
            ("", pgettext_lazy("rewards", "All streets")),
            *((str(u.pk), u.name) for u in street_choices()),
        ]
        sorts: list[tuple[str, Any]] = [("", pgettext_lazy("rewards", "Default order"))]
        for key, label in self.SORT_LABELS.items():
            sorts.append((key, label))
        self.fields["sort"].choices = sorts  # type: ignore[attr-defined]

    def value(self, name: str) -> Any:
        """The field's cleaned value, or its empty value if it was bad."""
        empty = getattr(self.fields[name], "empty_value", "")
        if not self.is_bound:
            return empty
        self.is_valid()
        return self.cleaned_data.get(name, empty)


class EntitlementFilterForm(_ListFilterForm):
    rule = forms.TypedChoiceField(
        label=_("reward rule"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
    )
    state = forms.ChoiceField(label=_("status"), required=False)

    SORT_LABELS = {
        "-amount": pgettext_lazy("rewards", "Amount, largest first"),
        "amount": pgettext_lazy("rewards", "Amount, smallest first"),
        "enterprise": pgettext_lazy("rewards", "Enterprise name"),
        "street": _("street or park"),
        "rule": _("reward rule"),
        "-year": pgettext_lazy("rewards", "Year, newest first"),
    }

    field_order = ["q", "year", "street", "rule", "state", "sort"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [  # type: ignore[attr-defined]
            ("", pgettext_lazy("rewards", "All rules")),
            *((str(r.pk), r.name) for r in reward_rule_choices()),
        ]
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *Entitlement.State.choices,
        ]

    def filters(self) -> EntitlementFilters:
        return EntitlementFilters(
            q=self.value("q") or "",
            year=self.value("year"),
            street=self.value("street"),
            rule=self.value("rule"),
            state=self.value("state") or "",
            sort=self.value("sort") or "",
        )


class ClaimFilterForm(_ListFilterForm):
    status = forms.ChoiceField(label=_("status"), required=False)

    SORT_LABELS = {
        "-claimed_at": _("Newest claims first"),
        "claimed_at": _("Oldest claims first"),
        "enterprise": pgettext_lazy("rewards", "Enterprise name"),
        "street": _("street or park"),
        "-used_amount": _("Paid by voucher, largest first"),
        "-service_fee": _("Service fee, largest first"),
    }

    field_order = ["q", "year", "street", "status", "sort"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *VoucherClaim.Status.choices,
        ]

    def filters(self) -> ClaimFilters:
        return ClaimFilters(
            q=self.value("q") or "",
            year=self.value("year"),
            street=self.value("street"),
            status=self.value("status") or "",
            sort=self.value("sort") or "",
        )
