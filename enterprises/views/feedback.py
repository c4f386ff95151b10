"""How the pages tell the user what a service did (messages framework)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from bureau.lib.exceptions import ApplicationError


def run_and_report(
    request: HttpRequest, call: Callable[[], object], *, success: str
) -> bool:
    """Run `call` (one service call): flash `success`, or the refusal of the
    service (its ValidationError or ApplicationError). True if it went
    through."""
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    messages.success(request, success)
    return True
