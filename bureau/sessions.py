"""Where each user is signed in: browser sessions and API tokens.

A login records a `UserSession` row (time, address, browser); an
administrator's new login ends their other sessions; the user's own page
lists the rows and ends any of them. The idle timeout itself is enforced by
`bureau.middleware.SessionGuardMiddleware`, from a timestamp kept in the
session (no query per request).
"""

from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.audit import audit
from bureau.lib.request_context import client_ip
from bureau.models import ADMIN_ROLES, User, UserSession

if TYPE_CHECKING:
    from knox.models import AuthToken

# Session keys.
LAST_SEEN = "_last_seen"  # Unix time of the last request
MFA_OK = "_mfa_ok"  # the second factor was checked for this session
# How often the last-seen time is written back (a write per request would
# cost a query on every page).
TOUCH_EVERY_SECONDS = 60


def idle_limit(user: User) -> timedelta:
    """How long `user`'s session may stay unused."""
    minutes = (
        settings.SESSION_IDLE_MINUTES_ADMIN
        if user.role in ADMIN_ROLES
        else settings.SESSION_IDLE_MINUTES
    )
    return timedelta(minutes=minutes)


def single_session(user: User) -> bool:
    """Administrators hold one session at a time: a new login ends the old."""
    return user.role in ADMIN_ROLES


def _address(request: HttpRequest) -> tuple[str | None, str]:
    ip = client_ip(request, trust_forwarded=settings.TRUST_X_FORWARDED_FOR)
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:300]
    return ip, agent


def _drop_session(key: str) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=key).delete()


# --- Selectors ----------------------------------------------------------------


def user_session_list(*, user: User) -> QuerySet[UserSession]:
    """The user's live browser sessions: a row past the absolute age, or idle
    past the limit, is a session that can no longer be used."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        kind=UserSession.Kind.SESSION,
        created_at__gt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
        last_seen__gt=now - idle_limit(user) - timedelta(seconds=TOUCH_EVERY_SECONDS),
    )


def user_token_list(*, user: User) -> list[dict[str, Any]]:
    """The user's live API tokens, each with the address it was made from."""
    from knox.models import AuthToken

    tokens = list(
        AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by(
            "-created"
        )
    )
    origins = {
        row.key: row
        for row in UserSession.objects.filter(
            user=user,
            kind=UserSession.Kind.TOKEN,
            key__in=[token.digest for token in tokens],
        )
    }
    return [
        {
            "digest": token.digest,
            "prefix": token.token_key,
            "created": token.created,
            "expiry": token.expiry,
            "origin": origins.get(token.digest),
        }
        for token in tokens
    ]


# --- Services -----------------------------------------------------------------


@transaction.atomic
def session_started(*, request: HttpRequest, user: User) -> UserSession | None:
    """Record the session `request` has just logged `user` into; for an
    administrator end every other session of theirs."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    key = session.session_key
    assert key is not None
    session[LAST_SEEN] = time.time()
    ip, agent = _address(request)
    if single_session(user):
        others = UserSession.objects.filter(
            user=user, kind=UserSession.Kind.SESSION
        ).exclude(key=key)
        ended = 0
        for other in others:
            _drop_session(other.key)
            ended += 1
        others.delete()
        if ended:
            audit(
                by=user,
                action="session.replace",
                target=user,
                message=f"{ended}",
            )
    row, _created = UserSession.objects.update_or_create(
        key=key,
        defaults={
            "user": user,
            "kind": UserSession.Kind.SESSION,
            "ip_address": ip,
            "user_agent": agent,
            "created_at": timezone.now(),
            "last_seen": timezone.now(),
        },
    )
    return row


def session_touch(*, request: HttpRequest) -> None:
    """Note that the session of `request` was used now (at most once a minute)."""
    now = time.time()
    last = request.session.get(LAST_SEEN)
    if last is not None and now - float(last) < TOUCH_EVERY_SECONDS:
        return
    request.session[LAST_SEEN] = now
    if request.session.session_key:
        UserSession.objects.filter(key=request.session.session_key).update(
            last_seen=timezone.now()
        )


def session_idle(*, request: HttpRequest, user: User) -> bool:
    """True when the session of `request` was unused longer than allowed."""
    last = request.session.get(LAST_SEEN)
    if last is None:
        return False
    return time.time() - float(last) > idle_limit(user).total_seconds()


@transaction.atomic
def session_end(*, user: User, row: UserSession, by: User) -> None:
    """End one of `user`'s browser sessions; audited."""
    if row.user_id != user.pk:
        raise ValueError("not this user's session")
    _drop_session(row.key)
    row.delete()
    audit(
        by=by,
        action="session.end",
        target=user,
        message=f"{row.ip_address or ''} {row.created_at:%Y-%m-%d %H:%M}",
    )


@transaction.atomic
def sessions_end_all(*, user: User, by: User | None) -> int:
    """End every browser session and API token of `user` (after an MFA reset)."""
    from knox.models import AuthToken

    rows = list(UserSession.objects.filter(user=user, kind=UserSession.Kind.SESSION))
    for row in rows:
        _drop_session(row.key)
    UserSession.objects.filter(user=user).delete()
    tokens, _kinds = AuthToken.objects.filter(user=user).delete()
    audit(by=by, action="session.end_all", target=user)
    return len(rows) + tokens


def token_started(*, request: HttpRequest, user: User, token: AuthToken) -> UserSession:
    """Record where an API token was made from."""
    ip, agent = _address(request)
    return UserSession.objects.create(
        user=user,
        kind=UserSession.Kind.TOKEN,
        key=token.digest,
        ip_address=ip,
        user_agent=agent,
    )


@transaction.atomic
def token_end(*, user: User, digest: str, by: User) -> int:
    """Revoke one of `user`'s API tokens; audited. 0 when there is none."""
    from knox.models import AuthToken

    count, _kinds = AuthToken.objects.filter(user=user, digest=digest).delete()
    UserSession.objects.filter(
        user=user, kind=UserSession.Kind.TOKEN, key=digest
    ).delete()
    if count:
        audit(by=by, action="api_token.revoke", target=user)
    return count


# --- Signals ------------------------------------------------------------------


def _on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(user, "role"):
        session_started(request=request, user=user)


def _on_logout(
    sender: Any, request: HttpRequest, user: User | None, **kwargs: Any
) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(key=session.session_key).delete()


user_logged_in.connect(_on_login, dispatch_uid="bureau_session_started")
user_logged_out.connect(_on_logout, dispatch_uid="bureau_session_ended")


ACTION_LABELS = {
    "session.replace": _("Earlier session ended by a new login"),
    "session.end": _("Session ended"),
    "session.end_all": _("All sessions ended"),
    "session.idle_timeout": _("Session ended after inactivity"),
}
