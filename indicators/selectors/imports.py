"""Reads of the indicator imports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from bureau.models import OrgUnit
from indicators.models import DataValue, ImportBatch, Indicator, ReplacedValue
from indicators.permissions import is_street_scoped, may_enter

if TYPE_CHECKING:
    from bureau.permissions import AnyUser


def import_batches(user: AnyUser) -> QuerySet[ImportBatch]:
    """The import batches in `user`'s scope: a liaison only their own (any
    other is a 404), everyone else all. Callers check the role first
    (indicators.permissions.import_batches_for_user does both)."""
    batches = ImportBatch.objects.select_related("uploaded_by")
    if is_street_scoped(user):
        return batches.filter(uploaded_by=user)
    return batches


def import_template_codes(user: AnyUser) -> dict[str, Any]:
    """What the import template offers `user`: every active indicator and
    org unit (for the code sheet), marked importable when `user` may import
    it (a raw, imported indicator; a unit `user` may enter), and an example
    row `user` may import once its value is filled in: their own street for
    a liaison, the home district for the bureau, with an indicator kept for
    that level."""
    from indicators.exports.imports import IndicatorCode, UnitCode
    from indicators.imports import choice_text

    indicators = list(Indicator.objects.filter(is_active=True).order_by("sort_order"))
    units = list(OrgUnit.objects.filter(is_active=True).order_by("code"))
    allowed_units = [u for u in units if may_enter(user, u)]
    home = next((u for u in allowed_units if u.is_home), None)
    example_unit = home or next(iter(allowed_units), None)
    codes = []
    for i in indicators:
        importable = (
            i.source == Indicator.Source.IMPORT and i.kind == Indicator.Kind.RAW
        )
        if i.source != Indicator.Source.IMPORT:
            note = "由系统根据业务数据自动计算"
        elif i.kind == Indicator.Kind.RATIO:
            note = "比率指标，由分子分母计算，不导入"
        else:
            note = "仅区级" if i.district_only else ""
        if (
            importable
            and i.district_only
            and not any(not u.is_street_or_park for u in allowed_units)
        ):
            importable = False  # a liaison enters no district-level figure
        codes.append(
            IndicatorCode(
                i.code, i.name, i.unit, str(i.get_kind_display()), note, importable
            )
        )
    example = None
    if example_unit is not None:
        example = next(
            (
                i
                for i in indicators
                if i.source == Indicator.Source.IMPORT
                and i.kind == Indicator.Kind.RAW
                and not (i.district_only and example_unit.is_street_or_park)
            ),
            None,
        )
    return {
        "indicators": codes,
        "units": [
            UnitCode(u.code, u.name, str(u.get_level_display()), u in allowed_units)
            for u in units
        ],
        "example": [
            choice_text(example.name, example.code),
            choice_text(example_unit.name, example_unit.code),
            f"{timezone.localdate().year}-01",
            None,  # the value to fill in: never imported as 0 by accident
            example.unit,
        ]
        if example and example_unit
        else [],
    }


@dataclass(frozen=True)
class BatchChange:
    """One value a batch wrote: `old` is None for a value it created."""

    value: DataValue
    old: Decimal | None


BATCH_CHANGES_SHOWN = 200


def import_batch_changes(
    batch: ImportBatch, *, limit: int = BATCH_CHANGES_SHOWN
) -> list[BatchChange]:
    """The values `batch` wrote that still stand (a later import may have
    replaced some), each with what it replaced, by indicator, unit and
    period; at most `limit`. Two queries."""
    values = list(
        DataValue.objects.filter(batch=batch)
        .select_related("indicator", "org_unit")
        .order_by(
            "indicator__sort_order",
            "org_unit__code",
            "year",
            "period_type",
            "period",
        )[:limit]
    )
    old = dict(
        ReplacedValue.objects.filter(
            batch=batch, data_value_id__in=[v.pk for v in values]
        ).values_list("data_value_id", "old_value")
    )
    return [BatchChange(value=v, old=old.get(v.pk)) for v in values]
