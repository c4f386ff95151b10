"""Forms of the project pages. Lists (criteria, budget lines, milestones,
team) are typed one per line, comma-separated, as clerks keep them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from enterprises.selectors import tier_choices
from projects.models import Application, BudgetLine, ProfessionalField, Programme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _rows(text: str, columns: int, field: StrOrPromise) -> list[list[str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("，", ",")
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < columns:
            raise forms.ValidationError(
                _("Line %(n)d of %(field)s needs %(c)d comma-separated values.")
                % {"n": number, "field": field, "c": columns}
            )
        rows.append(parts)
    return rows


def _money(value: str, line: int) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise forms.ValidationError(
            _("Line %(n)d: %(v)s is not an amount.") % {"n": line, "v": value}
        ) from None
    if amount < 0:
        raise forms.ValidationError(
            _("Line %(n)d: the amount is negative.") % {"n": line}
        )
    return amount


class CallForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("programme"), queryset=Programme.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("title"), max_length=200)
    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, initial=date.today().year
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = forms.DateTimeField(
        label=_("opens at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label=_("closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    eligible_tiers = forms.ModelMultipleChoiceField(
        label=_("eligible tiers"),
        queryset=tier_choices(),
        required=False,
    )
    precheck_tier = forms.ModelChoiceField(
        label=_("must meet the conditions of"),
        queryset=tier_choices(),
        required=False,
    )
    field = forms.ModelChoiceField(
        label=_("professional field"),
        queryset=ProfessionalField.objects.choices(),
        to_field_name="code",
        required=False,
        empty_label=_("Every field"),
        help_text=_("Reviewers are drawn from experts in this field."),
    )
    required_attachments = forms.CharField(
        label=_("required attachment types"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    budget_ceiling = forms.DecimalField(
        label=_("budget ceiling"), min_value=0, max_digits=14, decimal_places=2
    )
    max_request = forms.DecimalField(
        label=_("most one application may request"),
        min_value=0,
        required=False,
        max_digits=14,
        decimal_places=2,
    )
    reviewers_per_application = forms.IntegerField(
        label=_("reviewers per application"), min_value=1, max_value=15, initial=5
    )
    criteria = forms.CharField(
        label=_("review criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="技术创新性,0.4,100\n实施方案可行性,0.3,100\n经济社会效益,0.3,100",
        help_text=_("One per line: name, weight, maximum score."),
    )

    def clean_required_attachments(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["required_attachments"].splitlines()
            if line.strip()
        ]

    def clean_criteria(self) -> list[dict[str, Any]]:
        result = []
        for number, (name, weight, maximum, *_rest) in enumerate(
            _rows(self.cleaned_data["criteria"], 3, _("review criteria")), 1
        ):
            try:
                result.append(
                    {"name": name, "weight": Decimal(weight), "max_score": int(maximum)}
                )
            except (InvalidOperation, ValueError):
                raise forms.ValidationError(
                    _("Line %(n)d: weight and maximum score are numbers.")
                    % {"n": number}
                ) from None
        return result


def _budget_lines_help() -> str:
    # Built when shown, so the categories are in the reader's language.
    return _("One per line: category, amount in yuan, note. Categories: %(c)s") % {
        "c": "、".join(str(label) for _value, label in BudgetLine.Category.choices)
    }


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("project title"), max_length=200)
    summary = forms.CharField(
        label=_("summary"), widget=forms.Textarea(attrs={"rows": 3})
    )
    content = forms.CharField(
        label=_("project content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    field = forms.ModelChoiceField(
        label=_("professional field"),
        queryset=ProfessionalField.objects.choices(),
        to_field_name="code",
        required=False,
        empty_label="—",
        help_text=_("Reviewers are drawn from experts in this field."),
    )
    requested_amount = forms.DecimalField(
        label=_("requested amount"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text=_("In yuan."),
    )
    budget_lines = forms.CharField(
        label=_("budget lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=lazy(_budget_lines_help, str)(),
    )
    team_members = forms.CharField(
        label=_("team members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, organisation, role in the project."),
    )

    def clean_budget_lines(self) -> list[dict[str, Any]]:
        labels = {str(label): value for value, label in BudgetLine.Category.choices}
        lines = []
        for number, (category, amount, *rest) in enumerate(
            _rows(self.cleaned_data["budget_lines"], 2, _("budget lines")), 1
        ):
            code = labels.get(category, category)
            if code not in BudgetLine.Category.values:
                raise forms.ValidationError(
                    _("Line %(n)d: unknown category %(c)s.")
                    % {"n": number, "c": category}
                )
            lines.append(
                {
                    "category": code,
                    "amount": _money(amount, number),
                    "note": ",".join(rest)[:200],
                }
            )
        return lines

    def clean_team_members(self) -> list[dict[str, Any]]:
        rows = _rows(self.cleaned_data["team_members"], 1, _("team members"))
        return [
            {
                "name": r[0][:100],
                "organisation": (r[1] if len(r) > 1 else "")[:200],
                "role": (r[2] if len(r) > 2 else "")[:100],
            }
            for r in rows
        ]

    @staticmethod
    def initial_for(app: Application) -> dict[str, Any]:
        return {
            "title": app.title,
            "summary": app.summary,
            "content": app.content,
            "field": app.field.code if app.field else None,
            "requested_amount": app.requested_amount,
            "budget_lines": "\n".join(
                f"{b.get_category_display()},{b.amount},{b.note}"
                for b in app.budget_lines.all()
            ),
            "team_members": "\n".join(
                f"{m.name},{m.organisation},{m.role}" for m in app.team_members.all()
            ),
        }


class ContractForm(forms.Form):
    number = forms.CharField(label=_("contract number"), max_length=50, required=False)
    start_on = forms.DateField(
        label=_("start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_on = forms.DateField(
        label=_("end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_on = forms.DateField(
        label=_("signed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deliverables = forms.CharField(
        label=_("deliverables"), widget=forms.Textarea(attrs={"rows": 3})
    )
    milestones = forms.CharField(
        label=_("milestones"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: title, due date (YYYY-MM-DD), tranche in yuan, deliverable."
        ),
    )

    def clean_milestones(self) -> list[dict[str, Any]]:
        result = []
        for number, (title, due, amount, *rest) in enumerate(
            _rows(self.cleaned_data["milestones"], 3, _("milestones")), 1
        ):
            try:
                due_on = date.fromisoformat(due)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)d: %(v)s is not a date.") % {"n": number, "v": due}
                ) from None
            result.append(
                {
                    "title": title[:200],
                    "due_on": due_on,
                    "amount": _money(amount, number),
                    "deliverable": ",".join(rest)[:300],
                }
            )
        return result
