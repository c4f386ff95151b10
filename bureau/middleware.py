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
