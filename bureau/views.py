"""Pages of the bureau app: login, each role's home, lockouts, audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.audit import audit_rows
from bureau.audit_chain import chain_state
from bureau.exports import audit_events_xlsx
from bureau.forms import AuditFilterForm, LoginForm
from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.lib.xlsx import xlsx_response_headers
from bureau.models import Notification, User
from bureau.permissions import can_unlock_accounts, can_view_audit_log
from bureau.selectors import (
    audit_event_list,
    login_throttle_locked_list,
    notification_list,
)
from bureau.services import (
    account_unlock,
    audit_export_record,
    notification_mark_read,
)
from bureau.tasks import audit_chain_verify


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "bureau/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        # A role with two-factor login is not logged in yet: the code step is.
        from bureau.mfa import mfa_required

        user = form.get_user()
        if mfa_required(user):
            return mfa_pending_start(self.request, user, self.get_success_url())
        return super().form_valid(form)


def home(request: AuthedRequest) -> HttpResponse:
    """Each role's home: its work queues and shortcuts."""
    from bureau.home import home_context, home_templates

    return render(
        request, home_templates(user=request.user), home_context(user=request.user)
    )


def lockout_list(request: AuthedRequest) -> HttpResponse:
    if not can_unlock_accounts(request.user):
        raise PermissionDenied
    locked = list(login_throttle_locked_list())
    # The person behind each locked username, so the officer knows whom to call.
    names = dict(
        User.objects.filter(
            username__in=[throttle.username for throttle in locked]
        ).values_list("username", "full_name")
    )
    for throttle in locked:
        throttle.person = names.get(throttle.username, "")  # type: ignore[attr-defined]
    return render(request, "bureau/lockouts.html", {"locked": locked})


@require_POST
def lockout_unlock(request: AuthedRequest) -> HttpResponse:
    if not can_unlock_accounts(request.user):
        raise PermissionDenied
    username = request.POST.get("username", "")
    person = (
        User.objects.filter(username=username)
        .values_list("full_name", flat=True)
        .first()
    )
    who = f"{person}（{username}）" if person else username
    with reported(
        request,
        _("The account %(who)s is unlocked; they can log in again.") % {"who": who},
    ):
        account_unlock(username=username, by=request.user)
    return redirect("lockout-list")


def audit_log(request: AuthedRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET.get("privileged") == "1":  # the auditor's home queue
        filters = {**filters, "privileged": "1"}
    page = Paginator(audit_event_list(filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bureau/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": audit_rows(page.object_list),
            "chain": chain_state(),
            "export_query": request.GET.urlencode(),
        },
    )


def audit_export(request: AuthedRequest) -> HttpResponse:
    """The filtered audit trail in Excel (newest first, at most
    AUDIT_EXPORT_MAX_ROWS rows); the export is itself audited."""
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    limit = settings.AUDIT_EXPORT_MAX_ROWS
    events = audit_event_list(filters=filters).select_related("actor")[:limit]
    content = audit_events_xlsx(events)
    audit_export_record(by=request.user, filters=filters)
    name = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    return HttpResponse(content, headers=xlsx_response_headers(name))


@require_POST
def audit_verify_start(request: AuthedRequest) -> HttpResponse:
    """Check the whole SM3 chain now (a Celery task; at once under make run)."""
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    result = audit_chain_verify.delay()
    if result.ready():
        state = chain_state()
        if state is not None and state.broken_event_id is None:
            messages.success(
                request,
                _("The audit chain is intact: %(n)d events verified.")
                % {"n": state.verified_count},
            )
        else:
            messages.error(
                request,
                _(
                    "The audit chain is broken at event %(id)s: tell the security administrator."
                )
                % {"id": state.broken_event_id if state else "?"},
            )
    else:
        messages.info(
            request, _("Verification started; refresh this page in a minute.")
        )
    return redirect("audit-log")


def notifications(request: AuthedRequest) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "bureau/notifications.html", {"page": page})


@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(notification=notification)
    return redirect(notification.url or "notification-list")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the
    static icon (a missing icon is a console error on every page). Not a
    permanent redirect: the static name changes with each release."""
    return HttpResponseRedirect(static("favicon.ico"))


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@login_not_required
def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(request, 400, _("Bad request."), "bad_request")


@login_not_required
def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(
        request,
        403,
        _("You do not have permission to perform this action."),
        "permission_denied",
    )


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent from a stale page (or another site)."""
    return _error(
        request,
        403,
        _("The form has expired. Reload the page and send it again."),
        "csrf_failed",
        template="403_csrf.html",
    )


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # The page in the site's layout when it can be drawn; what failed may be
    # what the layout needs (the database behind the menu), so fall back to
    # the template without the request, then to plain text.
    try:
        return _error(request, 500, _("Server error."), "server_error")
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        pass
    body: str
    try:
        body = loader.render_to_string("500.html")
    except Exception:  # noqa: BLE001
        body = "<!DOCTYPE html><title>服务器错误</title><h1>服务器错误</h1>"
    return HttpResponseServerError(body)


def _error(
    request: HttpRequest,
    status: int,
    detail: str,
    code: str,
    *,
    template: str | None = None,
) -> HttpResponse:
    """The API's JSON error body under /api/, else the `<status>.html` page in
    the site's layout (marked, so the DEBUG 404 page does not replace it)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail, "code": code},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    response = render(request, template or f"{status}.html", status=status)
    response.site_error_page = True  # type: ignore[attr-defined]
    return response


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


# --- Two-factor login, the user's own account (issue 11 §4–5) ---------------

from typing import Any  # noqa: E402

from django.http import Http404  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402

from bureau.lib.request_context import current_ip  # noqa: E402

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
