from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bureau.services import login_locked_until


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
    action = forms.CharField(label=_("action"), required=False)
    actor = forms.CharField(label=_("actor username"), required=False)
    object_type = forms.CharField(label=_("object type"), required=False)
