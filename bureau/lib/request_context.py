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


# The id of the request (or of the task a request queued), carried into every
# log line and into the Celery tasks the request queues (bureau/lib/logs.py).
current_request_id: ContextVar[str | None] = ContextVar(
    "current_request_id", default=None
)

_REQUEST_ID_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:"
)


def request_id_from(header: str | None) -> str:
    """The proxy's X-Request-ID when it is a short plain token (nginx's
    $request_id is 32 hex digits), else a new random id: a client cannot
    write arbitrary text into the logs through it."""
    import uuid

    if header and len(header) <= 64 and set(header) <= _REQUEST_ID_CHARS:
        return header
    return uuid.uuid4().hex
