"""The districts a ranking compares: all the districts of the city by
default, or a named comparison group (主城区) kept in the admin."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bureau.models import OrgUnit
from indicators.models import ComparisonGroup


@dataclass(frozen=True)
class PeerSet:
    """A named set of districts ranked together; `name` None means all the
    districts of the city."""

    name: str | None
    unit_ids: frozenset[int]


def city_districts(units: list[OrgUnit], home: OrgUnit) -> list[OrgUnit]:
    """The active districts under the home district's city (home included)."""
    return [
        u
        for u in units
        if u.level == OrgUnit.Level.DISTRICT and u.parent_id == home.parent_id
    ]


def comparison_groups(*, home: OrgUnit) -> list[PeerSet]:
    """Every named group, in order, each with our district added (a ranking
    always places us); one query."""
    members: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    defaults: list[int] = []
    for group_id, name, is_default, unit_id in ComparisonGroup.objects.values_list(
        "id", "name", "is_default", "members"
    ).order_by("sort_order", "name", "id"):
        names[group_id] = name
        if is_default and group_id not in defaults:
            defaults.append(group_id)
        if unit_id is not None:
            members[group_id].add(unit_id)
    return [
        PeerSet(name=name, unit_ids=frozenset(members[group_id] | {home.pk}))
        for group_id, name in names.items()
    ]


def default_peer_set(*, home: OrgUnit) -> PeerSet | None:
    """The group the dashboard ranks among (None: all the city's districts);
    one query."""
    rows = list(
        ComparisonGroup.objects.filter(is_default=True).values_list("name", "members")
    )
    if not rows:
        return None
    ids = {unit_id for _name, unit_id in rows if unit_id is not None}
    return PeerSet(name=rows[0][0], unit_ids=frozenset(ids | {home.pk}))


def ranked_peers(
    units: list[OrgUnit], home: OrgUnit, peer_set: PeerSet | None
) -> list[OrgUnit]:
    """The districts to rank: the city's, or the active districts of
    `peer_set` when given."""
    if peer_set is None:
        return city_districts(units, home)
    return [
        u
        for u in units
        if u.level == OrgUnit.Level.DISTRICT and u.pk in peer_set.unit_ids
    ]
