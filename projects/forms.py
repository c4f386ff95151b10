"""Forms of the project pages. Money is typed in 万元 (`WanField`, cleaned to
元). Budget lines, team members and milestones (each with its tranche) are
table editors: a formset per table, rows added, removed and pasted from Excel
in place by static/js/table-editor.js; the services still take lists of
dicts. Review criteria stay one per line, comma-separated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from bureau.lib.forms import WanField
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
    budget_ceiling = WanField(label=_("budget ceiling"), min_wan=0, max_yuan_digits=14)
    max_request = WanField(
        label=_("most one application may request"),
        min_wan=0,
        required=False,
        max_yuan_digits=14,
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


# --- Table editors ---------------------------------------------------------


class TableFormSet(BaseFormSet):  # type: ignore[type-arg]
    """A table the user edits in place. Every row is a new row (the service
    replaces the whole list), so a blank row is skipped wherever it stands
    and the management form's INITIAL_FORMS is always 0. `label` names the
    table in the error summary; `sum_field` is the column the page totals."""

    label: ClassVar[Any] = ""
    sum_field: ClassVar[str | None] = None
    # True when the POST carried no such table at all (a client that does
    # not send it): the service is then told to leave the list as it is.
    absent: bool = False

    def initial_form_count(self) -> int:
        return 0

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        kwargs.setdefault("empty_permitted", True)
        kwargs.setdefault("use_required_attribute", False)
        form: forms.Form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        return form

    def rows(self) -> list[dict[str, Any]]:
        """The filled rows, as the services take them."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]

    def rows_or_none(self) -> list[dict[str, Any]] | None:
        return None if self.absent else self.rows()

    def total(self) -> Decimal:
        if not self.sum_field or not self.is_bound or not self.is_valid():
            return Decimal(0)
        return sum((row[self.sum_field] for row in self.rows()), Decimal(0))

    def add_table_error(self, error: Any) -> None:
        """An error of the whole table (e.g. the tranches do not add up)."""
        self.non_form_errors().append(error)

    def row_errors(self) -> list[str]:
        """ "第2行 金额：…" for the summary at the top of the page."""
        out: list[str] = []
        if not self.is_bound:
            return out
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    out.append(
                        str(
                            _("Row %(n)d, %(field)s: %(error)s")
                            % {"n": number, "field": label, "error": error}
                        )
                    )
        out.extend(str(e) for e in self.non_form_errors())
        return out


def table_formset(
    form_class: type[forms.Form],
    *,
    prefix: str,
    label: Any,
    data: Any = None,
    initial: list[dict[str, Any]] | None = None,
    sum_field: str | None = None,
) -> TableFormSet:
    """A bound table (from the POST) or one filled from `initial` with one
    blank row to start from."""
    extra = 0 if data is not None else max(len(initial or []), 0) + 1
    cls = cast(
        "type[TableFormSet]",
        formset_factory(form_class, formset=TableFormSet, extra=extra),
    )
    cls.label = label
    cls.sum_field = sum_field
    if data is not None:
        absent = f"{prefix}-TOTAL_FORMS" not in data
        if absent:
            data = {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        table: TableFormSet = cls(data, prefix=prefix)
        table.absent = absent
        return table
    return cls(initial=initial or None, prefix=prefix)


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(
        label=_("category"),
        choices=[("", "—"), *BudgetLine.Category.choices],
    )
    amount = WanField(label=_("amount"), min_wan=0, max_yuan_digits=14)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("member name"), max_length=100)
    organisation = forms.CharField(
        label=_("organisation"), max_length=200, required=False
    )
    role = forms.CharField(
        label=_("role in the project"), max_length=100, required=False
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200)
    due_on = forms.DateField(
        label=_("due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = WanField(label=_("tranche amount"), min_wan=0, max_yuan_digits=14)
    deliverable = forms.CharField(
        label=_("deliverable"), max_length=300, required=False
    )


def budget_formset(
    data: Any = None, initial: list[dict[str, Any]] | None = None
) -> TableFormSet:
    return table_formset(
        BudgetLineForm,
        prefix="budget",
        label=_("budget lines"),
        data=data,
        initial=initial,
        sum_field="amount",
    )


def team_formset(
    data: Any = None, initial: list[dict[str, Any]] | None = None
) -> TableFormSet:
    return table_formset(
        TeamMemberForm,
        prefix="team",
        label=_("team members"),
        data=data,
        initial=initial,
    )


def milestone_formset(
    data: Any = None, initial: list[dict[str, Any]] | None = None
) -> TableFormSet:
    return table_formset(
        MilestoneForm,
        prefix="milestones",
        label=_("milestones and tranches"),
        data=data,
        initial=initial,
        sum_field="amount",
    )


def form_error_summary(form: forms.Form | None, *tables: TableFormSet) -> list[str]:
    """Every error of a page's form and its tables, each named by its field
    (and row), for the summary at the top of the form."""
    out: list[str] = []
    if form is not None and form.is_bound:
        for name, errors in form.errors.items():
            if name not in form.fields:
                continue  # non-field errors stand at the top of the form already
            label = form.fields[name].label
            out.extend(f"{label}：{error}" for error in errors)
    for table in tables:
        out.extend(f"{table.label} {e}" for e in table.row_errors())
    return out


# --- Applications ------------------------------------------------------------


class ApplicationForm(forms.Form):
    """The application's own fields; its budget lines and team are the
    tables `budget_formset` and `team_formset` beside it."""

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
    requested_amount = WanField(
        label=_("requested amount"), min_wan="0.000001", max_yuan_digits=14
    )

    @staticmethod
    def initial_for(app: Application) -> dict[str, Any]:
        return {
            "title": app.title,
            "summary": app.summary,
            "content": app.content,
            "field": app.field.code if app.field else None,
            "requested_amount": app.requested_amount,
        }

    @staticmethod
    def lines_for(app: Application) -> list[dict[str, Any]]:
        return [
            {"category": b.category, "amount": b.amount, "note": b.note}
            for b in app.budget_lines.all()
        ]

    @staticmethod
    def team_for(app: Application) -> list[dict[str, Any]]:
        return [
            {"name": m.name, "organisation": m.organisation, "role": m.role}
            for m in app.team_members.all()
        ]


class ApprovalForm(forms.Form):
    """The section head's decision to fund: the amount in 万元."""

    approved_amount = WanField(
        label=_("approved amount"), min_wan="0.000001", max_yuan_digits=14
    )


class ContractForm(forms.Form):
    """任务书; its milestones (each with the tranche paid after it) are the
    table `milestone_formset`."""

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
