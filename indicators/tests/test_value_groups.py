"""The value groups table (indicators.models.value_groups) the database
keeps with triggers equals a fresh GROUP BY of the value rows after every
kind of write: the services, bulk_create, queryset update() and delete(),
an import and a re-import that replaces values, its rollback, raw SQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal as D
from typing import Any

from django.db import connection
from django.utils import timezone

from bureau.tests.base import CastTestCase
from indicators.models import DataValue, Indicator, ValueGroup
from indicators.services import import_rollback, import_start, value_set
from indicators.tests.test_import_api import workbook

YEAR = 2025
END = {"M": 1, "Q": 3, "Y": 12}

Row = tuple[int, int, int, str]


def fresh_groups() -> dict[Row, tuple[D, int, D, datetime]]:
    """The groups computed in Python from the rows themselves."""
    rows: dict[Row, list[Any]] = defaultdict(list)
    for row in DataValue.objects.values_list(
        "indicator_id",
        "org_unit_id",
        "year",
        "period_type",
        "period",
        "value",
        "entered_at",
    ):
        rows[row[:4]].append(row[4:])
    groups = {}
    for key, found in rows.items():
        latest = max(found, key=lambda r: r[0])
        covered = 12 if key[3] == "Y" else latest[0] * END[key[3]]
        groups[key] = (
            sum((r[1] for r in found), D(0)),
            covered,
            latest[1],
            max(r[2] for r in found),
        )
    return groups


def stored_groups() -> dict[Row, tuple[D, int, D, datetime]]:
    return {
        (g.indicator_id, g.org_unit_id, g.year, g.period_type): (
            g.total,
            g.covered,
            g.latest,
            g.entered_at,
        )
        for g in ValueGroup.objects.all()
    }


class ValueGroupTests(CastTestCase):
    def setUp(self) -> None:
        self.contracts = Indicator.objects.get(code="tech_contracts")
        self.patents = Indicator.objects.get(code="invention_patents")

    def assert_groups_fresh(self) -> None:
        fresh = fresh_groups()
        self.assertEqual(stored_groups(), fresh)

    def rows(self, **changes: Any) -> list[DataValue]:
        made = []
        for indicator in (self.contracts, self.patents):
            for unit in (self.district, self.street_a, self.street_b):
                for month in range(1, 13):
                    made.append(
                        DataValue(
                            indicator=indicator,
                            org_unit=unit,
                            year=YEAR,
                            period_type="M",
                            period=month,
                            value=D(month * 100 + unit.pk) + D("0.1234"),
                            source=DataValue.Source.IMPORT,
                        )
                    )
                for quarter in range(1, 4):
                    made.append(
                        DataValue(
                            indicator=indicator,
                            org_unit=unit,
                            year=YEAR - 1,
                            period_type="Q",
                            period=quarter,
                            value=D("99999999999999.9999") - quarter,
                            source=DataValue.Source.IMPORT,
                        )
                    )
                made.append(
                    DataValue(
                        indicator=indicator,
                        org_unit=unit,
                        year=YEAR - 2,
                        period_type="Y",
                        period=0,
                        value=D(7),
                        source=DataValue.Source.IMPORT,
                    )
                )
        return made

    def test_bulk_create_fills_the_groups(self) -> None:
        DataValue.objects.bulk_create(self.rows(), batch_size=25)
        self.assert_groups_fresh()
        # 2 indicators × 3 units × 3 (year, period type)
        self.assertEqual(ValueGroup.objects.count(), 18)
        group = ValueGroup.objects.get(
            indicator=self.contracts, org_unit=self.street_a, year=YEAR - 1
        )
        self.assertEqual(group.covered, 9)
        if connection.vendor == "postgresql":
            # Three large quarters: more digits than one value holds, exactly
            # (SQLite keeps the values themselves as floats).
            self.assertEqual(group.total, D("299999999999993.9997"))
            self.assertEqual(group.latest, D("99999999999996.9999"))

    def test_update_and_delete_recompute_only_what_they_touch(self) -> None:
        DataValue.objects.bulk_create(self.rows())
        DataValue.objects.filter(org_unit=self.street_a, period__gte=6).update(
            value=D("1.5")
        )
        self.assert_groups_fresh()
        # A value moved to another group (the year changed).
        DataValue.objects.filter(
            indicator=self.patents, org_unit=self.street_b, year=YEAR, period=12
        ).update(year=YEAR + 1)
        self.assert_groups_fresh()
        moved = ValueGroup.objects.get(
            indicator=self.patents, org_unit=self.street_b, year=YEAR
        )
        self.assertEqual(moved.covered, 11)
        DataValue.objects.filter(period_type="M", period__gt=3).delete()
        self.assert_groups_fresh()
        # No value left in a group: no group.
        DataValue.objects.filter(period_type="Y").delete()
        self.assert_groups_fresh()
        self.assertFalse(ValueGroup.objects.filter(period_type="Y").exists())
        DataValue.objects.all().delete()
        self.assertFalse(ValueGroup.objects.exists())

    def test_the_services_keep_the_groups(self) -> None:
        for month, amount in ((3, "10"), (1, "5"), (3, "12.5")):
            value_set(
                indicator=self.contracts,
                unit=self.street_a,
                year=YEAR,
                period=("M", month),
                value=D(amount),
                by=self.officer,
            )
            self.assert_groups_fresh()
        group = ValueGroup.objects.get()
        self.assertEqual(
            (group.total, group.covered, group.latest), (D("17.5"), 3, D("12.5"))
        )

    def test_an_import_a_reimport_and_its_rollback_keep_the_groups(self) -> None:
        def rows(base: int) -> list[tuple[str, str, str, int]]:
            return [
                (code, street.code, f"{YEAR}-{m:02d}", base + m)
                for code in ("tech_contracts", "invention_patents")
                for street in (self.street_a, self.street_b)
                for m in range(1, 7)
            ]

        import_start(file=workbook(*rows(100)), by=self.officer)
        self.assert_groups_fresh()
        self.assertEqual(ValueGroup.objects.count(), 4)
        again = import_start(file=workbook(*rows(500)), by=self.officer)
        self.assertEqual(again.replaced, 24)
        self.assert_groups_fresh()
        self.assertEqual(
            set(ValueGroup.objects.values_list("total", flat=True)),
            {D(sum(500 + m for m in range(1, 7)))},
        )
        import_rollback(batch=again, by=self.officer)
        self.assert_groups_fresh()
        self.assertEqual(
            set(ValueGroup.objects.values_list("total", flat=True)),
            {D(sum(100 + m for m in range(1, 7)))},
        )

    def test_raw_sql_keeps_the_groups(self) -> None:
        now = timezone.now()
        with connection.cursor() as cursor:
            for month in (2, 4):
                cursor.execute(
                    "INSERT INTO indicators_datavalue (indicator_id, org_unit_id, "
                    "period_type, year, period, value, source, entered_at) "
                    "VALUES (%s, %s, 'M', %s, %s, %s, 'manual', %s)",
                    [self.contracts.pk, self.district.pk, YEAR, month, D(month), now],
                )
            self.assert_groups_fresh()
            cursor.execute(
                "UPDATE indicators_datavalue SET value = value * 10 WHERE period = 4"
            )
            self.assert_groups_fresh()
            self.assertEqual(ValueGroup.objects.get().total, D(42))
            cursor.execute("DELETE FROM indicators_datavalue")
        self.assertFalse(ValueGroup.objects.exists())
