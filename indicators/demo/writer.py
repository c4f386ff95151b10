"""The buffered writer the demo values and targets go through: rows are
collected per key and only the missing ones are created."""

from __future__ import annotations

from decimal import Decimal

from bureau.models import OrgUnit, User
from indicators.models import DataValue, Indicator, Target

Key = tuple[int, int, str, int, int]  # indicator, unit, period type, year, period


def _q(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


class _Writer:
    """Collects the wanted rows; writes only those not stored yet."""

    def __init__(
        self, indicators: dict[str, Indicator], years: list[int], by: User | None
    ):
        self.indicators = indicators
        self.by = by
        self.values: dict[Key, Decimal] = {}
        self.targets: dict[tuple[int, int, int], Decimal] = {}
        self.years = years

    def value(
        self, code: str, unit: OrgUnit, year: int, period: tuple[str, int], v: float
    ) -> None:
        indicator = self.indicators.get(code)
        if indicator is None or (indicator.district_only and unit.is_street_or_park):
            return
        kind, number = period
        # Counts of enterprises or patents are whole numbers.
        places = "1" if indicator.unit in ("家", "件") else "0.0001"
        self.values[(indicator.pk, unit.pk, kind, year, number)] = _q(v, places)

    def target(self, code: str, unit: OrgUnit, year: int, v: float | None) -> None:
        indicator = self.indicators.get(code)
        if indicator is None or v is None or v <= 0:
            return
        if indicator.district_only and unit.is_street_or_park:
            return
        self.targets[(indicator.pk, unit.pk, year)] = _q(v, "0.0001")

    def save(self) -> int:
        ids = {i.pk for i in self.indicators.values()}
        stored = set(
            DataValue.objects.filter(
                indicator_id__in=ids, year__in=self.years
            ).values_list(
                "indicator_id", "org_unit_id", "period_type", "year", "period"
            )
        )
        values = [
            DataValue(
                indicator_id=i,
                org_unit_id=u,
                period_type=kind,
                year=year,
                period=number,
                value=v,
                source=DataValue.Source.IMPORT,
                entered_by=self.by,
            )
            for (i, u, kind, year, number), v in self.values.items()
            if (i, u, kind, year, number) not in stored
        ]
        have = set(
            Target.objects.filter(
                indicator_id__in=ids, year__in=self.years
            ).values_list("indicator_id", "org_unit_id", "year")
        )
        targets = [
            Target(
                indicator_id=i,
                org_unit_id=u,
                year=year,
                value=v,
                set_by=self.by,
                note="演示数据",
            )
            for (i, u, year), v in self.targets.items()
            if (i, u, year) not in have
        ]
        DataValue.objects.bulk_create(values, batch_size=1000)
        Target.objects.bulk_create(targets, batch_size=1000)
        return len(values) + len(targets)
