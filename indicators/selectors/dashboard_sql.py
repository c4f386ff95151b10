"""The dashboard's one read: the values it needs, aggregated in SQL per
(indicator, org unit, year, period type), so that Python only does the
per-indicator arithmetic over a few thousand rows (RULES §5.2 as
indicators.calc.aggregate states it; the test pins the two equal).

For every group the statement returns the sum of its values and the
latest period's value (encoded as "end month + 10" followed by the value,
so MAX() picks it in the same pass), and when it was last entered (so
that "data as of" needs no second scan). The dashboard also asks for last
year "as of" the month this year's figure covers: those months are found
in the same statement (`cur`: 12 when an annual value exists, else the
last month, else the last quarter's month; a ratio covers the lesser
month of its two parts) and only last year's rows of the pairs that need
it are summed again up to them (none when this year is complete).
Plain SQL that PostgreSQL and SQLite both run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
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


END_MONTH = "CASE period_type WHEN 'M' THEN period WHEN 'Q' THEN period * 3 ELSE 12 END"


def aggregated_values(
    picked: QuerySet[DataValue] | list[QuerySet[DataValue]],
    *,
    year: int,
    ratios: list[tuple[int, int, int]],
    latest_for: set[int],
) -> tuple[dict[GroupKey, dict[str, Group]], datetime | None]:
    """The groups of the rows `picked` selects, as of December for every
    year, and as of this `year`'s covered month for last year's rows where
    that month is earlier; and when the values of `year` were last
    entered. `picked`: one queryset, or several selecting disjoint rows
    (read as one UNION ALL: each part a plain index range, where an OR
    would make PostgreSQL OR bitmaps and visit rows it then filters out).
    `ratios`: (ratio, numerator, denominator) ids, whose parts are read as
    of the ratio's month. `latest_for`: the indicators whose latest
    period's value is read. One statement."""
    parts: list[str] = []
    params: list[Any] = []
    for part in picked if isinstance(picked, list) else [picked]:
        try:
            sql, part_params = (
                part.order_by()
                .values_list(
                    "indicator_id",
                    "org_unit_id",
                    "year",
                    "period_type",
                    "period",
                    "value",
                    "entered_at",
                )
                .query.sql_with_params()
            )
        except EmptyResultSet:  # nothing to read in this part
            continue
        parts.append(sql)
        params.extend(part_params)
    if not parts:  # no indicator to read
        return {}, None
    inner = " UNION ALL ".join(parts)
    # The latest period's value is needed only for "last" and year-to-date
    # indicators; ids are ints read from the database, written inline.
    latest_of = ", ".join(str(int(x)) for x in sorted(latest_for))
    latest = (
        f"MAX(CASE WHEN {{i}} IN ({latest_of}) THEN CAST({{e}} + 10 AS VARCHAR(2)) "
        f"|| CAST({{v}} AS VARCHAR(40)) END)"
        if latest_for
        else "MAX(NULL)"
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
    # One pass over the rows: the groups, with when each was last entered.
    # Only last year's groups as of an earlier month read rows again, and
    # only for the (indicator, unit) pairs that need them (none once the
    # year is complete: the join then reads nothing).
    # PostgreSQL writes the rows' subquery into both places it is read
    # (materialised, the rows would be copied once more first).
    inline = "NOT MATERIALIZED " if connection.vendor == "postgresql" else ""
    sql = (
        f"WITH rows_ (i, u, y, t, e, v, at) AS {inline}("
        "SELECT indicator_id, org_unit_id, year, period_type, "
        f"{END_MONTH}, value, entered_at FROM ({inner}) picked), "
        "whole (i, u, y, t, s, m, l, at) AS (SELECT i, u, y, t, SUM(v), "
        "MAX(e), "
        + latest.format(i="i", e="e", v="v")
        + ", MAX(at) FROM rows_ GROUP BY i, u, y, t), "
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
        "UNION ALL SELECT r.i, r.u, r.y, n.c, r.t, SUM(r.v), MAX(r.e), "
        + latest.format(i="r.i", e="r.e", v="r.v")
        + ", NULL FROM rows_ r JOIN need n ON n.i = r.i AND n.u = r.u "
        "WHERE r.y = %s AND r.t <> 'Y' AND r.e <= n.c "
        "GROUP BY r.i, r.u, r.y, n.c, r.t"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, year, *ratio_params, year, year - 1])
        found: list[tuple[Any, ...]] = cursor.fetchall()
    last = None
    groups: dict[GroupKey, dict[str, Group]] = {}
    postgres = connection.vendor == "postgresql"
    places = Decimal(1).scaleb(-DataValue._meta.get_field("value").decimal_places)
    for i, u, y, as_of, kind, total, covered, encoded, at in found:
        if i is None:
            last = at
            continue
        if not postgres:  # SQLite hands back floats: read them as the ORM would
            total = Decimal(str(total)).quantize(places)
        newest = None
        if encoded is not None:  # "end month + 10" then the value
            newest = Decimal(encoded[2:])
            if not postgres:
                newest = newest.quantize(places)
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
