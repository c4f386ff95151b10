"""Rows for indicator tests that need stored values and targets but do not
test the services that write them (those call the service)."""

from __future__ import annotations

from decimal import Decimal

from bureau.models import OrgUnit
from indicators.models import DataValue, Indicator, Target


def value(
    code: str, unit: OrgUnit, year: int, amount: str | int, month: int = 0
) -> DataValue:
    """An imported value: the year's (month 0) or one month's."""
    return DataValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        org_unit=unit,
        period_type="M" if month else "Y",
        period=month,
        year=year,
        value=Decimal(amount),
        source=DataValue.Source.IMPORT,
    )


def target(code: str, unit: OrgUnit, year: int, amount: str) -> Target:
    return Target.objects.create(
        indicator=Indicator.objects.get(code=code),
        org_unit=unit,
        year=year,
        value=Decimal(amount),
    )
