"""Changing one's own password (bureau/passwords.py)."""

from __future__ import annotations

from django.http import (
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bureau.lib.types import AuthedRequest

# --- The password lifecycle (bureau/passwords.py) ------------------------------


def password_change(request: AuthedRequest) -> HttpResponse:
    """Change one's own password; also where a temporary or expired password
    sends the user (bureau.middleware.PasswordChangeRequiredMiddleware)."""
    from django.contrib import messages
    from django.contrib.auth import update_session_auth_hash
    from django.core.exceptions import ValidationError
    from django.utils.http import url_has_allowed_host_and_scheme

    from bureau.forms import PasswordChangeForm
    from bureau.passwords import (
        password_change as password_change_service,
    )
    from bureau.passwords import (
        password_change_message,
        password_change_reason,
        password_expires_at,
    )

    reason = password_change_reason(request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = ""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change_service(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(
                    "new_password1" if field == "new_password" else field, errors
                )
        else:
            update_session_auth_hash(request, request.user)
            messages.success(
                request,
                _("Your password is changed; use the new one from now on."),
            )
            return redirect(next_url or "home")
    return render(
        request,
        "bureau/password_change.html",
        {
            "form": form,
            "next": next_url,
            "reason_message": password_change_message(reason) if reason else "",
            "expires_at": password_expires_at(request.user),
        },
    )
