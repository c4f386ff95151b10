from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from bureau.models import Deadline, LineOfWork, OrgUnit, Role, Task, User
from bureau.services import login_locked_until

AUDITED_APPS = {"bureau", "enterprises", "projects", "indicators", "talent"}


class LoginForm(AuthenticationForm):
    """The same message for an unknown user and a wrong password; a locked
    username (known or not) is told to wait."""

    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("Wrong username or password."),
        "locked": _(
            "Too many failed logins: this account is locked. Try again later or "
            "ask the security administrator."
        ),
    }

    def clean(self):  # type: ignore[no-untyped-def]
        try:
            return super().clean()
        except forms.ValidationError:
            username = self.cleaned_data.get("username") or ""
            if username and login_locked_until(username=username) is not None:
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked"
                ) from None
            raise


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("action"), required=False)
    actor = forms.CharField(label=_("actor username"), required=False)
    object_type = forms.ChoiceField(label=_("object type"), required=False)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from bureau.audit import ACTION_LABELS

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + [
            (code, label) for code, label in ACTION_LABELS.items()
        ]
        self.fields["object_type"].choices = [("", _("All"))] + [
            (model._meta.label_lower, model._meta.verbose_name)
            for model in apps.get_models()
            if model._meta.app_label in AUDITED_APPS
        ]


# --- The password lifecycle (bureau/passwords.py) ------------------------------


class PasswordChangeForm(forms.Form):
    """Change one's own password: the current one, the new one twice. The
    policy (length, classes, history) runs in the service."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        from django.contrib.auth.password_validation import (
            password_validators_help_texts,
        )

        # Each help text is a sentence of its own (ending in 。 in Chinese).
        self.fields["new_password1"].help_text = "".join(
            password_validators_help_texts()
        )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class PasswordResetSetForm(SetPasswordForm):
    """Django's form of the reset link's page, saving through the service so
    the change is stamped, kept in the history and audited."""

    def save(self, commit: bool = True):  # type: ignore[no-untyped-def]
        from bureau.passwords import password_reset

        return password_reset(
            user=self.user, password=self.cleaned_data["new_password1"]
        )


class OtpForm(forms.Form):
    """The second step of a login: a 6-digit code or a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Username or name"), required=False)
    role = forms.ChoiceField(label=_("role"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Enabled")), ("disabled", _("Disabled"))],
    )
    locked = forms.BooleanField(label=_("Locked"), required=False)
    dormant = forms.BooleanField(label=_("Dormant"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All")), *Role.choices]  # type: ignore[attr-defined]


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=100)
    role = forms.ChoiceField(label=_("role"))
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), required=False
    )
    email = forms.EmailField(label=_("e-mail"), required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from bureau.models import Role
        from bureau.selectors import org_unit_list

        super().__init__(*args, **kwargs)
        # An enterprise user is linked to an enterprise by its registration.
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *[(v, label) for v, label in Role.choices if v != Role.ENTERPRISE],
        ]
        self.fields["org_unit"].queryset = org_unit_list()  # type: ignore[attr-defined]


# --- Tasks (任务督办) and the deadline calendar (工作日历) -----------------------


class TaskFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Task, document number or issuer"), required=False, max_length=100
    )
    status = forms.ChoiceField(label=_("status"), required=False)
    owner_kind = forms.ChoiceField(label=_("owner type"), required=False)
    line_of_work = forms.ChoiceField(label=_("line of work"), required=False)
    org_unit = forms.TypedChoiceField(
        label=_("owning street"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(
        label=_("received in"), required=False, coerce=int, empty_value=None
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    open = forms.BooleanField(label=_("Unfinished only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from django.utils import timezone

        from bureau.permissions import has_role

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        self.fields["status"].choices = [every, *Task.Status.choices]  # type: ignore[attr-defined]
        self.fields["owner_kind"].choices = [every, *Task.OwnerKind.choices]  # type: ignore[attr-defined]
        self.fields["line_of_work"].choices = [every, *LineOfWork.choices]  # type: ignore[attr-defined]
        units = OrgUnit.objects.filter(level__in=["street", "park"], is_active=True)
        if has_role(user, Role.STREET_LIAISON):
            units = units.filter(pk=user.org_unit_id or 0)
        if has_role(user, Role.ENTERPRISE):
            units = units.none()
        self.fields["org_unit"].choices = [every, *((u.pk, u.name) for u in units)]  # type: ignore[attr-defined]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            every,
            *((str(y), f"{y}年") for y in range(this_year + 1, this_year - 5, -1)),
        ]

    def to_filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)
        }


class TaskForm(forms.ModelForm):
    """Assign a task. The owner is one of four kinds; the enterprise is named
    by its credit code or full name (the registry is too long for a list)."""

    owner_section = forms.ChoiceField(label=_("owning section"), required=False)
    owner_enterprise_name = forms.CharField(
        label=_("owning enterprise (credit code or full name)"),
        required=False,
        max_length=200,
    )

    class Meta:
        model = Task
        fields = [
            "title",
            "document_number",
            "issued_by",
            "received_on",
            "line_of_work",
            "owner_kind",
            "owner_section",
            "owner_unit",
            "owner_user",
            "due_on",
            "description",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["owner_section"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((s, s) for s in settings.TASK_SECTIONS),
        ]
        self.fields["owner_unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            level__in=["street", "park"], is_active=True
        )
        self.fields["owner_user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True,
            role__in=[Role.STAFF, Role.SECTION_HEAD, Role.LEADER, Role.STREET_LIAISON],
        ).order_by("role", "full_name", "username")
        self.fields["owner_user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.display_name}（{u.get_role_display()}）"
        )
        self.order_fields([*self.Meta.fields[:9], "owner_enterprise_name"])

    def clean(self) -> dict[str, Any]:
        from bureau.services.tasks import enterprise_named

        data = super().clean() or {}
        if data.get("owner_kind") == Task.OwnerKind.ENTERPRISE:
            name = data.get("owner_enterprise_name", "")
            enterprise = enterprise_named(name)
            if enterprise is None:
                self.add_error(
                    "owner_enterprise_name",
                    _("No enterprise has this credit code or full name.")
                    if name
                    else _("Choose who owns the task."),
                )
            else:
                self.instance.owner_enterprise = enterprise
        return data

    def _update_errors(self, errors: Any) -> None:
        """The model's error about the enterprise goes beside the name field
        (once: the form's own message about it comes first)."""
        found = getattr(errors, "error_dict", {}).pop("owner_enterprise", None)
        if found and "owner_enterprise_name" not in self.errors:
            errors.error_dict["owner_enterprise_name"] = found
        super()._update_errors(errors)  # type: ignore[misc]


class TaskNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class TaskCompleteForm(forms.Form):
    result = forms.CharField(
        label=_("result"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    attachment_name = forms.CharField(
        label=_("attachment name"), required=False, max_length=200
    )
    attachment_text = forms.CharField(
        label=_("attachment text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TaskUploadForm(forms.Form):
    file = forms.FileField(label=_("Tasks (.xlsx)"))


class CalendarFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False)
    line_of_work = forms.ChoiceField(label=_("line of work"), required=False)
    q = forms.CharField(label=_("name"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.utils import timezone

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (str(y), f"{y}年") for y in range(this_year + 1, this_year - 3, -1)
        ]
        self.fields["year"].initial = this_year
        self.fields["line_of_work"].choices = [("", _("All")), *LineOfWork.choices]  # type: ignore[attr-defined]

    def to_filters(self) -> dict[str, Any]:
        from django.utils import timezone

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "year": data.get("year") or timezone.localdate().year,
            "line_of_work": data.get("line_of_work") or "",
            "q": data.get("q") or "",
        }


class DeadlineForm(forms.ModelForm):
    remind_roles = forms.MultipleChoiceField(
        label=_("roles reminded"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Deadline
        fields = [
            "name",
            "rule",
            "month",
            "day",
            "line_of_work",
            "remind_roles",
            "remind_sections",
            "lead_days",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["remind_roles"].choices = [  # type: ignore[attr-defined]
            (r.value, r.label) for r in Deadline.REMINDED_ROLES
        ]


class DeadlineDateForm(forms.Form):
    """One year's date; a row left empty (or cleared) is no date."""

    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, required=False
    )
    date = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, day = data.get("year"), data.get("date")
        if year and not day:
            self.add_error("date", _("Give the date of that year."))
        elif day and not year:
            data["year"] = day.year
        elif year and day and day.year != year:
            self.add_error("date", _("The date is not in that year."))
        return data


DeadlineDateFormSet = forms.formset_factory(DeadlineDateForm, extra=2)
