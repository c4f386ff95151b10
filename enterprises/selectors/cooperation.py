"""Reads of cooperation agreements and alliances: the scoped lists and the
figures a work summary prints (cooperation_figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from bureau.permissions import AnyUser
from enterprises.models import Agreement, Alliance, CooperationVisit, Enterprise
from enterprises.permissions import (
    agreements_visible_to,
    alliances_visible_to,
    enterprises_visible_to,
)


@dataclass
class AgreementFilters:
    q: str = ""  # title, partner or a party's name
    kind: str = ""
    year: int | None = None  # signed in
    org_unit: str = ""  # a party's street code
    in_force: bool | None = None  # on today


def agreement_list(
    *, user: AnyUser, filters: AgreementFilters | None = None, today: date | None = None
) -> QuerySet[Agreement]:
    """The agreements `user` may see, filtered, with their parties, partner,
    co-built platforms and number of follow-up visits loaded up front. As
    for an alliance's members, the parties `user` may not see (another
    street's, for a liaison) are left out of `parties`, of the search and of
    the street filter; `hidden_parties` counts those left out, and
    `partner_visible` says whether a registered partner may be shown with
    its details (else by name only)."""
    filters = filters or AgreementFilters()
    qs = agreements_visible_to(user)
    visible = enterprises_visible_to(user)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(partner_name__icontains=term)
            | Q(partner__name__icontains=term)
            | Q(
                pk__in=Agreement.parties.through.objects.filter(
                    enterprise__name__icontains=term, enterprise__in=visible
                ).values("agreement_id")
            )
        )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(signed_on__year=filters.year)
    if filters.org_unit:
        qs = qs.filter(
            pk__in=Agreement.parties.through.objects.filter(
                enterprise__org_unit__code=filters.org_unit, enterprise__in=visible
            ).values("agreement_id")
        )
    if filters.in_force is not None:
        today = today or date.today()
        current = Q(signed_on__lte=today) & (
            Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=today)
        )
        qs = qs.filter(current) if filters.in_force else qs.exclude(current)
    return (
        qs.select_related("partner")
        .prefetch_related(
            Prefetch("parties", queryset=visible.select_related("org_unit")),
            "platforms",
        )
        .annotate(
            # distinct: the parties' join repeats each visit
            visit_count=Count("visits", distinct=True),
            hidden_parties=Count("parties", distinct=True)
            - Count("parties", filter=Q(parties__in=visible), distinct=True),
            partner_visible=Exists(visible.filter(pk=OuterRef("partner_id"))),
        )
        .order_by("-signed_on", "-id")
    )


def agreement_parties(*, user: AnyUser, agreement: Agreement) -> dict[str, Any]:
    """An agreement's parties as `user` may see them (for a liaison, those
    of their street), how many others there are, and whether a registered
    partner may be shown with its details."""
    visible = enterprises_visible_to(user)
    partner_id = agreement.partner_id
    parties = agreement.parties.filter(pk__in=visible).select_related("org_unit")
    return {
        "parties": parties,
        "hidden_parties": agreement.parties.exclude(pk__in=visible).count(),
        "partner_visible": partner_id is not None
        and visible.filter(pk=partner_id).exists(),
    }


@dataclass
class AllianceFilters:
    q: str = ""  # name, field, lead or a member's name
    kind: str = ""
    level: str = ""


def alliance_list(
    *, user: AnyUser, filters: AllianceFilters | None = None
) -> QuerySet[Alliance]:
    """The alliances `user` may see. Like an event's attendees, the members
    `user` may not see (another street's, for a liaison) are left out of
    `members` and of the search; `member_total` still counts every member
    in the registry and `lead_visible` says whether the lead may be shown
    with its details."""
    filters = filters or AllianceFilters()
    qs = alliances_visible_to(user)
    visible = enterprises_visible_to(user)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(field__icontains=term)
            | Q(lead__name__icontains=term)
            | Q(outside_members__icontains=term)
            | Q(
                pk__in=Alliance.members.through.objects.filter(
                    enterprise__name__icontains=term, enterprise__in=visible
                ).values("alliance_id")
            )
        )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.level:
        qs = qs.filter(level=filters.level)
    return (
        qs.select_related("lead")
        .annotate(
            member_total=Count("members", distinct=True),
            lead_visible=Exists(visible.filter(pk=OuterRef("lead_id"))),
        )
        .prefetch_related(
            Prefetch("members", queryset=visible.select_related("org_unit"))
        )
        .order_by("-founded_on", "name")
    )


def alliance_members(*, user: AnyUser, alliance: Alliance) -> dict[str, Any]:
    """An alliance's members as `user` may see them (for a liaison, those of
    their street), how many others there are, and whether the lead may be
    shown with its details."""
    visible = enterprises_visible_to(user)
    members = alliance.members.filter(pk__in=visible).select_related("org_unit")
    return {
        "members": members,
        "hidden_members": alliance.members.exclude(pk__in=visible).count(),
        "lead_visible": visible.filter(pk=alliance.lead_id).exists(),
    }


def organisation_cooperation(
    *, user: AnyUser, enterprise: Enterprise
) -> dict[str, list[Any]]:
    """What an organisation's page lists of its cooperation, as `user` may
    see it: agreements it signed or is the partner of, alliances it leads or
    belongs to, carriers it hosts."""
    from enterprises.models import Carrier
    from enterprises.permissions import can_list_cooperation, carriers_visible_to

    if not can_list_cooperation(user):
        return {"agreements": [], "alliances": [], "carriers": []}
    agreements = agreements_visible_to(user).filter(
        Q(partner=enterprise)
        | Q(
            pk__in=Agreement.parties.through.objects.filter(
                enterprise=enterprise
            ).values("agreement_id")
        )
    )
    alliances = alliances_visible_to(user).filter(
        Q(lead=enterprise)
        | Q(
            pk__in=Alliance.members.through.objects.filter(
                enterprise=enterprise
            ).values("alliance_id")
        )
    )
    carriers: QuerySet[Carrier] = carriers_visible_to(user).filter(host=enterprise)
    return {
        "agreements": list(agreements.order_by("-signed_on")[:20]),
        "alliances": list(alliances.order_by("-founded_on")[:20]),
        "carriers": list(carriers.prefetch_related(None)[:20]),
    }


def cooperation_figures(year: int) -> dict[str, Any]:
    """What a work summary prints about cooperation in `year`: agreements
    signed (by kind), those in force at its end, follow-up visits and what
    they produced, co-built platforms recognised, alliances founded and
    standing (by kind and level). District-wide; four queries."""
    end = date(year, 12, 31)
    signed = dict(
        Agreement.objects.filter(signed_on__year=year)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    in_force = Agreement.objects.filter(
        Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=end), signed_on__lte=end
    ).count()
    visits = CooperationVisit.objects.filter(visited_on__year=year).aggregate(
        n=Count("id"),
        projects=Coalesce(Sum("projects"), 0),
        platforms=Coalesce(Sum("platforms"), 0),
        talents=Coalesce(Sum("talents"), 0),
        achievements=Coalesce(Sum("achievements"), 0),
    )
    platforms = (
        Agreement.platforms.through.objects.filter(
            rdinstitution__recognised_on__year=year
        )
        .values("rdinstitution_id")
        .distinct()
        .count()
    )
    alliances = list(
        Alliance.objects.filter(founded_on__lte=end)
        .values_list("kind", "level", "founded_on__year")
        .annotate(n=Count("id"))
        .values_list("kind", "level", "founded_on__year", "n")
    )
    by_kind_level = _by_kind_level(alliances)
    return {
        "year": year,
        "agreements_signed": sum(signed.values()),
        "agreements_signed_by_kind": signed,
        "agreements_in_force": in_force,
        "follow_up_visits": visits["n"],
        "visit_outputs": {
            key: visits[key]
            for key in ("projects", "platforms", "talents", "achievements")
        },
        "platforms_co_built": platforms,
        "alliances_founded": sum(n for _k, _lv, y, n in alliances if y == year),
        "alliances_standing": sum(n for *_rest, n in alliances),
        "alliances_by_kind_level": by_kind_level,
        # The same in words, for a report: [(label, n)] and [(level, kind, n)].
        "agreements_signed_labelled": [
            (str(label), signed[key])
            for key, label in Agreement.Kind.choices
            if signed.get(key)
        ],
        "alliances_labelled": [
            (str(level_label), str(kind_label), n)
            for kind, kind_label in Alliance.Kind.choices
            for level, level_label in Alliance.Level.choices
            if (n := by_kind_level.get(kind, {}).get(level))
        ],
    }


def _by_kind_level(rows: list[tuple[str, str, int, int]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for kind, level, _year, n in rows:
        out.setdefault(kind, {}).setdefault(level, 0)
        out[kind][level] += n
    return out
