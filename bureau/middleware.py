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
