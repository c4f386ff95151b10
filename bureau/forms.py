from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from bureau.models import OrgUnit
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
        from bureau.models import Role

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
