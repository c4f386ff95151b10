"""Two-factor login (TOTP, RFC 6238) for the roles in MFA_REQUIRED_ROLES.

A user of such a role enrols at first login: an authenticator app scans the
QR code (drawn here as inline SVG, nothing fetched) of a django-otp
`TOTPDevice`; the first correct code confirms it and yields ten single-use
recovery codes (a `StaticDevice`), shown once. Every later login needs a code
from either. Wrong codes count toward the login lockout like wrong passwords
(bureau/services.py login_failure_record). The security administrator resets
a user's devices; the user then enrols again at the next login.
"""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bureau.audit import audit
from bureau.lib.exceptions import ApplicationError
from bureau.lib.request_context import current_ip

if TYPE_CHECKING:
    from bureau.models import User

ACTION_LABELS = {
    "mfa.enrol": gettext_lazy("Two-factor login set up"),
    "mfa.reset": gettext_lazy("Two-factor login reset"),
    "mfa.failure": gettext_lazy("Wrong two-factor code"),
    "mfa.recovery_used": gettext_lazy("Recovery code used"),
    "mfa.recovery_renew": gettext_lazy("New recovery codes issued"),
}

DEVICE_NAME = "authenticator"


def mfa_required(user: Any) -> bool:
    """Whether `user` must give a second factor to log in."""
    return getattr(user, "role", None) in settings.MFA_REQUIRED_ROLES


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=confirmed)
        .order_by("-id")
        .first()
    )


def mfa_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def secret_base32(device: TOTPDevice) -> str:
    """The key as the authenticator apps type it: base32 in groups of four."""
    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline <svg> element (no image request)."""
    code = segno.make(uri, error="m")
    svg: str = code.svg_inline(scale=4, title=_("QR code for the authenticator"))
    return svg


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()


# --- Services -----------------------------------------------------------------


@transaction.atomic
def mfa_enrol_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device `user` is enrolling (made on first call)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _recovery_codes_new(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Recovery codes"))
    codes = [StaticToken.random_token() for _n in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=static, token=code) for code in codes]
    )
    return codes


@transaction.atomic
def mfa_enrol_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the device `user` is enrolling with a code from it; returns
    the ten recovery codes (shown once, kept only as the device's tokens)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        raise ApplicationError(
            _("Start the set-up again: no authenticator is being added."),
            code="mfa_not_enrolling",
        )
    if not device.verify_token(_normalise(code)):
        raise ApplicationError(
            _("The code is wrong or has expired: enter the code now shown."),
            code="mfa_invalid",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_new(user)
    audit(by=user, action="mfa.enrol", target=user)
    return codes


def mfa_verify(*, user: User, code: str) -> bool:
    """Check a login's second factor: a code of the authenticator or one of
    the recovery codes (used up by this). Does not count failures: see
    `mfa_check`."""
    token = _normalise(code)
    if not token:
        return False
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(
            user=user, confirmed=True
        ):
            if device.verify_token(token):
                return True
        for static in StaticDevice.objects.select_for_update().filter(
            user=user, confirmed=True
        ):
            if static.verify_token(token):
                left = static.token_set.count()
                audit(
                    by=user,
                    action="mfa.recovery_used",
                    target=user,
                    message=_("%(n)d recovery codes left") % {"n": left},
                )
                return True
    return False


def mfa_check(*, user: User, code: str) -> bool:
    """`mfa_verify`, with a wrong or missing code counted as a failed login
    (towards the lockout)."""
    from bureau.services import login_failure_record

    if mfa_verify(user=user, code=code):
        return True
    login_failure_record(username=user.get_username(), ip_address=current_ip.get())
    audit(by=user, action="mfa.failure", target=user)
    return False


@transaction.atomic
def mfa_reset(*, user: User, by: User | None) -> None:
    """Remove `user`'s authenticator and recovery codes and end their
    sessions; they enrol again at the next login. Audited."""
    from bureau.sessions import sessions_end_all

    if by is not None and by.pk == user.pk:
        raise ApplicationError(
            _(
                "You cannot reset your own two-factor login: ask another "
                "security administrator."
            ),
            code="mfa_reset_self",
        )
    had = mfa_enrolled(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end_all(user=user, by=by)
    audit(
        by=by,
        action="mfa.reset",
        target=user,
        before={"enrolled": had},
        after={"enrolled": False},
    )


@transaction.atomic
def mfa_enrol_scripted(*, user: User, by: User | None = None) -> tuple[str, list[str]]:
    """Give `user` a new, confirmed authenticator at once (the `mfa_enrol`
    command, for scripted set-ups and tests): its otpauth:// URI and new
    recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = _recovery_codes_new(user)
    audit(by=by, action="mfa.enrol", target=user, message="mfa_enrol")
    return device.config_url, codes


@transaction.atomic
def mfa_recovery_codes_renew(*, user: User) -> list[str]:
    """Replace `user`'s recovery codes with ten new ones (the old stop
    working); only for a user with an authenticator. Audited."""
    if not mfa_enrolled(user):
        raise ApplicationError(
            _("Set up two-factor login first."), code="mfa_not_enrolled"
        )
    codes = _recovery_codes_new(user)
    audit(by=user, action="mfa.recovery_renew", target=user)
    return codes


# --- Selectors ----------------------------------------------------------------


def mfa_user_rows() -> Any:
    """Active users who log in with a second factor, or hold a device, each
    with `enrolled` and when (`enrolled_at`), for the security administrator."""
    from django.db.models import Exists, OuterRef, Q, Subquery

    from bureau.models import User

    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(is_active=True)
        .annotate(
            enrolled=Exists(devices),
            enrolled_at=Subquery(devices.order_by("-id").values("created_at")[:1]),
        )
        .filter(Q(role__in=settings.MFA_REQUIRED_ROLES) | Q(enrolled=True))
        .order_by("role", "username")
    )
