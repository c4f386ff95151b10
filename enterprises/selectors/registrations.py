"""Reads of account registrations, scoped to the caller
(enterprises.permissions.registrations_visible_to)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from bureau.permissions import AnyUser
from enterprises.models import Registration
from enterprises.permissions import registrations_visible_to


@dataclass
class RegistrationFilters:
    status: str = ""  # a Registration.Status, or "" for all
    org_unit: str = ""  # a street or park code (the request's or its enterprise's)
    q: str = ""  # enterprise name, credit code, username or contact


def registration_list(
    *, user: AnyUser, filters: RegistrationFilters | None = None
) -> QuerySet[Registration]:
    """The requests `user` may see, filtered, newest first."""
    filters = filters or RegistrationFilters()
    qs = registrations_visible_to(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.org_unit:
        qs = qs.filter(
            Q(enterprise__org_unit__code=filters.org_unit)
            | Q(enterprise__isnull=True, org_unit__code=filters.org_unit)
        )
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(enterprise_name__icontains=term)
            | Q(credit_code__icontains=term.upper())
            | Q(username__icontains=term)
            | Q(contact_name__icontains=term)
        )
    return qs.order_by("-created_at", "-id")


def registration_pending_count(*, user: AnyUser) -> int:
    """How many requests `user` may see are waiting for a decision."""
    return (
        registrations_visible_to(user)
        .filter(status=Registration.Status.PENDING)
        .count()
    )
