"""Reads of the indicator imports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from bureau.models import OrgUnit
from indicators.models import ImportBatch, Indicator
from indicators.permissions import is_street_scoped

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


def import_template_codes() -> dict[str, Any]:
    """What the import template lists: every active indicator and org unit,
    and an example row for the first raw indicator of the home district."""
    from indicators.exports.imports import IndicatorCode, UnitCode

    indicators = list(Indicator.objects.filter(is_active=True).order_by("sort_order"))
    home = OrgUnit.objects.filter(is_home=True).first()
    example = next((i for i in indicators if i.kind == Indicator.Kind.RAW), None)
    codes = []
    for i in indicators:
        if i.source != Indicator.Source.IMPORT:
            note = "由系统根据业务数据自动计算"
        elif i.kind == Indicator.Kind.RATIO:
            note = "比率指标，由分子分母计算，不导入"
        else:
            note = "仅区级" if i.district_only else ""
        codes.append(
            IndicatorCode(i.code, i.name, i.unit, str(i.get_kind_display()), note)
        )
    return {
        "indicators": codes,
        "units": [
            UnitCode(u.code, u.name, str(u.get_level_display()))
            for u in OrgUnit.objects.filter(is_active=True).order_by("code")
        ],
        "example": [
            example.code,
            home.code,
            f"{timezone.localdate().year}-01",
            0,
            example.unit,
        ]
        if example and home
        else [],
    }
