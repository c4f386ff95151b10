"""Reads of the staff rosters and the annual figures they give
(enterprises/staff_rules.py)."""

from __future__ import annotations

from enterprises import staff_rules
from enterprises.models import Enterprise, StaffRoster


def enterprise_rosters(enterprise: Enterprise) -> list[StaffRoster]:
    return list(StaffRoster.objects.filter(enterprise=enterprise).order_by("-year"))


def first_month_operated(enterprise: Enterprise, year: int) -> int:
    """1, or the founding month when the enterprise was founded in `year`
    (it then uses its actual operating period, RULES §2.3)."""
    founded = enterprise.founded_on
    return founded.month if founded and founded.year == year else 1


def roster_figures(roster: StaffRoster) -> staff_rules.RosterFigures:
    """The annual figures of one roster (one query for its people)."""
    return staff_rules.roster_figures(
        [person.facts() for person in roster.people.all()],
        roster.year,
        first_month=first_month_operated(roster.enterprise, roster.year),
    )


def enterprise_roster_figures(
    enterprise: Enterprise,
) -> list[tuple[StaffRoster, staff_rules.RosterFigures]]:
    """Each roster of `enterprise`, newest first, with its figures."""
    rosters = StaffRoster.objects.filter(enterprise=enterprise).prefetch_related(
        "people"
    )
    result = []
    for roster in rosters.order_by("-year"):
        roster.enterprise = enterprise
        result.append((roster, roster_figures(roster)))
    return result


def latest_roster_figures(
    enterprise: Enterprise,
) -> tuple[StaffRoster, staff_rules.RosterFigures] | None:
    """The newest roster of `enterprise` with its figures, or None."""
    roster = (
        StaffRoster.objects.filter(enterprise=enterprise)
        .prefetch_related("people")
        .order_by("-year")
        .first()
    )
    if roster is None:
        return None
    roster.enterprise = enterprise
    return roster, roster_figures(roster)


def roster_figures_by_enterprise(
    *, year: int, enterprise: Enterprise | None = None
) -> dict[int, dict[int, staff_rules.RosterFigures]]:
    """{enterprise id: {year: figures}} of the rosters of `year` (all
    enterprises, or one), in one query."""
    from enterprises.models import RosterPerson

    qs = RosterPerson.objects.filter(roster__year=year)
    if enterprise is not None:
        qs = qs.filter(roster__enterprise=enterprise)
    people: dict[int, list[staff_rules.PersonFacts]] = {}
    owners: dict[int, Enterprise] = {}
    rows = qs.select_related("roster__enterprise").only(
        "kind",
        "is_tech",
        "is_rd",
        "start_on",
        "end_on",
        "days_worked",
        "months_worked",
        "roster__year",
        "roster__enterprise__founded_on",
    )
    # In chunks for every enterprise; one enterprise's roster at once.
    for person in rows.iterator(chunk_size=5000) if enterprise is None else rows:
        enterprise_id = person.roster.enterprise_id
        people.setdefault(enterprise_id, []).append(person.facts())
        owners[enterprise_id] = person.roster.enterprise
    return {
        enterprise_id: {
            year: staff_rules.roster_figures(
                facts,
                year,
                first_month=first_month_operated(owners[enterprise_id], year),
            )
        }
        for enterprise_id, facts in people.items()
    }
