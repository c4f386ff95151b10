"""Enterprise self-registration: submit a request (anonymous), approve it
(which creates the enterprise user, and the registry entry when the credit
code is new) or refuse it with a reason. Atomic and audited.

No answer tells an applicant whether a credit code or a username is known:
the request is taken either way, and a username found taken at approval is
the approver's to report (by refusing with that reason).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save
from bureau.lib import pii
from bureau.lib.concurrency import conflict_on_integrity_error
from bureau.lib.exceptions import ApplicationError
from bureau.models import OrgUnit, Role, User
from bureau.services import user_create
from enterprises.models import Enterprise, Registration
from enterprises.services.registry import ENTERPRISE_FIELDS

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


class RegistrationRateLimited(ApplicationError):
    """More requests from one client address than REGISTRATION_RATE allows."""


def registration_rate() -> tuple[int, int]:
    """(requests, seconds) of settings.REGISTRATION_RATE, e.g. "5/hour"."""
    match = _RATE.match(settings.REGISTRATION_RATE)
    if match is None:
        raise ValueError(
            f"REGISTRATION_RATE must look like 5/hour, not {settings.REGISTRATION_RATE!r}"
        )
    return int(match.group(1)), _PERIODS[match.group(2)]


def _rate_count(ip_address: str | None) -> None:
    """Count one request from `ip_address` in the cache; refuse past the rate.
    A fixed window per address: the first request of a window starts it."""
    limit, seconds = registration_rate()
    key = f"registration-rate:{ip_address or 'unknown'}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    if count > limit:
        raise RegistrationRateLimited(
            _(
                "Too many registrations from this address. Try again later, or "
                "ask the bureau."
            ),
            code="rate_limited",
        )


def _street(org_unit: OrgUnit | None) -> OrgUnit:
    if org_unit is None or not org_unit.is_street_or_park or not org_unit.is_active:
        raise ValidationError({"org_unit": [_("Choose a street or a park.")]})
    return org_unit


@transaction.atomic
def registration_submit(
    *,
    credit_code: str,
    enterprise_name: str,
    org_unit: OrgUnit | None,
    contact_name: str,
    contact_mobile: str,
    username: str,
    password: str,
    contact_email: str = "",
    kind: str = Enterprise.Kind.ENTERPRISE,
    ip_address: str | None = None,
) -> Registration:
    """Take a request for an enterprise account, pending approval. Checks the
    fields (the credit code's check character, the password policy of an
    enterprise user) but never whether the code or username is known."""
    credit_code = credit_code.strip().upper()
    username = username.strip()
    registration = Registration(
        credit_code=credit_code,
        enterprise_name=enterprise_name.strip(),
        kind=kind,
        org_unit=_street(org_unit),
        contact_name=contact_name.strip(),
        contact_mobile=contact_mobile.strip(),
        contact_email=contact_email.strip(),
        username=username,
        ip_address=ip_address,
    )
    errors: dict[str, list[str]] = {}
    try:
        registration.full_clean(exclude=["password_hash"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        errors.setdefault("username", []).extend(exc.messages)
    applicant = User(
        username=username,
        role=Role.ENTERPRISE,
        full_name=registration.contact_name,
        email=registration.contact_email,
    )
    try:
        validate_password(password, applicant)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    _rate_count(ip_address)
    registration.password_hash = make_password(password)
    registration.enterprise = Enterprise.objects.filter(credit_code=credit_code).first()
    registration.save()
    audit(
        by=None,
        username=username,
        action="registration.submit",
        target=registration,
        after={
            "credit_code": credit_code,
            "enterprise_name": registration.enterprise_name,
            "username": username,
        },
    )
    return registration


def _locked_pending(registration: Registration) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if not locked.is_pending:
        raise ApplicationError(
            _("This request was already decided (%(status)s).")
            % {"status": locked.get_status_display()},
            code="not_pending",
        )
    return locked


@transaction.atomic
def registration_approve(*, registration: Registration, by: User) -> Registration:
    """Create the enterprise user of an approved request, bound to the
    registry entry with its credit code (made from the request, flagged
    `needs_completion`, when there is none). The chosen password must be
    changed at the first login. A username taken since is a 409 the approver
    is told of."""
    locked = _locked_pending(registration)
    if User.objects.filter(username__iexact=locked.username).exists():
        raise ApplicationError(
            _(
                "The username %(username)s is taken. Refuse this request and ask "
                "the applicant to register again with another username."
            )
            % {"username": locked.username},
            code="username_taken",
        )
    # Another approval may create the same new enterprise or username at
    # the same moment: the loser answers 409, never 500.
    with conflict_on_integrity_error():
        enterprise = Enterprise.objects.filter(credit_code=locked.credit_code).first()
        if enterprise is None:
            enterprise = audited_save(
                Enterprise(
                    credit_code=locked.credit_code,
                    name=locked.enterprise_name,
                    kind=locked.kind,
                    org_unit=locked.org_unit,
                    contact_name=locked.contact_name,
                    contact_phone=locked.contact_mobile,
                    contact_email=locked.contact_email,
                    needs_completion=True,
                ),
                by=by,
                action="enterprise.create",
                fields=(*ENTERPRISE_FIELDS, "needs_completion"),
                message=_("Created from an approved account registration."),
            )
        user = user_create(
            username=locked.username,
            role=Role.ENTERPRISE,
            password_hash=locked.password_hash,
            enterprise=enterprise,
            full_name=locked.contact_name,
            phone=locked.contact_mobile,
            email=locked.contact_email,
            temporary=True,
            by=by,
        )
    before = {"status": locked.status}
    locked.status = Registration.Status.APPROVED
    locked.enterprise = enterprise
    locked.user = user
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.password_hash = ""
    locked.save()
    audit(
        by=by,
        action="registration.approve",
        target=locked,
        before=before,
        after={"status": locked.status, "user": user.pk, "enterprise": enterprise.pk},
    )
    return locked


@transaction.atomic
def registration_refuse(
    *, registration: Registration, by: User, reason: str
) -> Registration:
    """Refuse a request with a reason. The applicant has no account, so the
    notice goes to the contact (e-mailed when an address was given, else for
    the bureau to send by SMS or phone) and is kept on the request."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for refusing.")]})
    locked = _locked_pending(registration)
    notice = _(
        "Your request for an account of %(enterprise)s (username %(username)s) on "
        "the district S&T bureau platform was refused: %(reason)s"
    ) % {
        "enterprise": locked.enterprise_name,
        "username": locked.username,
        "reason": reason,
    }
    locked.status = Registration.Status.REFUSED
    locked.refusal_reason = reason[:500]
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.password_hash = ""
    locked.notified_to = locked.contact_email or pii.mask_phone(locked.contact_mobile)
    locked.notice = notice
    locked.save()
    if locked.contact_email:
        _mail_on_commit(locked.contact_email, notice)
    audit(
        by=by,
        action="registration.refuse",
        target=locked,
        before={"status": Registration.Status.PENDING},
        after={"status": locked.status, "refusal_reason": locked.refusal_reason},
    )
    return locked


def _mail_on_commit(address: str, body: str) -> None:
    from django.core.mail import send_mail

    def send() -> Any:
        return send_mail(
            subject=_("Your account registration"),
            message=body,
            from_email=None,
            recipient_list=[address],
            fail_silently=True,
        )

    transaction.on_commit(send)
