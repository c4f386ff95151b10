"""Pages of the bureau app: login, each role's home, lockouts, audit log."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.audit import audit_rows
from bureau.forms import AuditFilterForm, LoginForm
from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.models import Notification
from bureau.permissions import can_unlock_accounts, can_view_audit_log
from bureau.selectors import (
    audit_event_list,
    login_throttle_locked_list,
    notification_list,
)
from bureau.services import account_unlock, notification_mark_read


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "bureau/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request: AuthedRequest) -> HttpResponse:
    """Each role's home: its work queues and shortcuts."""
    from bureau.home import home_context, home_templates

    return render(
        request, home_templates(user=request.user), home_context(user=request.user)
    )


def lockout_list(request: AuthedRequest) -> HttpResponse:
    if not can_unlock_accounts(request.user):
        raise PermissionDenied
    return render(
        request, "bureau/lockouts.html", {"locked": login_throttle_locked_list()}
    )


@require_POST
def lockout_unlock(request: AuthedRequest) -> HttpResponse:
    if not can_unlock_accounts(request.user):
        raise PermissionDenied
    username = request.POST.get("username", "")
    with reported(request, _("%(username)s is unlocked.") % {"username": username}):
        account_unlock(username=username, by=request.user)
    return redirect("lockout-list")


def audit_log(request: AuthedRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(audit_event_list(filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bureau/audit_log.html",
        {"form": form, "page": page, "rows": audit_rows(page.object_list)},
    )


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
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Not found."), "not_found")


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Server error."), "server_error")


def _error(request: HttpRequest, status: int, detail: str, code: str) -> HttpResponse:
    """The API's JSON error body under /api/, else the `<status>.html` page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail, "code": code},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, f"{status}.html", status=status)


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
