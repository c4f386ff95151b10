"""Page forms of policy rewards (奖补兑现) and innovation vouchers (创新券):
money in 万元 (bureau.lib.forms.WanField, cleaned to 元), Chinese labels, and
the filters of the review lists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.lib.forms import WanField
from bureau.lib.models import GovernmentLevel
from enterprises.selectors import tier_choices
from projects.forms import TableFormSet, table_formset
from projects.models import (
    Entitlement,
    Programme,
    RewardRule,
    ServiceProvider,
    VoucherClaim,
)
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


# --- Reward rules (policy as data) -------------------------------------------

PERCENT = Decimal(100)
# The form field that holds a rule's `target`, by kind (the rest: "holders").
TARGET_FIELD: dict[str, str] = {
    RewardRule.Kind.NEW_TIER: "tier",
    RewardRule.Kind.NEW_RD_INSTITUTION: "level",
}


class RankBandForm(forms.Form):
    """One band of a ranking: ranks up to `up_to_rank` get `amount`."""

    up_to_rank = forms.IntegerField(
        label=pgettext_lazy("rewards", "Up to rank"), min_value=1, max_value=1000
    )
    amount = WanField(
        label=pgettext_lazy("rewards", "Amount per enterprise"),
        max_yuan_digits=14,
        min_wan="0.000001",
    )


def rank_band_formset(
    data: Any = None, initial: list[dict[str, Any]] | None = None
) -> TableFormSet:
    return table_formset(
        RankBandForm,
        prefix="bands",
        label=pgettext_lazy("rewards", "Amounts by rank"),
        data=data,
        initial=initial,
    )


def _kinds(field: forms.Field, *kinds: str, bases: tuple[str, ...] = ()) -> None:
    """Mark `field` for static/js/reward-rule-form.js: shown only for these
    rule kinds (and, given `bases`, only for these bases)."""
    field.widget.attrs["data-kinds"] = " ".join(kinds)
    if bases:
        field.widget.attrs["data-bases"] = " ".join(bases)


class RewardRuleForm(forms.Form):
    """A reward rule on one page: the fields of the chosen kind are shown
    (the others hidden by static/js/reward-rule-form.js, and ignored), money
    in 万元, the rate in per cent; `values()` is what the services take."""

    K = RewardRule.Kind
    FIGURE_KINDS = (K.RATE, K.RANKING)

    programme = forms.ModelChoiceField(
        label=_("programme"),
        queryset=Programme.objects.filter(
            kind=Programme.Kind.REWARD, is_active=True
        ).order_by("name"),
        empty_label=pgettext_lazy("rewards", "Choose…"),
    )
    name = forms.CharField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(
        label=pgettext_lazy("rewards", "Kind of reward"),
        choices=RewardRule.Kind.choices,
        widget=forms.Select(attrs={"data-rule-kind": ""}),
    )
    tier = forms.ChoiceField(
        label=pgettext_lazy("rewards", "Tier recognised"), required=False, choices=()
    )
    award_round = forms.ChoiceField(
        label=_("first awards or renewals"),
        choices=RewardRule.AwardRound.choices,
        initial=RewardRule.AwardRound.FIRST,
        required=False,
        help_text=_(
            "Renewals are the re-recognitions of high-tech enterprises and "
            "the annual re-registrations of tech SMEs."
        ),
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("rewards", "Institution level"),
        required=False,
        choices=[("", "—"), *GovernmentLevel.choices],
    )
    amount = WanField(
        label=pgettext_lazy("rewards", "Fixed amount per enterprise"),
        required=False,
        max_yuan_digits=14,
        min_wan="0.000001",
    )
    figure = forms.ChoiceField(
        label=_("figure"),
        required=False,
        choices=[("", "—"), *RewardRule.Figure.choices],
    )
    base = forms.ChoiceField(
        label=_("base"),
        required=False,
        choices=[("", "—"), *RewardRule.Base.choices],
        widget=forms.Select(attrs={"data-rule-base": ""}),
        help_text=_(
            "A rate applies to a total or an increase; a ranking may also "
            "rank growth rates."
        ),
    )
    holders = forms.ChoiceField(
        label=pgettext_lazy("rewards", "Only holders of"),
        required=False,
        choices=(),
        help_text=_("Leave blank to count every enterprise of the district."),
    )
    rate = forms.DecimalField(
        label=pgettext_lazy("rewards", "Rate (%)"),
        required=False,
        min_value=Decimal("0.0001"),
        max_value=PERCENT,
        max_digits=8,
        decimal_places=4,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    cap = WanField(
        label=_("cap per enterprise"),
        required=False,
        max_yuan_digits=14,
        min_wan="0.000001",
        help_text=_("The most one enterprise receives; blank for no cap."),
    )
    minimum_amount = WanField(
        label=_("minimum amount"),
        required=False,
        max_yuan_digits=14,
        min_wan="0.000001",
        help_text=_("A computed amount below it is raised to it."),
    )
    minimum_current = WanField(
        label=_("figure of the year at least"),
        required=False,
        max_yuan_digits=18,
        min_wan=0,
    )
    minimum_previous = WanField(
        label=_("figure of the year before at least"),
        required=False,
        max_yuan_digits=18,
        min_wan=0,
        help_text=_(
            "For an increase or a growth rate: keeps a small base from "
            "outranking a large one (100k → 1M yuan is not ahead of 50M → 60M)."
        ),
    )
    top_n = forms.IntegerField(
        label=_("only the top N"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Ranked by the base; ties on the last rank all count."),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tiers = [(t.code, t.name) for t in tier_choices(include_inactive=True)]
        self.fields["tier"].choices = [("", "—"), *tiers]  # type: ignore[attr-defined]
        self.fields["holders"].choices = [  # type: ignore[attr-defined]
            ("", pgettext_lazy("rewards", "Every enterprise")),
            *tiers,
        ]
        K = RewardRule.Kind
        _kinds(self.fields["tier"], K.NEW_TIER)
        _kinds(self.fields["award_round"], K.NEW_TIER)
        _kinds(self.fields["level"], K.NEW_RD_INSTITUTION)
        _kinds(self.fields["amount"], K.NEW_TIER, K.NEW_RD_INSTITUTION)
        for name in ("figure", "base", "holders", "minimum_current"):
            _kinds(self.fields[name], *self.FIGURE_KINDS)
        _kinds(
            self.fields["minimum_previous"],
            *self.FIGURE_KINDS,
            bases=(RewardRule.Base.INCREMENT, RewardRule.Base.GROWTH),
        )
        for name in ("rate", "cap", "minimum_amount", "top_n"):
            _kinds(self.fields[name], K.RATE)

    @classmethod
    def initial_for(cls, rule: RewardRule) -> dict[str, Any]:
        """The form's initial values for an existing rule."""
        initial = {
            name: getattr(rule, name)
            for name in (
                "programme",
                "name",
                "kind",
                "award_round",
                "amount",
                "figure",
                "base",
                "cap",
                "minimum_amount",
                "minimum_current",
                "minimum_previous",
                "top_n",
                "is_active",
            )
        }
        initial["programme"] = rule.programme_id
        initial["rate"] = (
            None if rule.rate is None else (rule.rate * PERCENT).normalize()
        )
        initial[TARGET_FIELD.get(rule.kind, "holders")] = rule.target
        return initial

    def values(self, bands: list[dict[str, Any]]) -> dict[str, Any]:
        """The cleaned form as the service's keyword arguments (the service
        clears what the kind does not read)."""
        data = self.cleaned_data
        kind = data["kind"]
        target = data.get(TARGET_FIELD.get(kind, "holders"))
        rate = data.get("rate")
        return {
            "programme": data["programme"],
            "name": data["name"].strip(),
            "kind": kind,
            "target": target or "",
            "award_round": data.get("award_round") or RewardRule.AwardRound.FIRST,
            "amount": data.get("amount"),
            "figure": data.get("figure") or "",
            "base": data.get("base") or "",
            "rate": None if rate is None else rate / PERCENT,
            "cap": data.get("cap"),
            "minimum_amount": data.get("minimum_amount"),
            "minimum_current": data.get("minimum_current"),
            "minimum_previous": data.get("minimum_previous"),
            "top_n": data.get("top_n"),
            "tiers": [
                {"up_to_rank": b["up_to_rank"], "amount": str(b["amount"])}
                for b in sorted(bands, key=lambda b: b["up_to_rank"])
            ],
            "is_active": data.get("is_active", False),
        }

    # Where an error the service (RewardRule.clean) raises on a model field
    # is shown: beside the form field of the rule's kind.
    def field_for(self, model_field: str, kind: str) -> str | None:
        if model_field == "target":
            return TARGET_FIELD.get(kind, "holders")
        if model_field == "tiers":
            return None
        return model_field if model_field in self.fields else None
