"""The dashboard's one read: the values it needs, aggregated per
(indicator, org unit, year, period type), so that Python only does the
per-indicator arithmetic over a few thousand rows (RULES §5.2 as
indicators.calc.aggregate states it; the test pins the two equal).

The groups are rows of the value groups table the database keeps
(indicators.models.value_groups): the sum of a group's values, the latest
period's end month and value, and when one was last entered (so that "data
as of" needs no second scan). The dashboard also asks for last year "as of"
the month this year's figure covers: those months are found in the same
statement (`cur`: 12 when an annual value exists, else the last month, else
the last quarter's month; a ratio covers the lesser month of its two parts)
and only last year's value rows of the pairs that need it are summed up to
them (none when this year is complete; the latest period's value encoded as
"end month + 10" followed by the value, so MAX() picks it in the same pass).
Plain SQL that PostgreSQL and SQLite both run."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from indicators.models import DataValue

# (indicator id, org unit id, year, as of month) → period type → group
GroupKey = tuple[int, int, int, int]


@dataclass(frozen=True)
class Group:
    """The values of one period type of one (indicator, unit, year), up to
    an "as of" month."""

    total: Decimal
    covered: int  # the end month of the latest period
    # The latest period's value, as the ORM would read it (only for "last"
    # and year-to-date indicators).
    latest: Decimal | None

    def last_value(self) -> Decimal:
        assert self.latest is not None, "not read for this indicator"
        return self.latest


END_MONTH_R = (
    "CASE r.period_type WHEN 'M' THEN r.period WHEN 'Q' THEN r.period * 3 ELSE 12 END"
)


def _marks(values: Collection[int]) -> str:
    return ", ".join(["%s"] * len(values))


def aggregated_values(
    indicator_ids: Collection[int],
    parts: list[tuple[Collection[int], Collection[int]]],
    *,
    year: int,
    ratios: list[tuple[int, int, int]],
    latest_for: set[int],
) -> tuple[dict[GroupKey, dict[str, Group]], datetime | None]:
    """The groups of the indicators `indicator_ids` for each (org units,
    years) of `parts` (disjoint), as of December for every year, and as of
    this `year`'s covered month for last year where that month is earlier;
    and when the values of `year` were last entered. The groups as of
    December are the value groups table's rows (indicators.models.
    value_groups); only last year as of an earlier month reads value rows.
    `ratios`: (ratio, numerator, denominator) ids, whose parts are read as
    of the ratio's month. `latest_for`: the indicators whose latest
    period's value is read. One statement."""
    selects: list[str] = []
    params: list[Any] = []
    indicators = sorted(indicator_ids)
    for units, years in parts:
        if not indicators or not units or not years:
            continue  # nothing to read in this part
        selects.append(
            "SELECT indicator_id, org_unit_id, year, period_type, total, "
            "covered, latest, entered_at FROM indicators_valuegroup "
            f"WHERE indicator_id IN ({_marks(indicators)}) "
            f"AND org_unit_id IN ({_marks(units)}) AND year IN ({_marks(years)})"
        )
        params += [*indicators, *sorted(units), *sorted(years)]
    if not selects:  # no indicator to read
        return {}, None
    inner = " UNION ALL ".join(selects)
    # The latest period's value as of an earlier month is needed only for
    # "last" and year-to-date indicators; ids are ints read from the
    # database, written inline.
    latest_of = ", ".join(str(int(x)) for x in sorted(latest_for))
    latest = (
        f"CAST(SUBSTR(MAX(CASE WHEN r.indicator_id IN ({latest_of}) "
        f"THEN CAST({END_MONTH_R} + 10 AS VARCHAR(2)) "
        "|| CAST(r.value AS VARCHAR(40)) END), 3) AS DECIMAL(20, 4))"
        if latest_for
        else "NULL"
    )
    ratio_parts = ""
    ratio_params: list[int] = []
    need_more = ""
    if ratios:
        marks = ", ".join("(%s, %s, %s)" for _ in ratios)
        ratio_params = [x for triple in ratios for x in triple]
        lesser = "CASE WHEN a.c < b.c THEN a.c ELSE b.c END"
        ratio_parts = (
            f", parts (r, n, d) AS (VALUES {marks}), "
            "paired (n, d, u, c) AS ("
            f"SELECT p.n, p.d, a.u, {lesser} FROM parts p "
            "JOIN cur a ON a.i = p.n JOIN cur b ON b.i = p.d AND b.u = a.u)"
        )
        need_more = (
            " UNION SELECT n, u, c FROM paired WHERE c < 12"
            " UNION SELECT d, u, c FROM paired WHERE c < 12"
        )
    # The groups, with when each was last entered; only last year's groups
    # as of an earlier month read value rows, and only for the (indicator,
    # unit) pairs that need them (none once the year is complete: the join
    # then reads nothing).
    sql = (
        f"WITH whole (i, u, y, t, s, m, l, at) AS ({inner}), "
        "cur (i, u, c) AS (SELECT i, u, CASE WHEN MAX(CASE WHEN t = 'Y' THEN 1 "
        "ELSE 0 END) = 1 THEN 12 ELSE COALESCE(MAX(CASE WHEN t = 'M' THEN m END), "
        "MAX(CASE WHEN t = 'Q' THEN m END)) END FROM whole WHERE y = %s "
        "GROUP BY i, u)"
        f"{ratio_parts}"
        f", need (i, u, c) AS (SELECT i, u, c FROM cur WHERE c < 12{need_more}) "
        # The last entry first: its column's type is the UNION's.
        "SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, MAX(at) "
        "FROM whole WHERE y = %s "
        "UNION ALL SELECT i, u, y, 12, t, s, m, l, NULL FROM whole "
        "UNION ALL SELECT r.indicator_id, r.org_unit_id, r.year, n.c, "
        f"r.period_type, SUM(r.value), MAX({END_MONTH_R}), {latest}, NULL "
        "FROM indicators_datavalue r JOIN need n "
        "ON n.i = r.indicator_id AND n.u = r.org_unit_id "
        f"WHERE r.year = %s AND r.period_type <> 'Y' AND {END_MONTH_R} <= n.c "
        "GROUP BY r.indicator_id, r.org_unit_id, r.year, n.c, r.period_type"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, year, *ratio_params, year, year - 1])
        found: list[tuple[Any, ...]] = cursor.fetchall()
    last = None
    groups: dict[GroupKey, dict[str, Group]] = {}
    postgres = connection.vendor == "postgresql"
    places = Decimal(1).scaleb(-DataValue._meta.get_field("value").decimal_places)
    for i, u, y, as_of, kind, total, covered, newest, at in found:
        if i is None:
            last = at
            continue
        if not postgres:  # SQLite hands back floats: read them as the ORM would
            total = Decimal(str(total)).quantize(places)
        if newest is not None and not postgres:
            newest = Decimal(str(newest)).quantize(places)
        group = Group(total, covered, newest)
        found_groups = groups.get((i, u, y, as_of))
        if found_groups is None:
            groups[(i, u, y, as_of)] = {kind: group}
        else:
            found_groups[kind] = group
    if isinstance(last, str):
        last = parse_datetime(last)
    if last is not None and timezone.is_naive(last):
        last = timezone.make_aware(last, UTC)
    return groups, last
