"""Who may see, record and edit events (活动) and science-popularisation
bases."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bureau.models import Role
from bureau.permissions import (
    BUREAU_READERS,
    BUREAU_WRITERS,
    AnyUser,
    get_for_user,
    has_role,
)
from enterprises.models import (
    Event,
    ScienceBase,
)
from enterprises.permissions.roles import _signed_in_as

# --- Events and 科普 bases (enterprises/models/events.py) ---------------------


def can_view_events(user: AnyUser) -> bool:
    """The events and 科普 bases pages and API: the district's readers and a
    liaison (their street's)."""
    return has_role(user, *BUREAU_READERS, Role.STREET_LIAISON)


def can_record_events(user: AnyUser) -> bool:
    """Record events: staff for the district, a liaison for their street."""
    return has_role(user, *BUREAU_WRITERS, Role.STREET_LIAISON)


def can_manage_science_bases(user: AnyUser) -> bool:
    return has_role(user, *BUREAU_WRITERS)


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    """Every event for the district's readers; for a liaison the events
    their street held or enterprises of their street attended; for an
    enterprise user those its enterprise attended."""
    qs = Event.objects.all()
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        attended = Event.enterprises.through.objects.filter(
            enterprise__org_unit_id=user.org_unit_id
        ).values("event_id")
        return qs.filter(Q(org_unit_id=user.org_unit_id) | Q(pk__in=attended))
    if _signed_in_as(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(
            pk__in=Event.enterprises.through.objects.filter(
                enterprise_id=user.enterprise_id
            ).values("event_id")
        )
    return qs.none()


def can_edit_event(user: AnyUser, event: Event) -> bool:
    """Staff change any event; a liaison those their street held."""
    if has_role(user, *BUREAU_WRITERS):
        return True
    return _signed_in_as(user, Role.STREET_LIAISON) and bool(
        user.org_unit_id and event.org_unit_id == user.org_unit_id
    )


def get_event_for_user(user: AnyUser, pk: int | str, *, write: bool = False) -> Event:
    """404 when `user` may not see the event, 403 on `write` when they may
    not change it."""
    return get_for_user(
        events_visible_to(user).select_related("org_unit"),
        pk=pk,
        allowed=lambda event: not write or can_edit_event(user, event),
    )


def science_bases_visible_to(user: AnyUser) -> QuerySet[ScienceBase]:
    qs = ScienceBase.objects.select_related("org_unit")
    if has_role(user, *BUREAU_READERS):
        return qs
    if _signed_in_as(user, Role.STREET_LIAISON) and user.org_unit_id:
        return qs.filter(org_unit_id=user.org_unit_id)
    return qs.none()


def get_science_base_for_user(
    user: AnyUser, pk: int | str, *, write: bool = False
) -> ScienceBase:
    return get_for_user(
        science_bases_visible_to(user),
        pk=pk,
        allowed=not write or can_manage_science_bases(user),
    )
