from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from bureau.lib.request_context import client_ip, current_ip


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
