"""Writes of the indicators app: values, targets, computed indicators.
Every value change is audited with its before and after."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, snapshot
from bureau.models import OrgUnit, Role, User
from indicators.calc import Period, period_text
from indicators.models import DataValue, Indicator, Target


def may_enter(user: Any, unit: OrgUnit) -> bool:
    """Staff and section heads enter any unit's values; a liaison only
    their own street's or park's."""
    if user.role in (Role.STAFF, Role.SECTION_HEAD):
        return True
    return user.role == Role.STREET_LIAISON and unit.pk == user.org_unit_id


def check_value_target(indicator: Indicator, unit: OrgUnit) -> None:
    """Values are entered for raw indicators only, and district-only ones
    for districts and the city only."""
    if indicator.kind == Indicator.Kind.RATIO:
        raise ValidationError(
            {
                "indicator_code": [
                    _("%(code)s is a ratio: enter its numerator and denominator.")
                    % {"code": indicator.code}
                ]
            }
        )
    if indicator.district_only and unit.is_street_or_park:
        raise ValidationError(
            {
                "org_unit_code": [
                    _(
                        "%(code)s is kept at district level only, not for streets or parks."
                    )
                    % {"code": indicator.code}
                ]
            }
        )


@transaction.atomic
def indicator_create(*, by: Any, **fields: Any) -> Indicator:
    """A new indicator, placed after the shipped ones; a taken code or an
    inconsistent ratio is a ValidationError naming the field."""
    indicator = Indicator(**fields, sort_order=1000)
    indicator.full_clean()
    indicator.save()
    audit(
        by=by,
        action="indicator.create",
        target=indicator,
        after=snapshot(
            indicator, ["code", "name", "unit", "kind", "aggregation", "ytd"]
        ),
    )
    return indicator


@transaction.atomic
def value_set(
    *,
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    period: Period,
    value: Decimal,
    by: User | None,
    source: str = DataValue.Source.MANUAL,
) -> DataValue:
    """Enter (or correct) one value; audited with before and after."""
    if by is not None and not may_enter(by, unit):
        raise PermissionDenied
    check_value_target(indicator, unit)
    kind, number = period
    existing = (
        DataValue.objects.select_for_update()
        .filter(
            indicator=indicator,
            org_unit=unit,
            period_type=kind,
            year=year,
            period=number,
        )
        .first()
    )
    before = {"value": str(existing.value)} if existing else None
    if existing is None:
        existing = DataValue(
            indicator=indicator,
            org_unit=unit,
            period_type=kind,
            year=year,
            period=number,
        )
    existing.value = value
    existing.source = source
    existing.batch = None
    existing.entered_by = by
    existing.save()
    audit(
        by=by,
        action="indicator_value.set",
        target=existing,
        before=before,
        after={"value": str(value)},
        message=f"{indicator.code} {unit.code} {period_text(year, period)}",
    )
    return existing


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    value: Decimal,
    by: User,
    note: str = "",
) -> Target:
    """Set an annual target; a change adds a new version, keeping the old."""
    if by.role != Role.SECTION_HEAD:
        raise PermissionDenied
    if value < 0:
        raise ValidationError({"value": [_("A target cannot be negative.")]})
    if indicator.district_only and unit.is_street_or_park:
        raise ValidationError(
            {"org_unit": [_("This indicator has no street or park targets.")]}
        )
    current = (
        Target.objects.filter(indicator=indicator, org_unit=unit, year=year)
        .order_by("-version")
        .first()
    )
    target = Target.objects.create(
        indicator=indicator,
        org_unit=unit,
        year=year,
        value=value,
        version=(current.version + 1) if current else 1,
        note=note,
        set_by=by,
    )
    audit(
        by=by,
        action="target.set",
        target=target,
        before={"value": str(current.value)} if current else None,
        after={"value": str(value), "version": target.version},
        message=f"{indicator.code} {unit.code} {year}",
    )
    return target


def target_split_check(*, indicator: Indicator, year: int) -> dict[str, Any]:
    """Whether the streets' and parks' targets add up to the district's;
    a warning (not an error) when they do not."""
    home = OrgUnit.objects.filter(is_home=True).first()
    if home is None:
        return {"district": None, "parts": None, "difference": None, "warning": None}
    latest: dict[int, Decimal] = {}
    for unit_id, value in (
        Target.objects.filter(indicator=indicator, year=year)
        .order_by("version")
        .values_list("org_unit_id", "value")
    ):
        latest[unit_id] = value
    parts_units = set(
        OrgUnit.objects.filter(parent=home, level__in=["street", "park"]).values_list(
            "pk", flat=True
        )
    )
    district = latest.get(home.pk)
    parts = (
        sum((v for k, v in latest.items() if k in parts_units), Decimal(0))
        if parts_units & set(latest)
        else None
    )
    warning = None
    if indicator.kind == Indicator.Kind.RAW and (
        indicator.aggregation == "sum" or indicator.ytd
    ):
        if district is not None and parts is not None and parts != district:
            warning = _(
                "The streets' and parks' targets add up to %(parts)s, not the district's %(district)s."
            ) % {"parts": plain_number(parts), "district": plain_number(district)}
    return {
        "district": district,
        "parts": parts,
        "difference": (parts - district)
        if district is not None and parts is not None
        else None,
        "warning": warning,
    }


# --- Computed indicators -----------------------------------------------------


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
        rows = (
            Loan.objects.filter(granted_on__year=year)
            .values("enterprise__org_unit")
            .annotate(total=Sum("amount"))
        )
        for r in rows:
            by_unit[r["enterprise__org_unit"]] += r["total"] / 10000  # 万元
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


def plain_number(number: Decimal) -> str:
    """A decimal without trailing zeros and never in exponent form (600, not 6E+2)."""
    return format(number.normalize(), "f")
