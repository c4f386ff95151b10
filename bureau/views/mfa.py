"""Two-factor login and the user's own account page (sessions, tokens)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.forms import LoginForm
from bureau.lib.feedback import reported
from bureau.lib.request_context import current_ip
from bureau.lib.types import AuthedRequest
from bureau.models import User

MFA_PENDING = "_mfa_pending"


def mfa_pending_start(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After a right password, remember who is logging in (not logged in yet)
    and send them to the code step, or to enrolment if they have no device."""
    import time

    from bureau.mfa import mfa_enrolled

    request.session[MFA_PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "at": time.time(),
        "next": next_url,
    }
    return redirect("login-otp" if mfa_enrolled(user) else "mfa-enrol")


def _mfa_pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    import time

    pending = request.session.get(MFA_PENDING) or {}
    if not pending or time.time() - pending["at"] > settings.MFA_PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _mfa_login(request: HttpRequest, user: User, pending: dict[str, Any]) -> None:
    from django.contrib.auth import login

    from bureau.services import login_success_record
    from bureau.sessions import MFA_OK

    request.session.pop(MFA_PENDING, None)
    login(request, user, backend=pending["backend"] or None)
    request.session[MFA_OK] = True
    login_success_record(user=user)


def _mfa_refused(request: HttpRequest, user: User) -> HttpResponse | None:
    """Back to the login page once the username is locked."""
    from bureau.services import login_locked_until

    if login_locked_until(username=user.get_username()) is None:
        return None
    request.session.pop(MFA_PENDING, None)
    messages.error(request, LoginForm.error_messages["locked"])
    return redirect("login")


@login_not_required
def login_otp(request: HttpRequest) -> HttpResponse:
    """The second step of a login: the code of the authenticator app or a
    recovery code. The session is logged in only once the code is right."""
    from bureau.forms import OtpForm
    from bureau.mfa import mfa_check

    user, pending = _mfa_pending_user(request)
    if user is None:
        messages.info(request, _("Enter your username and password again."))
        return redirect("login")
    refused = _mfa_refused(request, user)
    if refused is not None:
        return refused
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa_check(user=user, code=form.cleaned_data["code"]):
            _mfa_login(request, user, pending)
            return redirect(pending["next"] or settings.LOGIN_REDIRECT_URL)
        refused = _mfa_refused(request, user)
        if refused is not None:
            return refused
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "bureau/mfa_verify.html", {"form": form, "who": user})


@login_not_required
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """First login of a role with two-factor login: scan the QR code, confirm
    with a code, note the ten recovery codes (shown once)."""
    from bureau.forms import OtpForm
    from bureau.lib.exceptions import ApplicationError
    from bureau.mfa import (
        mfa_enrol_confirm,
        mfa_enrol_start,
        mfa_enrolled,
        qr_svg,
        secret_base32,
    )
    from bureau.services import login_failure_record

    user, pending = _mfa_pending_user(request)
    if user is None:
        messages.info(request, _("Enter your username and password again."))
        return redirect("login")
    if mfa_enrolled(user):
        return redirect("login-otp")
    refused = _mfa_refused(request, user)
    if refused is not None:
        return refused
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa_enrol_confirm(user=user, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            login_failure_record(
                username=user.get_username(), ip_address=current_ip.get()
            )
            refused = _mfa_refused(request, user)
            if refused is not None:
                return refused
            form.add_error("code", exc.message)
        else:
            _mfa_login(request, user, pending)
            return render(
                request,
                "bureau/mfa_recovery.html",
                {
                    "codes": codes,
                    "next": pending["next"] or reverse(settings.LOGIN_REDIRECT_URL),
                },
            )
    device = mfa_enrol_start(user=user)
    return render(
        request,
        "bureau/mfa_enrol.html",
        {
            "form": form,
            "who": user,
            "qr": mark_safe(qr_svg(device.config_url)),  # noqa: S308 (segno's SVG)
            "secret": secret_base32(device),
        },
    )


def mfa_user_list(request: AuthedRequest) -> HttpResponse:
    """The security administrator's list of who uses two-factor login."""
    from bureau.mfa import mfa_user_rows
    from bureau.permissions import can_reset_mfa

    if not can_reset_mfa(request.user):
        raise PermissionDenied
    page = Paginator(mfa_user_rows(), 50).get_page(request.GET.get("page"))
    return render(request, "bureau/mfa_users.html", {"page": page})


@require_POST
def mfa_user_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    from bureau.lib.confirm import confirmation_page, needs_confirmation
    from bureau.mfa import mfa_reset
    from bureau.permissions import can_reset_mfa

    if not can_reset_mfa(request.user):
        raise PermissionDenied
    target = get_object_or_404(User, pk=pk)
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Reset two-factor login"),
            subject=f"{target.display_name}（{target.username}）",
            cancel_url=reverse("mfa-user-list"),
            warnings=[
                _(
                    "The authenticator and recovery codes are removed and every "
                    "session and API token of this user ends; they set up a new "
                    "authenticator at their next login."
                )
            ],
            button=_("Reset"),
        )
    with reported(
        request,
        _(
            "Two-factor login of %(name)s is reset; they set it up again at the next login."
        )
        % {"name": target.display_name},
    ):
        mfa_reset(user=target, by=request.user)
    return redirect("mfa-user-list")


def account(request: AuthedRequest) -> HttpResponse:
    """The user's own page: who they are, where they are signed in."""
    from bureau.mfa import mfa_enrolled, mfa_required
    from bureau.sessions import user_session_list, user_token_list

    return render(
        request,
        "bureau/account.html",
        {
            "me": request.user,
            "mfa_on": mfa_required(request.user),
            "mfa_enrolled": mfa_enrolled(request.user),
            "sessions": user_session_list(user=request.user),
            "current_key": request.session.session_key,
            "tokens": user_token_list(user=request.user),
        },
    )


@require_POST
def account_session_end(request: AuthedRequest, pk: int) -> HttpResponse:
    from bureau.sessions import session_end, user_session_list

    row = get_object_or_404(user_session_list(user=request.user), pk=pk)
    if row.key == request.session.session_key:
        from django.contrib.auth import logout

        logout(request)
        messages.success(request, _("You have logged out of this browser."))
        return redirect("login")
    where = row.ip_address or _("an unknown address")
    with reported(
        request,
        _("The session signed in at %(time)s from %(where)s has ended.")
        % {
            "time": timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
            "where": where,
        },
    ):
        session_end(user=request.user, row=row, by=request.user)
    return redirect("account")


@require_POST
def account_token_end(request: AuthedRequest) -> HttpResponse:
    from bureau.sessions import token_end

    digest = request.POST.get("digest", "")
    prefix = request.POST.get("prefix", "")[:8]
    if not token_end(user=request.user, digest=digest, by=request.user):
        raise Http404
    messages.success(
        request, _("The API token %(prefix)s… is revoked.") % {"prefix": prefix}
    )
    return redirect("account")


@require_POST
def account_recovery_codes(request: AuthedRequest) -> HttpResponse:
    """Ten new recovery codes for the user's own authenticator (the old ones
    stop working), shown once."""
    from bureau.lib.confirm import confirmation_page, needs_confirmation
    from bureau.lib.exceptions import ApplicationError
    from bureau.mfa import mfa_recovery_codes_renew

    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("New recovery codes"),
            subject=request.user.display_name,
            cancel_url=reverse("account"),
            warnings=[_("Your current recovery codes will stop working.")],
            button=_("Issue new codes"),
        )
    try:
        codes = mfa_recovery_codes_renew(user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("account")
    return render(
        request,
        "bureau/mfa_recovery.html",
        {"codes": codes, "next": reverse("account"), "renewed": True},
    )
