"""The computed indicators: recounted from enterprise and project data
when those apps announce a change (bureau.signals.business_data_changed)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from bureau.audit import audit
from bureau.models import OrgUnit
from indicators.models import DataValue, Indicator


def _computed_values(
    indicator: Indicator, year: int, home: OrgUnit
) -> dict[int, Decimal]:
    """Per street (and the district total) from enterprise and project data."""
    from enterprises.models import Certification, Loan
    from projects.models import Application

    by_unit: dict[int, Decimal] = defaultdict(Decimal)
    if indicator.source == Indicator.Source.NEW_HNTE:
        rows = (
            Certification.objects.filter(tier__code="hnte", year=year)
            .exclude(status="revoked")
            .values("enterprise__org_unit")
            .annotate(n=Count("id"))
        )
        for r in rows:
            by_unit[r["enterprise__org_unit"]] += r["n"]
    elif indicator.source == Indicator.Source.TECH_SME_COUNT:
        from datetime import date

        end = min(date(year, 12, 31), timezone.localdate())
        rows = (
            Certification.objects.in_force(end)
            .filter(tier__code="tech_sme")
            .values("enterprise__org_unit")
            .annotate(n=Count("enterprise", distinct=True))
        )
        for r in rows:
            by_unit[r["enterprise__org_unit"]] += r["n"]
    elif indicator.source == Indicator.Source.TECH_LOANS:
        loans = (
            Loan.objects.filter(granted_on__year=year)
            .values("enterprise__org_unit")
            .annotate(total=Sum("amount"))
        )
        for loan in loans:
            by_unit[loan["enterprise__org_unit"]] += loan["total"] / 10000  # 万元
    elif indicator.source == Indicator.Source.PROJECT_FUNDS:
        total = (
            Application.objects.filter(call__year=year, approved_amount__isnull=False)
            .exclude(call__programme__level="district")
            .aggregate(t=Sum("approved_amount"))["t"]
        ) or Decimal(0)
        return {home.pk: total / 10000}
    values = dict(by_unit)
    values[home.pk] = sum(by_unit.values(), Decimal(0))
    return values


@transaction.atomic
def indicators_recompute(*, year: int) -> int:
    """Recalculate the computed indicators of `year` (annual values) from
    enterprise and project data; changed values are audited. Idempotent."""
    home = OrgUnit.objects.filter(is_home=True).first()
    if home is None:
        return 0
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
                row = DataValue(
                    indicator=indicator,
                    org_unit_id=unit_id,
                    period_type="Y",
                    year=year,
                    period=0,
                )
            row.value, row.source, row.batch = value, DataValue.Source.COMPUTED, None
            row.save()
            audit(
                by=None,
                action="indicator_value.compute",
                target=row,
                before=before,
                after={"value": str(value)},
                message=f"{indicator.code} {year}",
            )
            changed += 1
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
