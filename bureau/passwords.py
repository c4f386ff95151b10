"""The password lifecycle: who must change their password and why, the
history rule, and the services that set or change a password.

- **Temporary passwords.** A password someone else chose for the user (an
  administrator setting it, a bulk issue from the roster, a registration
  approved by staff, `create_user --temporary`) is marked
  `User.password_change_required`: the pages send the user to the change form
  (bureau.middleware.PasswordChangeRequiredMiddleware) and a token-authenticated
  API call answers 403 `password_change_required`
  (PasswordPolicyTokenAuthentication), until the user chooses their own.
- **Expiry.** A password older than `PASSWORD_MAX_AGE_DAYS` (per kind of
  role, 0 = never) must be changed the same way.
- **History.** None of the last `PASSWORD_HISTORY` passwords may be chosen
  again (PasswordHistoryValidator, one of AUTH_PASSWORD_VALIDATORS, so every
  path that validates a password applies it: the change form, the reset form,
  the admin's set-password service).

Every write here is atomic and audited; no audit event holds a password.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.request import Request

from bureau.audit import audit
from bureau.models import PasswordHistory, Role, User

# Roles whose passwords follow the "outside" expiry (off by default).
OUTSIDE_ROLES = frozenset({Role.ENTERPRISE, Role.EXPERT})

# Why a user must change their password before doing anything else.
REASON_REQUIRED = "required"
REASON_EXPIRED = "expired"


# --- Policy -------------------------------------------------------------------


def max_age_days_for(user: User) -> int:
    """Days a password of `user` lasts; 0 means it never expires."""
    kind = "outside" if user.role in OUTSIDE_ROLES else "bureau"
    return int(settings.PASSWORD_MAX_AGE_DAYS.get(kind) or 0)


def password_expires_at(user: User) -> Any:
    """When `user`'s password expires (a datetime), or None if it does not.
    A password never set through these services (no `password_changed_at`)
    does not expire: the migration stamps existing accounts."""
    days = max_age_days_for(user)
    if not days or user.password_changed_at is None:
        return None
    return user.password_changed_at + timedelta(days=days)


def password_change_reason(user: Any) -> str | None:
    """REASON_REQUIRED, REASON_EXPIRED or None (nothing to do). Reads only
    the user row: no query."""
    if not getattr(user, "is_authenticated", False) or not isinstance(user, User):
        return None
    if not user.has_usable_password():
        return None
    if user.password_change_required:
        return REASON_REQUIRED
    expires = password_expires_at(user)
    if expires is not None and expires <= timezone.now():
        return REASON_EXPIRED
    return None


def password_change_message(reason: str | None) -> str:
    if reason == REASON_EXPIRED:
        return _(
            "Your password has expired. Choose a new one to go on using the platform."
        )
    return _(
        "Your password is an initial one or was set by someone else. Choose your "
        "own password to go on using the platform."
    )


class PasswordHistoryValidator:
    """Refuses any of the user's last PASSWORD_HISTORY passwords (the current
    one included)."""

    def validate(self, password: str, user: User | None = None) -> None:
        if user is None or user.pk is None or settings.PASSWORD_HISTORY <= 0:
            return
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list(
                "password", flat=True
            )[: settings.PASSWORD_HISTORY]
        )
        current = (
            User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        )
        if current and current not in hashes:
            hashes.insert(0, current)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("This password was one of your last %(n)d passwords; choose another.")
                % {"n": settings.PASSWORD_HISTORY},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Not one of your last %(n)d passwords.") % {
            "n": settings.PASSWORD_HISTORY
        }


class PasswordPolicyTokenAuthentication(TokenAuthentication):
    """knox's token authentication that refuses, with 403
    `password_change_required`, a caller who must change their password
    first, except on the APIs that say `password_change_allowed = True` (the
    change itself, revoking tokens). Reads only the user row knox loaded."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        reason = password_change_reason(result[0])
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if reason and not getattr(view, "password_change_allowed", False):
            raise exceptions.PermissionDenied(
                password_change_message(reason), code="password_change_required"
            )
        return result


try:  # the API schema names this scheme as it named knox's
    from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme

    class PasswordPolicyTokenScheme(KnoxTokenScheme):
        target_class = "bureau.passwords.PasswordPolicyTokenAuthentication"

except ImportError:  # pragma: no cover - drf-spectacular is a requirement
    pass


# --- Services -----------------------------------------------------------------


def password_stamp(user: User, *, temporary: bool, now: Any = None) -> list[str]:
    """After `user.password` was set to a new hash: note when, whether it is
    temporary, and keep it in the history (pruned to PASSWORD_HISTORY). The
    caller saves the user (the returned fields) inside its transaction; the
    user must already be stored."""
    now = now or timezone.now()
    user.password_changed_at = now
    user.password_change_required = temporary
    if user.pk is not None and settings.PASSWORD_HISTORY > 0:
        PasswordHistory.objects.create(
            user=user, password=user.password, created_at=now
        )
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            : settings.PASSWORD_HISTORY
        ]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
    return ["password", "password_changed_at", "password_change_required"]


def _validated(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password: the old one must be right, the
    new one must pass the policy (and not be a recent one)."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("The current password is wrong.")]})
    _validated(new_password, user, "new_password")
    reason = password_change_reason(user)
    user.set_password(new_password)
    user.save(update_fields=password_stamp(user, temporary=False))
    messages = {
        REASON_REQUIRED: _("Replaced a password set by someone else."),
        REASON_EXPIRED: _("Replaced an expired password."),
    }
    audit(
        by=user,
        action="user.password_change",
        target=user,
        message=messages.get(reason or "", ""),
    )
    return user


@transaction.atomic
def password_set(
    *, user: User, password: str, by: User | None, temporary: bool | None = None
) -> User:
    """Set `user`'s password for them. Someone else's choice is temporary
    (changed at the next login) unless `temporary` says otherwise."""
    if temporary is None:
        temporary = by is None or by.pk != user.pk
    _validated(password, user, "password")
    user.set_password(password)
    user.save(update_fields=password_stamp(user, temporary=temporary))
    audit(
        by=by,
        action="user.set_password",
        target=user,
        after={"password_change_required": temporary},
    )
    return user


@transaction.atomic
def password_reset(*, user: User, password: str) -> User:
    """The user chose a new password through an e-mailed reset link (the
    link's token already checked by Django's view). Validated by the form."""
    user.set_password(password)
    user.save(update_fields=password_stamp(user, temporary=False))
    audit(by=user, action="user.password_reset", target=user)
    return user


def one_time_password(length: int = 12) -> str:
    """A readable random password for handing out: groups of four letters and
    digits without look-alikes (0/O, 1/l/I), joined by hyphens, with a
    capital, a small letter and a digit, so that it passes the policy."""
    import secrets

    upper, lower, digits = (
        "ABCDEFGHJKMNPQRSTUVWXYZ",
        "abcdefghijkmnpqrstuvwxyz",
        "23456789",
    )
    alphabet = upper + lower + digits
    groups = max(3, -(-length // 4))
    while True:
        chars = [secrets.choice(alphabet) for _i in range(groups * 4)]
        if (
            any(c in upper for c in chars)
            and any(c in lower for c in chars)
            and any(c in digits for c in chars)
        ):
            return "-".join("".join(chars[i : i + 4]) for i in range(0, len(chars), 4))
