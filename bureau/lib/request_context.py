from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from django.http import HttpRequest

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request: HttpRequest, *, trust_forwarded: bool = False) -> str | None:
    """The client's address: REMOTE_ADDR, or the first X-Forwarded-For hop when
    the deployment says a proxy sets it. Anything unparsable is dropped."""
    raw = request.META.get("REMOTE_ADDR", "")
    if trust_forwarded:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None
