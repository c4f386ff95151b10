"""The dashboard's value groups (indicators.models.value_groups): one row per
(indicator, org unit, year, period type) with the sum, the latest period's
end month and value, and the newest entered_at, filled from the values there
are and kept by triggers on indicators_datavalue, so that every write path
keeps them right (services, bulk_create, update(), delete(), raw SQL).

PostgreSQL: statement-level AFTER INSERT / UPDATE / DELETE triggers with
transition tables, recomputing only the groups the statement touched. A
group's row is created or locked first (INSERT … ON CONFLICT DO UPDATE) and
only then recomputed in a new statement, whose snapshot sees what a
concurrent writer of the same group committed while this one waited.
SQLite: row-level triggers recomputing the row's group. Either way a group
with no value left is deleted. A flush (TRUNCATE) empties both tables."""

import django.db.models.deletion
from django.db import migrations, models

GROUPS = "indicators_valuegroup"
VALUES = "indicators_datavalue"
COLUMNS = "indicator_id, org_unit_id, year, period_type"
AGGREGATED = "total, covered, latest, entered_at"
END_MONTH = "CASE period_type WHEN 'M' THEN period WHEN 'Q' THEN period * 3 ELSE 12 END"

# --- PostgreSQL ----------------------------------------------------------

PG_REFRESH = f"""
CREATE FUNCTION indicators_valuegroup_refresh(
    ki bigint[], ku bigint[], ky integer[], kt text[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- The groups' rows created (a placeholder) or locked, in key order.
    INSERT INTO {GROUPS} AS g ({COLUMNS}, {AGGREGATED})
    SELECT k.i, k.u, k.y, k.t, 0, 0, 0, now()
    FROM unnest(ki, ku, ky, kt) AS k (i, u, y, t)
    ORDER BY k.i, k.u, k.y, k.t
    ON CONFLICT (org_unit_id, year, indicator_id, period_type)
    DO UPDATE SET total = g.total;
    -- Recomputed from the values (a new snapshot: concurrent commits seen).
    UPDATE {GROUPS} AS g
    SET total = a.total, covered = a.covered, latest = a.latest,
        entered_at = a.entered_at
    FROM (
        SELECT v.indicator_id, v.org_unit_id, v.year, v.period_type,
            SUM(v.value) AS total,
            MAX(CASE v.period_type WHEN 'M' THEN v.period
                WHEN 'Q' THEN v.period * 3 ELSE 12 END) AS covered,
            (array_agg(v.value ORDER BY v.period DESC))[1] AS latest,
            MAX(v.entered_at) AS entered_at
        FROM {VALUES} AS v
        JOIN unnest(ki, ku, ky, kt) AS k (i, u, y, t)
            ON v.indicator_id = k.i AND v.org_unit_id = k.u
            AND v.year = k.y AND v.period_type = k.t
        GROUP BY v.indicator_id, v.org_unit_id, v.year, v.period_type
    ) AS a
    WHERE g.indicator_id = a.indicator_id AND g.org_unit_id = a.org_unit_id
        AND g.year = a.year AND g.period_type = a.period_type;
    -- No value left: no group.
    DELETE FROM {GROUPS} AS g
    USING unnest(ki, ku, ky, kt) AS k (i, u, y, t)
    WHERE g.indicator_id = k.i AND g.org_unit_id = k.u AND g.year = k.y
        AND g.period_type = k.t
        AND NOT EXISTS (
            SELECT 1 FROM {VALUES} AS v
            WHERE v.indicator_id = k.i AND v.org_unit_id = k.u
                AND v.year = k.y AND v.period_type = k.t
        );
END
$$;
"""


def _pg_trigger(event: str, tables: list[str]) -> str:
    name = f"indicators_valuegroup_{event.lower()}"
    # Each group once (ON CONFLICT DO UPDATE may touch a row only once).
    keys = " UNION ".join(f"SELECT DISTINCT {COLUMNS} FROM {table}" for table in tables)
    referencing = " ".join(
        f"{'NEW' if table == 'new_rows' else 'OLD'} TABLE AS {table}"
        for table in tables
    )
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM indicators_valuegroup_refresh(
        array_agg(k.indicator_id), array_agg(k.org_unit_id),
        array_agg(k.year), array_agg(k.period_type)
    )
    FROM ({keys}) AS k;
    RETURN NULL;
END
$$;
CREATE TRIGGER {name} AFTER {event} ON {VALUES}
REFERENCING {referencing}
FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


PG_FILL = f"""
INSERT INTO {GROUPS} ({COLUMNS}, {AGGREGATED})
SELECT {COLUMNS}, SUM(value), MAX({END_MONTH}),
    (array_agg(value ORDER BY period DESC))[1], MAX(entered_at)
FROM {VALUES} GROUP BY {COLUMNS};
"""

PG_DROP = """
DROP TRIGGER IF EXISTS indicators_valuegroup_insert ON indicators_datavalue;
DROP TRIGGER IF EXISTS indicators_valuegroup_update ON indicators_datavalue;
DROP TRIGGER IF EXISTS indicators_valuegroup_delete ON indicators_datavalue;
DROP FUNCTION IF EXISTS indicators_valuegroup_insert();
DROP FUNCTION IF EXISTS indicators_valuegroup_update();
DROP FUNCTION IF EXISTS indicators_valuegroup_delete();
DROP FUNCTION IF EXISTS indicators_valuegroup_refresh(bigint[], bigint[], integer[], text[]);
"""

# --- SQLite --------------------------------------------------------------


def _sqlite_key(row: str, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return " AND ".join(
        f"{prefix}{column} = {row}.{column}"
        for column in ("indicator_id", "org_unit_id", "year", "period_type")
    )


def _sqlite_refresh(row: str) -> str:
    """The group of the row NEW or OLD recomputed (deleted, then inserted
    again if any value is left)."""
    return f"""
    DELETE FROM {GROUPS} WHERE {_sqlite_key(row)};
    INSERT INTO {GROUPS} ({COLUMNS}, {AGGREGATED})
    SELECT {COLUMNS}, SUM(value), MAX({END_MONTH}),
        (SELECT l.value FROM {VALUES} AS l WHERE {_sqlite_key(row, "l")}
            ORDER BY l.period DESC LIMIT 1),
        MAX(entered_at)
    FROM {VALUES} WHERE {_sqlite_key(row)}
    GROUP BY {COLUMNS};"""


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER indicators_valuegroup_{event.lower()} AFTER {event} "
    f"ON {VALUES} FOR EACH ROW BEGIN"
    + "".join(_sqlite_refresh(row) for row in rows)
    + "\nEND;"
    for event, rows in (
        ("INSERT", ["NEW"]),
        ("UPDATE", ["OLD", "NEW"]),
        ("DELETE", ["OLD"]),
    )
]

SQLITE_FILL = f"""
INSERT INTO {GROUPS} ({COLUMNS}, {AGGREGATED})
SELECT {COLUMNS}, SUM(value), MAX({END_MONTH}),
    (SELECT l.value FROM {VALUES} AS l WHERE {_sqlite_key(VALUES, "l")}
        ORDER BY l.period DESC LIMIT 1),
    MAX(entered_at)
FROM {VALUES} GROUP BY {COLUMNS};
"""


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [
            PG_REFRESH,
            _pg_trigger("INSERT", ["new_rows"]),
            _pg_trigger("UPDATE", ["old_rows", "new_rows"]),
            _pg_trigger("DELETE", ["old_rows"]),
            PG_FILL,
        ]
    elif vendor == "sqlite":
        # SQLite cannot create the model's covering unique constraint (INCLUDE):
        # the key alone, for the triggers' look-ups and the dashboard's read.
        statements = [
            f"CREATE UNIQUE INDEX IF NOT EXISTS indicators_value_group_key_sqlite "
            f"ON {GROUPS} (org_unit_id, year, indicator_id, period_type)",
            *SQLITE_TRIGGERS,
            SQLITE_FILL,
        ]
    else:
        raise NotImplementedError(f"no value group triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    else:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS indicators_valuegroup_{event}", params=None
            )
        schema_editor.execute(
            "DROP INDEX IF EXISTS indicators_value_group_key_sqlite", params=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0010_background_job"),
        ("indicators", "0013_headline_contract_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="ValueGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField()),
                ("period_type", models.CharField(max_length=1)),
                ("total", models.DecimalField(decimal_places=4, max_digits=22)),
                ("covered", models.PositiveSmallIntegerField()),
                ("latest", models.DecimalField(decimal_places=4, max_digits=20)),
                ("entered_at", models.DateTimeField()),
                (
                    "indicator",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="indicators.indicator",
                    ),
                ),
                (
                    "org_unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="bureau.orgunit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("org_unit", "year", "indicator", "period_type"),
                        name="indicators_value_group_key",
                        include=("total", "covered", "latest", "entered_at"),
                    )
                ],
            },
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
