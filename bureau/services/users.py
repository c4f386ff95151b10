"""Accounts: create, change, role-change requests (三员分立), passwords, dormant accounts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.concurrency import conflict_on_integrity_error, lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.models import (
    ADMIN_ROLES,
    PRIVILEGED_ROLES,
    OrgUnit,
    Role,
    RoleChangeRequest,
    User,
)
from bureau.passwords import password_set, password_stamp
from bureau.permissions import may_set_password_of
from bureau.services.config import _save_audited

if TYPE_CHECKING:
    from enterprises.models import Enterprise


USER_AUDIT_FIELDS = (
    "username",
    "role",
    "full_name",
    "email",
    "phone",
    "enterprise",
    "org_unit",
    "is_active",
    "is_staff",
)


# --- Users ------------------------------------------------------------------


def _user_apply_role(user: User) -> None:
    # Admin roles work in the Django admin; everyone else in the portal.
    user.is_staff = user.role in ADMIN_ROLES
    if user.role != Role.ENTERPRISE:
        user.enterprise = None
    if user.role != Role.STREET_LIAISON and user.role not in (
        Role.STAFF,
        Role.SECTION_HEAD,
    ):
        user.org_unit = None


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    by: User | None,
    password: str = "",
    enterprise: Enterprise | None = None,
    org_unit: OrgUnit | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    temporary: bool = False,
    password_hash: str = "",
) -> User:
    """Create a user of `role` with its group, after checking the password
    against the policy for that role. A `temporary` password must be changed
    at the first login (bureau/passwords.py). `password_hash` instead of
    `password`: a hash already made from a checked password (a registration)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s") % {"role": role}})
    user = User(
        username=username,
        role=role,
        enterprise=enterprise,
        org_unit=org_unit,
        full_name=full_name,
        email=email,
        phone=phone,
    )
    _user_apply_role(user)
    user.full_clean(exclude=["password"])
    if password_hash:
        user.password = password_hash
    else:
        _check_password(password, user)
        user.set_password(password)
    user = user_save(user=user, by=by)  # a privileged role waits for approval
    user.save(update_fields=password_stamp(user, temporary=temporary))
    return user


@transaction.atomic
def user_save(*, user: User, by: User | None) -> User:
    """Store a user built and validated elsewhere (the admin's forms): keep
    staff flag and group in step with the role, and audit the change.

    A person (`by`) never grants a privileged role directly (三员分立): giving
    a bureau or administrator role, or activating an account that has one,
    is stored as a RoleChangeRequest for a security administrator to approve;
    the account keeps its stored role and active flag (a new account is saved
    inactive) until then. `by=None` (the deployer's command line) is direct."""
    _check_own_role(user, by=by)
    _user_apply_role(user)
    user.full_clean(exclude=["password"])
    stored = (
        User.objects.select_for_update()
        .filter(pk=user.pk)
        .values("role", "is_active")
        .first()
        if user.pk is not None
        else None
    )
    if by is None or not _grants_privilege(user, stored):
        return _user_store(user, by=by)
    wanted_role, wanted_active = user.role, user.is_active
    if stored is None:
        user.is_active = False  # a new account waits, inactive
    else:
        user.role, user.is_active = stored["role"], stored["is_active"]
        _user_apply_role(user)
    _user_store(user, by=by)
    _role_change_request(
        user=user,
        role=wanted_role,
        is_active=wanted_active,
        previous_role=stored["role"] if stored else "",
        by=by,
    )
    return user


def _grants_privilege(user: User, stored: Mapping[str, Any] | None) -> bool:
    """Whether saving `user` over its `stored` state would give an active
    account a privileged role it does not hold now."""
    if not user.is_active or user.role not in PRIVILEGED_ROLES:
        return False
    return stored is None or stored["role"] != user.role or not stored["is_active"]


def _role_change_request(
    *, user: User, role: str, is_active: bool, previous_role: str, by: User
) -> RoleChangeRequest:
    superseded = list(
        RoleChangeRequest.objects.select_for_update().filter(
            user=user, status=RoleChangeRequest.Status.PENDING
        )
    )
    for old in superseded:
        old.status = RoleChangeRequest.Status.SUPERSEDED
        old.decided_at = timezone.now()
        old.save(update_fields=["status", "decided_at"])
    request = RoleChangeRequest(
        user=user,
        role=role,
        is_active=is_active,
        previous_role=previous_role,
        requested_by=by,
    )
    with conflict_on_integrity_error():  # a concurrent request for the user
        request.save()
    audit(
        by=by,
        action="role_change.request",
        target=user,
        before={"role": previous_role or None},
        after={"role": role},
        message=str(request),
    )
    return request


@transaction.atomic
def role_change_decide(
    *, request: RoleChangeRequest, by: User, approve: bool
) -> RoleChangeRequest:
    """A security administrator approves (the account gets the role, and is
    active as requested) or rejects a pending role change. Never the person
    who asked for it, and never for oneself."""
    if by.role != Role.SECURITY_ADMIN:
        raise PermissionDenied
    request = lock_for_update(request)
    if request.status != RoleChangeRequest.Status.PENDING:
        raise ApplicationError(
            _("This role change is already %(status)s.")
            % {"status": request.get_status_display()},
            code="not_pending",
        )
    if by.pk in (request.requested_by_id, request.user_id):
        raise ApplicationError(
            _(
                "A role change is decided by a security administrator other than "
                "the person who asked for it or whom it concerns."
            ),
            code="same_person",
        )
    request.status = (
        RoleChangeRequest.Status.APPROVED
        if approve
        else RoleChangeRequest.Status.REJECTED
    )
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        user = lock_for_update(request.user)
        user.role, user.is_active = request.role, request.is_active
        _user_apply_role(user)
        user.full_clean(exclude=["password"])
        _user_store(user, by=by)
    audit(
        by=by,
        action="role_change.approve" if approve else "role_change.reject",
        target=request.user,
        message=str(request),
    )
    return request


def _check_own_role(user: User, *, by: User | None) -> None:
    """No one changes their own role or deactivates themselves: the system
    administrator could otherwise give itself a business role (三员分立)."""
    if by is None or user.pk is None or by.pk != user.pk:
        return
    stored = User.objects.filter(pk=user.pk).values("role", "is_active").first()
    if stored and (
        stored["role"] != user.role or stored["is_active"] != user.is_active
    ):
        raise ValidationError(
            {"role": _("You may not change your own role or deactivate yourself.")}
        )


def _user_store(user: User, *, by: User | None) -> User:
    _save_audited(user, by=by, fields=USER_AUDIT_FIELDS, action="user")
    user.groups.set([Group.objects.get(name=user.role)])
    return user


def _check_password(password: str, user: User) -> None:
    """The password policy for `user`'s role, as an error on `password`."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def user_update(*, user: User, by: User | None, **fields: Any) -> User:
    """Change profile fields or the role; keeps the group in step."""
    unknown = set(fields) - set(USER_AUDIT_FIELDS)
    if unknown:
        raise ValueError(f"user_update cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    return user_save(user=user, by=by)


def user_set_password(
    *, user: User, password: str, by: User | None, temporary: bool | None = None
) -> User:
    """Set a password for `user`; one set by someone else is temporary
    (bureau.passwords.password_set). No one sets another administrator's
    password (bureau.permissions.may_set_password_of)."""
    if not may_set_password_of(by, user):
        raise PermissionDenied
    return password_set(user=user, password=password, by=by, temporary=temporary)


@transaction.atomic
def user_active_set(*, user: User, by: User, active: bool) -> bool:
    """Disable or re-enable `user` through user_save (audited; no one
    deactivates themselves). Re-enabling an account with a privileged role is
    stored as a role-change request instead; returns True when the account's
    active flag changed now, False when it waits for approval."""
    user = lock_for_update(user)
    if user.is_active == active:
        raise ApplicationError(
            (
                _("The account %(username)s is already enabled.")
                if active
                else _("The account %(username)s is already disabled.")
            )
            % {"username": user.username},
            code="unchanged",
        )
    user.is_active = active
    user_save(user=user, by=by)
    return user.is_active == active


def user_password_temporary_set(*, user: User, by: User) -> str:
    """Give `user` a new one-time password, to be changed at the next login,
    and return it (shown once to the administrator, never stored in clear)."""
    from bureau.passwords import one_time_password

    password = one_time_password()
    user_set_password(user=user, password=password, by=by, temporary=True)
    return password


@transaction.atomic
def users_dormant_disable(*, now: datetime | None = None) -> int:
    """Disable every active account nobody logged in to for
    ACCOUNT_DORMANT_DAYS (bureau.selectors.user_dormant_q); one audit event
    each. The administrator roles and newer accounts are never touched."""
    from bureau.selectors import user_dormant_list

    count = 0
    for user in user_dormant_list(now=now).select_for_update():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit(
            by=None,
            action="user.dormant_disable",
            target=user,
            before={"is_active": True},
            after={"is_active": False},
            message=_("No login for %(days)s days")
            % {"days": settings.ACCOUNT_DORMANT_DAYS},
        )
        count += 1
    return count
