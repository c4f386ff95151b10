"""How the pages tell the user that a service refused (messages framework)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from bureau.lib.exceptions import ApplicationError


def error_text(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def report_error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, error_text(exc))
