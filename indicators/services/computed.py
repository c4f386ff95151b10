"""The computed indicators: recounted from enterprise and project data
when those apps announce a change (bureau.signals.business_data_changed)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from bureau.audit import audit
from bureau.models import OrgUnit
from enterprises.selectors import (
    awards_by_street,
    entries_by_street,
    loans_by_street,
    rd_institution_coverage_by_street,
)
from indicators.models import DataValue, Indicator
from indicators.selectors.contracts import (
    contract_counts_by_street,
    contract_wan_by_street,
)
from indicators.selectors.rdstats import rd_units_by_street
from indicators.services.values import values_lock
from indicators.signals import indicator_data_changed
from projects.selectors import (
    approved_funds_above_district,
    upward_approved_by_street,
    upward_funds_by_street,
    upward_recommended_by_street,
)


def _computed_values(
    indicator: Indicator, year: int, home: OrgUnit
) -> dict[int, Decimal]:
    """Per street (and the district total) from enterprise and project data."""
    by_unit: dict[int | None, Decimal] = defaultdict(Decimal)
    counts: dict[int | None, int] = {}
    if indicator.source == Indicator.Source.NEW_HNTE:
        # First awards only: a re-recognised 高企 is not new (issue 10 §4).
        counts = awards_by_street(tier_code="hnte", year=year, first_time=True)
    elif indicator.source == Indicator.Source.TECH_SME_COUNT:
        # A flow over the year's evaluation batches (indicators.calc
        # COMPUTED_SOURCES): the enterprises entered so far this year.
        counts = entries_by_street(tier_code="tech_sme", year=year)
    elif indicator.source == Indicator.Source.TECH_LOANS:
        for unit, total in loans_by_street(year=year).items():
            by_unit[unit] += total / 10000  # 万元
    elif indicator.source == Indicator.Source.RD_INSTITUTION_COVERAGE:
        return rd_institution_coverage_by_street(year=year, total_key=home.pk)
    elif indicator.source == Indicator.Source.PROJECT_FUNDS:
        return {home.pk: approved_funds_above_district(year=year) / 10000}
    elif indicator.source == Indicator.Source.UPWARD_FUNDS:
        for unit, total in upward_funds_by_street(year=year).items():
            by_unit[unit] += total / 10000  # 万元
    elif indicator.source == Indicator.Source.UPWARD_RECOMMENDED:
        counts = upward_recommended_by_street(year=year)
    elif indicator.source == Indicator.Source.UPWARD_APPROVED:
        counts = upward_approved_by_street(year=year)
    elif indicator.source == Indicator.Source.CONTRACT_OUT_AMOUNT:
        by_unit.update(contract_wan_by_street(year=year, direction="out"))
    elif indicator.source == Indicator.Source.CONTRACT_IN_AMOUNT:
        by_unit.update(contract_wan_by_street(year=year, direction="in"))
    elif indicator.source == Indicator.Source.CONTRACT_OUT_COUNT:
        counts = contract_counts_by_street(year=year, direction="out")
    elif indicator.source == Indicator.Source.CONTRACT_IN_COUNT:
        counts = contract_counts_by_street(year=year, direction="in")
    elif indicator.source == Indicator.Source.RD_REPORTING:
        counts = rd_units_by_street(year=year, measure="reporting")
    elif indicator.source == Indicator.Source.RD_NEW_REPORTING:
        counts = rd_units_by_street(year=year, measure="new_reporting")
    elif indicator.source == Indicator.Source.RD_ABOVE_ACTIVE:
        counts = rd_units_by_street(year=year, measure="above_active")
    elif indicator.source == Indicator.Source.RD_ABOVE_UNITS:
        counts = rd_units_by_street(year=year, measure="above_units")
    for unit, n in counts.items():
        by_unit[unit] += n
    # Enterprises outside any unit count in the total only.
    values = {unit: value for unit, value in by_unit.items() if unit is not None}
    values[home.pk] = sum(by_unit.values(), Decimal(0))
    return values


@transaction.atomic
def indicators_recompute(*, year: int) -> int:
    """Recalculate the computed indicators of `year` (annual values) from
    enterprise and project data; changed values are audited. Idempotent."""
    home = OrgUnit.objects.filter(is_home=True).first()
    if home is None:
        return 0
    values_lock(in_request=False)
    changed = 0
    units = {
        u.pk: u
        for u in OrgUnit.objects.filter(pk=home.pk)
        | OrgUnit.objects.filter(parent=home)
    }
    for indicator in Indicator.objects.exclude(source=Indicator.Source.IMPORT).filter(
        is_active=True
    ):
        wanted = _computed_values(indicator, year, home)
        existing = {
            v.org_unit_id: v
            for v in DataValue.objects.filter(
                indicator=indicator, year=year, period_type="Y", period=0
            )
        }
        for unit_id in set(wanted) | set(existing):
            if unit_id not in units:
                continue
            value = wanted.get(unit_id, Decimal(0)).quantize(Decimal("0.0001"))
            row = existing.get(unit_id)
            if row is not None and row.value == value:
                continue
            before = {"value": str(row.value)} if row else None
            if row is None:
                row = DataValue(period_type="Y", year=year, period=0)
            # Loaded once above: the audit event names them without a query.
            row.indicator, row.org_unit = indicator, units[unit_id]
            row.value, row.source, row.batch = value, DataValue.Source.COMPUTED, None
            row.save()
            audit(
                by=None,
                action="indicator_value.compute",
                target=row,
                before=before,
                after={"value": str(value)},
                message=f"{indicator.name} {year}",
            )
            changed += 1
    if changed:
        indicator_data_changed.send(sender=DataValue)
    return changed


def recompute_later(year: int) -> None:
    """Queue one recalculation of `year` once the current transaction commits
    (services whose data feeds computed indicators call this). Asked many
    times in one transaction, it queues once: a pending callback for the year
    is found in the connection's on-commit list, which Django empties of the
    callbacks of rolled-back savepoints."""
    from bureau.lib.tasks import enqueue
    from indicators.tasks import indicators_recompute as task

    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(func, "indicator_year", None) == year
        for _sids, func, *_rest in connection.run_on_commit
    ):
        return

    def run() -> None:
        enqueue(task, year)

    run.indicator_year = year  # type: ignore[attr-defined]
    transaction.on_commit(run)
