"""Form of the policy calculators: the R&D super-deduction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.lib.forms import WanField


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
