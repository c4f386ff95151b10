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
