from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from bureau.lib.request_context import (
    client_ip,
    current_ip,
    current_request_id,
    request_id_from,
)


class RequestIdMiddleware:
    """First in MIDDLEWARE: give the request its id (the proxy's X-Request-ID,
    or a new one) for the log lines and the tasks it queues, answer with it
    in X-Request-ID, and time the request for /metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        from bureau import metrics

        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        match = getattr(request, "resolver_match", None)
        metrics.observe_request(
            view=match.view_name if match else "",
            method=request.method or "",
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        response["X-Request-ID"] = request_id
        return response


class ReplicaReadsMiddleware:
    """Serve the reads of dashboards, reports and Excel exports from the read
    replica when there is one (bureau/lib/routers.py): GET requests to the
    views named in REPLICA_READ_VIEWS, and any GET with `export=xlsx`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        args: Any,
        kwargs: Any,
    ) -> HttpResponse | None:
        from bureau.lib.routers import reading_from_replica, replica_configured

        if request.method not in ("GET", "HEAD") or not replica_configured():
            return None
        match = request.resolver_match
        wanted = (match and match.view_name in settings.REPLICA_READ_VIEWS) or (
            request.GET.get("export") == "xlsx"
        )
        if not wanted:
            return None
        with reading_from_replica():
            response = view_func(request, *args, **kwargs)
            # A template response reads its querysets while rendering.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response


class RequestContextMiddleware:
    """Remember the client's IP address for the length of the request, so
    services can write it into audit events without taking the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(
            client_ip(request, trust_forwarded=settings.TRUST_X_FORWARDED_FOR)
        )
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ApiJsonErrorsMiddleware:
    """Every error answer under /api/ is the API's JSON `{detail, code}`, also
    those Django gives before or outside a view: a CSRF refusal, an over-size
    form body (400), a handler's HTML page. Placed near the top of MIDDLEWARE
    so it sees the answers of the middleware below it."""

    # Stable codes for answers that arrive without one.
    CODES = {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        500: "server_error",
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and self.too_large(request):
            return self.as_json(HttpResponse(status=413))
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
            or request.path.startswith(("/api/docs", "/api/schema"))
            and response.status_code < 500
        ):
            return response
        return self.as_json(response)

    @staticmethod
    def too_large(request: HttpRequest) -> bool:
        """A body declared larger than the API takes: a form or JSON body over
        DATA_UPLOAD_MAX_MEMORY_SIZE, an upload over UPLOAD_MAX_BYTES (plus
        room for the form's other fields). Refused before it is read."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if request.content_type == "multipart/form-data":
            limit = settings.UPLOAD_MAX_BYTES + 1024 * 1024
        else:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return bool(limit) and length > limit

    def as_json(self, response: HttpResponse) -> HttpResponse:
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        status = response.status_code
        details = {
            400: _("The request could not be understood."),
            403: _("You do not have permission to perform this action."),
            404: _("Not found."),
            409: _(
                "Another request changed this record at the same moment; "
                "reload and try again."
            ),
            413: _("The request is too large."),
        }
        detail = details.get(status) or (
            _("Server error.") if status >= 500 else response.reason_phrase
        )
        answer = JsonResponse(
            {"detail": str(detail), "code": self.CODES.get(status, "error")},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
        for header in ("WWW-Authenticate", "Allow", "Retry-After"):
            if header in response:
                answer[header] = response[header]
        return answer


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy
    (settings.PERMISSIONS_POLICY). Referrer-Policy and Cross-Origin-Opener-
    Policy come from SecurityMiddleware, the CSP from django-csp."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault(
                "Permissions-Policy", settings.PERMISSIONS_POLICY
            )
        return response


class LockConflictPageMiddleware:
    """A page whose transaction PostgreSQL ended as a deadlock (or a
    serialization failure) with a concurrent request answers 409 "try
    again", not a server error: a race, not a fault (the API's handler does
    the same for its answers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        from django.shortcuts import render

        from bureau.lib.concurrency import is_lock_conflict, is_lock_wait_timeout

        if not is_lock_conflict(exception):
            return None
        busy = is_lock_wait_timeout(exception)
        return render(request, "409.html", {"busy": busy}, status=409)


class SiteNotFoundPageMiddleware:
    """With DEBUG on, Django answers a 404 with its technical page, which
    lists every URL pattern: show the site's own 404 page instead, unless
    DEBUG_TECHNICAL_404 asks for the technical one. JSON answers (the API)
    and the site's own error pages pass untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and settings.DEBUG
            and not settings.DEBUG_TECHNICAL_404
            and not getattr(response, "site_error_page", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            from bureau.views import not_found

            return not_found(request)
        return response


class PasswordChangeRequiredMiddleware:
    """A signed-in user whose password is temporary or expired
    (bureau.passwords.password_change_reason) is sent to the change form from
    every page but that form, logging out and static files; a session call
    to the API answers 403 `password_change_required` (token calls are
    refused by bureau.passwords.PasswordPolicyTokenAuthentication). Reads
    only the user row the session loaded. Placed after the authentication
    middleware."""

    # Paths (prefixes) a user who must change the password may still open.
    ALLOWED = (
        "/account/password/",
        "/account/reset/",
        "/logout/",
        "/login/",
        "/static/",
        "/i18n/",
        "/healthz",
        "/admin/logout/",
        "/api/v1/auth/password/",
        "/api/v1/auth/token/",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from bureau.passwords import password_change_message, password_change_reason

        reason = password_change_reason(getattr(request, "user", None))
        if reason is None or request.path.startswith(self.ALLOWED):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse(
                {
                    "detail": password_change_message(reason),
                    "code": "password_change_required",
                },
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        from django.shortcuts import redirect
        from django.utils.http import urlencode

        target = "/account/password/"
        if request.method == "GET" and request.path != "/":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


class SessionGuardMiddleware:
    """End a page session that was idle too long (SESSION_IDLE_MINUTES, or
    SESSION_IDLE_MINUTES_ADMIN for the administrators), or whose user needs a
    second factor the session never gave (e.g. a login through the admin's own
    form, which is sent to the site's login page instead). Costs no query
    except a last-seen write at most once a minute (bureau/sessions.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode
        from django.utils.translation import gettext as _

        from bureau.audit import audit
        from bureau.mfa import mfa_required
        from bureau.sessions import MFA_OK, session_idle, session_touch

        if request.path == reverse("admin:login") and settings.MFA_REQUIRED_ROLES:
            target = request.GET.get("next", reverse("admin:index"))
            return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if session_idle(request=request, user=user):  # type: ignore[arg-type]
                audit(by=user, action="session.idle_timeout", target=user)  # type: ignore[arg-type]
                logout(request)
                messages.info(
                    request, _("You were logged out after a period of inactivity.")
                )
            elif mfa_required(user) and not request.session.get(MFA_OK):
                logout(request)
            else:
                session_touch(request=request)
        return self.get_response(request)


class ApiGZipMiddleware(GZipMiddleware):
    """Gzip the JSON answers of the API (a dashboard is hundreds of KiB) and
    nothing else: HTML pages carry a CSRF token next to text a visitor can
    put on them, which compression would leak (BREACH)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path.startswith("/api/"):
            return response
        if not response.get("Content-Type", "").startswith("application/json"):
            return response
        return super().process_response(request, response)
