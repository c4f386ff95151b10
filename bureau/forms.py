from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

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
