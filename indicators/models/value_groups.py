"""The indicator values summed per (indicator, org unit, year, period type):
what the dashboard reads instead of grouping a million rows per request.

The table is kept by database triggers on indicators_datavalue (migration
0014), so that every write path keeps it right: the services, bulk_create,
queryset update() and delete(), imports, the demo seeder, raw SQL. Nothing
in Python writes it."""

from __future__ import annotations

from django.db import models


class ValueGroup(models.Model):
    """The values of one period type of one (indicator, org unit, year): their
    sum, the latest period's end month and value, and when one was last
    entered. Read only (the triggers write it)."""

    # No foreign key constraints: a group exists only while values do, and
    # those protect their indicator and org unit.
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField()
    period_type = models.CharField(max_length=1)
    # A year of months summed: DataValue.value's 20 digits and 2 more.
    total = models.DecimalField(max_digits=22, decimal_places=4)
    # The end month of the latest period (12 for an annual value).
    covered = models.PositiveSmallIntegerField()
    latest = models.DecimalField(max_digits=20, decimal_places=4)
    entered_at = models.DateTimeField()

    class Meta:
        # Not shown anywhere (no admin): no translated names.
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "indicator", "period_type"],
                name="indicators_value_group_key",
                # The dashboard reads the index alone (an index-only scan).
                include=["total", "covered", "latest", "entered_at"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.org_unit_id}/{self.year}/{self.period_type}"
