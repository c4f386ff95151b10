"""Reads of the events and 科普 bases: the lists of the pages and the API,
and the figures the work summary prints (`event_figures`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from bureau.permissions import AnyUser
from enterprises.models import Enterprise, Event, ScienceBase
from enterprises.permissions import events_visible_to, science_bases_visible_to


def event_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[Event]:
    """The events `user` may see, newest first, with how many enterprises
    attended; `filters`: q (title, organiser, place), kind, year, org_unit
    (the street that held it), enterprise (an attendee's id)."""
    filters = filters or {}
    qs = (
        events_visible_to(user)
        .select_related("org_unit")
        .annotate(n_enterprises=Count("enterprises", distinct=True))
        .order_by("-starts_on", "-id")
    )
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(title__icontains=q) | Q(organiser__icontains=q) | Q(place__icontains=q)
        )
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if year := filters.get("year"):
        qs = qs.filter(starts_on__year=year)
    if unit := filters.get("org_unit"):
        qs = qs.filter(org_unit=unit)
    if enterprise := filters.get("enterprise"):
        qs = qs.filter(
            pk__in=Event.enterprises.through.objects.filter(
                enterprise=enterprise
            ).values("event_id")
        )
    return qs


def events_attended(*, enterprise: Enterprise) -> QuerySet[Event]:
    """What `enterprise` attended, newest first (its page lists them)."""
    return enterprise.events.select_related("org_unit").order_by("-starts_on", "-id")


def science_base_list(
    *, user: AnyUser, filters: dict[str, Any] | None = None
) -> QuerySet[ScienceBase]:
    """The 科普 bases `user` may see; `filters`: q (name, host), level."""
    filters = filters or {}
    qs = science_bases_visible_to(user)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(host__icontains=q))
    if level := filters.get("level"):
        qs = qs.filter(level=level)
    return qs


def event_figures(year: int) -> dict[str, Any]:
    """What the work summary prints about `year`'s events (by start date):
    per type the count, participants, materials handed out and people
    trained; the totals; the 科普 events' own totals (科技活动周, 科普日,
    三下乡); distinct enterprises served; the 科普 bases in force and
    their visitors a year."""
    events = Event.objects.filter(starts_on__year=year)
    by_kind: dict[str, dict[str, Any]] = {
        key: {
            "label": str(label),
            "events": 0,
            "participants": 0,
            "materials": 0,
            "trained": 0,
        }
        for key, label in Event.Kind.choices
    }
    for kind, n, participants, materials, trained in (
        events.values_list("kind")
        .annotate(
            n=Count("id"),
            p=Sum("participants"),
            m=Sum("materials"),
            t=Sum("trained"),
        )
        .values_list("kind", "n", "p", "m", "t")
    ):
        by_kind[kind].update(
            events=n,
            participants=participants or 0,
            materials=materials or 0,
            trained=trained or 0,
        )

    def total(key: str, kinds: tuple[str, ...] | None = None) -> int:
        return sum(
            row[key] for k, row in by_kind.items() if kinds is None or k in kinds
        )

    science = tuple(str(k) for k in Event.SCIENCE_KINDS)
    bases = ScienceBase.objects.filter(recognised_on__year__lte=year).aggregate(
        n=Count("id"), visitors=Sum("yearly_visitors")
    )
    return {
        "year": year,
        "by_kind": by_kind,
        "events": total("events"),
        "participants": total("participants"),
        "materials": total("materials"),
        "trained": total("trained"),
        "enterprises_served": Event.enterprises.through.objects.filter(
            event__starts_on__year=year
        )
        .values("enterprise_id")
        .distinct()
        .count(),
        "science": {
            "events": total("events", science),
            "participants": total("participants", science),
            "materials": total("materials", science),
            "trained": total("trained", science),
        },
        "science_bases": bases["n"],
        "science_base_visitors": bases["visitors"] or 0,
    }
