"""How the pages tell the user that a service refused (messages framework)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from bureau.lib.exceptions import ApplicationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def error_text(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def report_error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, error_text(exc))


@contextmanager
def reported(
    request: HttpRequest, success: StrOrPromise | None = None
) -> Iterator[None]:
    """Run a button's service call: when the service refuses (a business rule,
    bad input) the page says why instead of failing; when it succeeds, it says
    `success`. A message that needs the service's result is added inside the
    block, after the call."""
    try:
        yield
    except (ApplicationError, ValidationError) as exc:
        report_error(request, exc)
    else:
        if success is not None:
            messages.success(request, success)
