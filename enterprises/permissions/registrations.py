"""Who may see, approve and refuse enterprise self-registrations, and issue
enterprise accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bureau.models import Role, User
from bureau.permissions import (
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from enterprises.models import (
    Enterprise,
    Registration,
)
from enterprises.permissions.roles import _signed_in_as

# --- Account registrations (enterprises/services/registrations.py) -------------


def can_list_registrations(user: AnyUser) -> bool:
    """The registrations page: staff (all), a liaison (their street's), an
    enterprise user (requests for a second account of their enterprise)."""
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON, Role.ENTERPRISE)


def registrations_visible_to(user: AnyUser) -> QuerySet[Registration]:
    """Staff see every request; a liaison those of their street (an
    enterprise already registered by its own street, a new one by the street
    the applicant chose); an enterprise user those for its own credit code."""
    qs = Registration.objects.select_related(
        "org_unit", "enterprise__org_unit", "decided_by"
    )
    if has_role(user, *BUREAU_WRITERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(
            Q(enterprise__org_unit_id=user.org_unit_id)
            | Q(enterprise__isnull=True, org_unit_id=user.org_unit_id)
        )
    if _signed_in_as(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(
            credit_code__in=Enterprise.objects.filter(pk=user.enterprise_id).values(
                "credit_code"
            )
        )
    return qs.none()


def registration_account_holders(registration: Registration) -> QuerySet[User]:
    """The active enterprise accounts already bound to the request's credit
    code: with one, only its holder or staff may approve another."""
    return User.objects.filter(
        role=Role.ENTERPRISE,
        is_active=True,
        enterprise__credit_code=registration.credit_code,
    )


def can_approve_registration(user: AnyUser, registration: Registration) -> bool:
    """Staff always; otherwise, while the credit code has an active account,
    only its holder; else the liaison of the enterprise's street."""
    if has_role(user, *BUREAU_WRITERS):
        return True
    holders = registration_account_holders(registration)
    if _signed_in_as(user, Role.ENTERPRISE):
        return holders.filter(pk=user.pk).exists()
    if _signed_in_as(user, Role.STREET_LIAISON):
        return not holders.exists() and _liaison_of(user, registration)
    return False


def can_refuse_registration(user: AnyUser, registration: Registration) -> bool:
    """Whoever sees the request and decides on some: staff, the street's
    liaison, the holder of the enterprise's account."""
    if has_role(user, *BUREAU_WRITERS):
        return True
    if _signed_in_as(user, Role.STREET_LIAISON):
        return _liaison_of(user, registration)
    if _signed_in_as(user, Role.ENTERPRISE):
        return registration_account_holders(registration).filter(pk=user.pk).exists()
    return False


def _liaison_of(user: User, registration: Registration) -> bool:
    street = (
        registration.enterprise.org_unit_id
        if registration.enterprise is not None
        else registration.org_unit_id
    )
    return bool(user.org_unit_id and street == user.org_unit_id)


def get_registration_for_user(
    user: AnyUser, pk: int | str, *, action: str = ""
) -> Registration:
    """A request, or 404 when `user` may not see it, 403 when they may not
    `action` ("approve" or "refuse") it."""
    rules = {"approve": can_approve_registration, "refuse": can_refuse_registration}
    rule = rules.get(action)
    return get_for_user(
        registrations_visible_to(user),
        pk=pk,
        allowed=lambda registration: rule is None or rule(user, registration),
    )


def can_issue_enterprise_accounts(user: AnyUser) -> bool:
    """Create accounts for the roster's enterprises in bulk."""
    return has_role(user, *BUREAU_WRITERS)
