"""The login lockout: failures counted in the database, unlocking."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.exceptions import ApplicationError
from bureau.models import (
    LoginThrottle,
    User,
)

if TYPE_CHECKING:
    pass


# --- Login lockout ----------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _normalise(username: str) -> str:
    return username.strip().lower()[:150]


def login_locked_until(*, username: str) -> datetime | None:
    """When the lock on `username` ends, or None if it is not locked."""
    throttle = LoginThrottle.objects.filter(username=_normalise(username)).first()
    if throttle is not None and throttle.is_locked():
        return throttle.locked_until
    return None


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None) -> LoginThrottle:
    """Count one failed login for `username` (known or not) and lock it after
    LOGIN_FAILURE_LIMIT consecutive failures within LOGIN_FAILURE_WINDOW."""
    now = timezone.now()
    name = _normalise(username)
    try:
        with transaction.atomic():
            throttle, _created = LoginThrottle.objects.get_or_create(username=name)
    except IntegrityError:  # a concurrent first failure created it
        pass
    throttle = LoginThrottle.objects.select_for_update().get(username=name)
    newly_locked = False
    if not throttle.is_locked(now):
        if throttle.locked_until is not None:  # an expired lock starts afresh
            throttle.locked_until = None
            throttle.recent_failures = []
        since = now - settings.LOGIN_FAILURE_WINDOW
        recent = [
            moment
            for moment in throttle.recent_failures
            if datetime.fromisoformat(moment) > since
        ]
        recent.append(now.isoformat())
        throttle.recent_failures = recent[-settings.LOGIN_FAILURE_LIMIT :]
        if len(recent) >= settings.LOGIN_FAILURE_LIMIT:
            throttle.locked_until = now + settings.LOGIN_LOCK_DURATION
            newly_locked = True
    # Attempts during a lock neither extend nor shorten it.
    throttle.failures = len(throttle.recent_failures)
    throttle.last_failure_at = now
    throttle.last_ip_address = ip_address
    throttle.save()
    audit(by=None, username=name, action="login.failure", target=throttle)
    if newly_locked:
        audit(
            by=None,
            username=name,
            action="login.locked",
            target=throttle,
            after={"locked_until": _iso(throttle.locked_until)},
        )
    return throttle


@transaction.atomic
def login_success_record(*, user: User) -> None:
    """A successful login ends the run of failures."""
    LoginThrottle.objects.filter(username=_normalise(user.get_username())).delete()
    audit(by=user, action="login.success", target=user)


@transaction.atomic
def account_unlock(*, username: str, by: User) -> LoginThrottle:
    throttle = (
        LoginThrottle.objects.select_for_update()
        .filter(username=_normalise(username))
        .first()
    )
    if throttle is None or not throttle.is_locked():
        raise ApplicationError(
            _("The account %(username)s is not locked.") % {"username": username},
            code="not_locked",
        )
    before = {
        "locked_until": _iso(throttle.locked_until),
        "failures": throttle.failures,
    }
    throttle.locked_until = None
    throttle.failures = 0
    throttle.recent_failures = []
    throttle.save(update_fields=["locked_until", "failures", "recent_failures"])
    audit(
        by=by,
        action="login.unlock",
        target=throttle,
        before=before,
        after={"locked_until": None, "failures": 0},
    )
    return throttle


def login_throttles_prune() -> int:
    """Delete failure counters that can no longer lock anyone."""
    from django.db.models import Q

    now = timezone.now()
    stale = LoginThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now),
        last_failure_at__lt=now - settings.LOGIN_FAILURE_WINDOW,
    )
    count, _ = stale.delete()
    return count
