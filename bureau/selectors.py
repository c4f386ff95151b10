"""Reads of the bureau app."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
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
    qs: QuerySet[AuditEvent] = AuditEvent.objects.select_related(
        "actor"
    )  # the actor's name
    for name, lookup in AUDIT_FILTERS.items():
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    if filters.get("privileged"):
        qs = privileged_events(qs)
    return qs


# --- The administrators' duty queues (the home pages) ------------------------

# Actions that change who may do what: accounts, roles, passwords, tokens,
# org units, unlocks and the configuration saved in /admin/.
PRIVILEGED_ACTION_PREFIXES = (
    "user.",
    "api_token.",
    "org_unit.",
    "login.unlock",
    "config.",
)


def privileged_events(qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """Of `qs`, the events of privileged actions (the audit log's
    `?privileged=1`)."""
    match = Q()
    for prefix in PRIVILEGED_ACTION_PREFIXES:
        match |= Q(action__startswith=prefix)
    return qs.filter(match)


def failed_login_list() -> QuerySet[AuditEvent]:
    """Failed logins, newest first (the audit log's `?action=login.failure`)."""
    return audit_event_list(filters={"action": "login.failure"})


def inactive_user_list() -> QuerySet[User]:
    """Disabled accounts, as /admin/'s user list shows `?is_active__exact=0`."""
    return User.objects.filter(is_active=False).order_by("-date_joined", "-id")
