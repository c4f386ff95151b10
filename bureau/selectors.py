"""Reads of the bureau app."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from bureau.models import AuditEvent, LoginThrottle, Notification, OrgUnit, User


def notification_ids_pending_email(
    *, older_than: timedelta = timedelta(minutes=5)
) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(
            send_email=True, emailed_at__isnull=True, created_at__lte=cutoff
        ).values_list("pk", flat=True)[:500]
    )


def notification_list(
    *, user: User, unread_only: bool = False
) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def org_unit_list() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.select_related("parent").filter(is_active=True)


def org_unit_home() -> OrgUnit | None:
    return OrgUnit.objects.filter(is_home=True).first()


def login_throttle_locked_list() -> QuerySet[LoginThrottle]:
    return LoginThrottle.objects.filter(locked_until__gt=timezone.now()).order_by(
        "-last_failure_at"
    )


# The audit log's filters (page and API) and the lookup each one makes.
AUDIT_FILTERS = {
    "action": "action__startswith",
    "actor": "actor_username__iexact",
    "object_type": "object_type",
    "object_id": "object_id",
}


def audit_event_list(*, filters: dict[str, str] | None = None) -> QuerySet[AuditEvent]:
    filters = filters or {}
    qs = AuditEvent.objects.select_related("actor")  # the actor's name
    for name, lookup in AUDIT_FILTERS.items():
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    return qs
