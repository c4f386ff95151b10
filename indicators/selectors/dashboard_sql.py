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
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from indicators.models import DataValue

# (indicator id, org unit id, year, as of month)
GroupKey = tuple[int, int, int, int]
# The value of a (indicator, unit, year) as of a month, and the month it
# covers (calc.aggregate's answer).
Figure = tuple[Decimal | None, int]

# Which period type's group gives the value: an annual value wins (it comes
# only as of December), else months, else quarters.
PRECEDENCE = {"Y": 3, "M": 2, "Q": 1}


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
) -> tuple[dict[GroupKey, Figure], datetime | None]:
    """The values (calc.aggregate's (value, covered month)) of the indicators `indicator_ids` for each (org units,
    years) of `parts` (disjoint), as of December for every year, and as of
    this `year`'s covered month for last year where that month is earlier;
    and when the values of `year` were last entered. The groups as of
    December are the value groups table's rows (indicators.models.
    value_groups); only last year as of an earlier month reads value rows.
    `ratios`: (ratio, numerator, denominator) ids, whose parts are read as
    of the ratio's month. `latest_for`: the indicators whose value is
    their latest period's (the others: the sum). One statement; the period
    types' groups resolved here, once, not per figure."""
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
    figures: dict[GroupKey, tuple[int, Decimal | None, int]] = {}
    last = None
    if connection.vendor != "postgresql":
        # SQLite hands back floats: read them as the ORM would.
        places = Decimal(1).scaleb(-DataValue._meta.get_field("value").decimal_places)
        found = [
            row
            if row[0] is None
            else (
                *row[:5],
                Decimal(str(row[5])).quantize(places),
                row[6],
                None if row[7] is None else Decimal(str(row[7])).quantize(places),
                None,
            )
            for row in found
        ]
    for i, u, y, as_of, kind, total, covered, newest, at in found:
        if i is None:  # the last entry's row
            last = at
            continue
        key = (i, u, y, as_of)
        rank = PRECEDENCE[kind]
        held = figures.get(key)
        if held is not None and held[0] > rank:
            continue
        if kind == "Y":
            figures[key] = (rank, total, 12)
        else:
            figures[key] = (rank, newest if i in latest_for else total, covered)
    if isinstance(last, str):
        last = parse_datetime(last)
    if last is not None and timezone.is_naive(last):
        last = timezone.make_aware(last, UTC)
    return {key: (value, month) for key, (_rank, value, month) in figures.items()}, last
