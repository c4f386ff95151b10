"""Pages of the bureau app: login, each role's home, lockouts, notifications, the error pages."""

from __future__ import annotations

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
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bureau.forms import LoginForm
from bureau.lib.feedback import reported
from bureau.lib.types import AuthedRequest
from bureau.models import Notification, User
from bureau.permissions import can_unlock_accounts
from bureau.selectors import (
    login_throttle_locked_list,
    notification_list,
)
from bureau.services import (
    account_unlock,
    notification_mark_read,
)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "bureau/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        # A role with two-factor login is not logged in yet: the code step is.
        from bureau.mfa import mfa_required
        from bureau.views.mfa import mfa_pending_start

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
