"""Reads of the bureau app."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Lower
from django.utils import timezone

from bureau.models import (
    ADMIN_ROLES,
    AuditEvent,
    LoginThrottle,
    Notification,
    OrgUnit,
    RoleChangeRequest,
    User,
)


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


def district_streets() -> QuerySet[OrgUnit]:
    """The active streets and parks of the home district (and any filed under
    no district): what the registers' filters offer. The peer districts'
    streets, recorded for the dashboard's comparisons, are not the bureau's."""
    return OrgUnit.objects.filter(
        Q(parent__is_home=True) | Q(parent__isnull=True),
        level__in=[OrgUnit.Level.STREET, OrgUnit.Level.PARK],
        is_active=True,
    )


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


# --- Accounts pages ---------------------------------------------------------


def user_dormant_q(*, now: datetime | None = None) -> Q:
    """Active non-administrator accounts created more than
    ACCOUNT_DORMANT_DAYS ago with no login since then."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCOUNT_DORMANT_DAYS)
    return (
        Q(is_active=True, date_joined__lt=cutoff)
        & ~Q(role__in=ADMIN_ROLES)
        & (Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
    )


def user_dormant_list(*, now: datetime | None = None) -> QuerySet[User]:
    return User.objects.filter(user_dormant_q(now=now)).order_by("pk")


def user_account_list(*, filters: dict[str, str] | None = None) -> QuerySet[User]:
    """Every account for the administrators' list, with `locked` (a login
    lock in force) and `dormant` annotated; `filters`: q (username or name),
    role, status (active/disabled), locked, dormant ("1")."""
    filters = filters or {}
    now = timezone.now()
    locked = LoginThrottle.objects.filter(
        username=Lower(OuterRef("username")), locked_until__gt=now
    )
    qs = (
        User.objects.select_related("org_unit", "enterprise")
        .annotate(
            locked=Exists(locked),
            dormant=ExpressionWrapper(
                user_dormant_q(now=now), output_field=BooleanField()
            ),
        )
        .order_by("username", "pk")
    )
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(Q(username__icontains=text) | Q(full_name__icontains=text))
    if role := filters.get("role"):
        qs = qs.filter(role=role)
    if filters.get("status") == "active":
        qs = qs.filter(is_active=True)
    elif filters.get("status") == "disabled":
        qs = qs.filter(is_active=False)
    if filters.get("locked"):
        qs = qs.filter(locked=True)
    if filters.get("dormant"):
        qs = qs.filter(user_dormant_q(now=now))
    return qs


def role_change_pending_list() -> QuerySet[RoleChangeRequest]:
    return (
        RoleChangeRequest.objects.filter(status=RoleChangeRequest.Status.PENDING)
        .select_related("user", "requested_by")
        .order_by("requested_at", "pk")
    )
