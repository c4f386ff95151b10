"""Writes of indicators, values and targets. Every value change is audited
with its before and after."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save
from bureau.lib.concurrency import (
    advisory_lock,
    conflict_on_integrity_error,
    lock_for_update,
)
from bureau.models import OrgUnit, User
from indicators.calc import Period, period_text
from indicators.models import DataValue, Indicator, Target
from indicators.permissions import can_set_targets, may_enter
from indicators.signals import indicator_data_changed

# How long a request waits for another writer of values (an import, say)
# before it answers 409 "try again" rather than hold its web worker.
VALUES_LOCK_WAIT_SECONDS = 10.0


def values_lock(*, in_request: bool = True) -> None:
    """Take, until the transaction ends, the lock every writer of indicator
    values takes before anything else. The value groups' triggers lock the
    groups a statement touches, and the audit trail its one chain row: two
    writers taking these in different orders (an import holding the chain
    while it writes its rows, a value entered meanwhile that waits for the
    chain with its group locked) would deadlock. Queued on this lock first,
    they wait for each other instead. Value writes are few (entry, imports,
    the nightly recomputation); other audited work never waits for it. A
    request waits at most VALUES_LOCK_WAIT_SECONDS; background jobs
    (`in_request=False`) as long as it takes."""
    advisory_lock(
        "indicators.values",
        wait_seconds=VALUES_LOCK_WAIT_SECONDS if in_request else None,
    )


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
def indicator_create(*, by: User, **fields: Any) -> Indicator:
    """A new indicator, placed after the shipped ones; a taken code or an
    inconsistent ratio is a ValidationError naming the field."""
    indicator = Indicator(**fields, sort_order=1000)
    with conflict_on_integrity_error(indicator):  # same 400 as the sequential path
        return audited_save(
            indicator,
            by=by,
            action="indicator.create",
            fields=["code", "name", "unit", "kind", "aggregation", "ytd"],
        )


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
    values_lock()
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
    with conflict_on_integrity_error():  # a concurrent first entry won
        existing.save()
    audit(
        by=by,
        action="indicator_value.set",
        target=existing,
        before=before,
        after={"value": str(value)},
        message=f"{indicator.name} {unit.name} {period_text(year, period)}",
    )
    indicator_data_changed.send(sender=DataValue)
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
    if not can_set_targets(by):
        raise PermissionDenied
    if value < 0:
        raise ValidationError({"value": [_("A target cannot be negative.")]})
    if indicator.district_only and unit.is_street_or_park:
        raise ValidationError(
            {"org_unit": [_("This indicator has no street or park targets.")]}
        )
    lock_for_update(indicator)  # concurrent targets take versions one by one
    current = (
        Target.objects.filter(indicator=indicator, org_unit=unit, year=year)
        .order_by("-version")
        .first()
    )
    with conflict_on_integrity_error():
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
        message=f"{indicator.name} {unit.name} {year}",
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


def plain_number(number: Decimal) -> str:
    """A decimal without trailing zeros and never in exponent form (600, not 6E+2)."""
    return format(number.normalize(), "f")
