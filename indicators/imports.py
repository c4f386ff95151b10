"""The indicator import (DESIGN §5): a template, then an all-or-nothing
upload that names every bad cell by its Excel row and column, replaces the
values of the periods it covers (never duplicating them), is kept as a
batch, and can be rolled back. Large files run as a Celery task."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from bureau.audit import audit
from bureau.lib.exceptions import ApplicationError
from bureau.models import AuditEvent, OrgUnit, User
from indicators.calc import parse_period, period_text
from indicators.models import DataValue, ImportBatch, Indicator, ReplacedValue
from indicators.services import may_enter, plain_number

COLUMNS = ["indicator_code", "org_unit_code", "period", "value"]
OPTIONAL = ["unit", "indicator_name", "org_unit_name"]


def import_template() -> bytes:
    """The .xlsx to fill in: the four required columns, the unit as a check,
    and a second sheet listing every indicator and org unit code."""
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append([*COLUMNS, "unit"])
    home = OrgUnit.objects.filter(is_home=True).first()
    example = (
        Indicator.objects.filter(kind="raw", is_active=True)
        .order_by("sort_order")
        .first()
    )
    if example and home:
        sheet.append(
            [
                example.code,
                home.code,
                f"{timezone.localdate().year}-01",
                0,
                example.unit,
            ]
        )
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDE", (22, 16, 12, 16, 10), strict=True):
        sheet.column_dimensions[column].width = width
    codes = book.create_sheet("代码表")
    codes.append(["indicator_code", "名称", "单位", "类型", "说明"])
    for i in Indicator.objects.filter(is_active=True).order_by("sort_order"):
        note = (
            "比率指标，由分子分母计算，不导入"
            if i.kind == "ratio"
            else ("仅区级" if i.district_only else "")
        )
        if i.source != "import":
            note = "由系统根据业务数据自动计算"
        codes.append([i.code, i.name, i.unit, i.get_kind_display(), note])
    codes.append([])
    codes.append(["org_unit_code", "名称", "层级"])
    for u in OrgUnit.objects.filter(is_active=True).order_by("code"):
        codes.append([u.code, u.name, u.get_level_display()])
    codes.append([])
    codes.append(["period 格式：2025（年）、2025Q3（季度）、2025-07（月）"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Row:
    number: int
    indicator: Indicator
    unit: OrgUnit
    year: int
    period: tuple[str, int]
    value: Decimal


class ImportRefused(ApplicationError):
    """400 with errors: [{"row", "column", "message"}] and nothing stored."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(
            _("%(n)s problems found; nothing was imported.") % {"n": len(errors)},
            code="invalid_import",
            extra={"errors": errors},
        )
        self.errors = errors


def read_rows(file: Any, *, by: User) -> list[Row]:
    """Every row of the upload, validated; ImportRefused lists every bad
    cell (row as Excel numbers it, column by its header name)."""
    errors: list[dict[str, Any]] = []

    def bad(row: int, column: str, message: str) -> None:
        errors.append({"row": row, "column": column, "message": message})

    try:
        book = load_workbook(file, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # openpyxl raises many kinds on a file that is not .xlsx
        raise ImportRefused(
            [
                {
                    "row": 0,
                    "column": "",
                    "message": _("The file is not a valid .xlsx workbook."),
                }
            ]
        ) from None
    if not rows:
        raise ImportRefused(
            [{"row": 1, "column": "", "message": _("The sheet is empty.")}]
        )
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRefused(
            [
                {
                    "row": 1,
                    "column": c,
                    "message": _("Column %(column)s is missing.") % {"column": c},
                }
                for c in missing
            ]
        )
    position = {
        name: header.index(name) for name in COLUMNS + OPTIONAL if name in header
    }
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    units = {u.code: u for u in OrgUnit.objects.filter(is_active=True)}
    result: list[Row] = []
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if cells is None or all(c is None or str(c).strip() == "" for c in cells):
            continue

        def cell(name: str, cells: tuple = cells) -> Any:
            index = position.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        row_errors = len(errors)
        code = str(cell("indicator_code") or "").strip()
        indicator = indicators.get(code)
        if not code:
            bad(number, "indicator_code", _("Give the indicator code."))
        elif indicator is None:
            bad(
                number,
                "indicator_code",
                _("Unknown indicator code “%(code)s”.") % {"code": code},
            )
        unit_code = str(cell("org_unit_code") or "").strip()
        if isinstance(cell("org_unit_code"), float):
            unit_code = str(int(cell("org_unit_code")))
        unit = units.get(unit_code)
        if not unit_code:
            bad(number, "org_unit_code", _("Give the org unit code."))
        elif unit is None:
            bad(
                number,
                "org_unit_code",
                _("Unknown org unit code “%(code)s”.") % {"code": unit_code},
            )
        raw_period = cell("period")
        if isinstance(raw_period, float) and raw_period.is_integer():
            raw_period = int(raw_period)
        try:
            year, period = parse_period(
                str(raw_period if raw_period is not None else "")
            )
        except ValueError as exc:
            bad(number, "period", str(exc))
            year, period = 0, ("Y", 0)
        raw_value = cell("value")
        try:
            value = Decimal(str(raw_value).strip().replace(",", ""))
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            bad(
                number,
                "value",
                _("“%(value)s” is not a number.")
                % {"value": raw_value if raw_value is not None else ""},
            )
            value = Decimal(0)
        if "unit" in position and indicator is not None:
            given_unit = str(cell("unit") or "").strip()
            if given_unit and given_unit != indicator.unit:
                bad(
                    number,
                    "unit",
                    _("Unit “%(given)s” is not %(code)s's unit “%(unit)s”.")
                    % {
                        "given": given_unit,
                        "code": indicator.code,
                        "unit": indicator.unit,
                    },
                )
        if indicator is not None and unit is not None:
            if indicator.kind == Indicator.Kind.RATIO:
                bad(
                    number,
                    "indicator_code",
                    _("%(code)s is a ratio: import its numerator and denominator.")
                    % {"code": code},
                )
            elif indicator.source != Indicator.Source.IMPORT:
                bad(
                    number,
                    "indicator_code",
                    _(
                        "%(code)s is computed from the platform's own data and cannot be imported."
                    )
                    % {"code": code},
                )
            elif indicator.district_only and unit.is_street_or_park:
                bad(
                    number,
                    "org_unit_code",
                    _(
                        "%(code)s is kept at district level only; “%(unit)s” is a street or park."
                    )
                    % {"code": code, "unit": unit.name},
                )
            elif not may_enter(by, unit):
                bad(
                    number,
                    "org_unit_code",
                    _("You may not enter values for “%(unit)s”.") % {"unit": unit.name},
                )
        if len(errors) == row_errors and indicator is not None and unit is not None:
            key = (indicator.pk, unit.pk, year, period)
            if key in seen:
                bad(
                    number,
                    "period",
                    _("Repeats row %(row)s (same indicator, unit and period).")
                    % {"row": seen[key]},
                )
            else:
                seen[key] = number
                result.append(Row(number, indicator, unit, year, period, value))
    if not result and not errors:
        errors.append({"row": 2, "column": "", "message": _("There are no data rows.")})
    if errors:
        raise ImportRefused(errors)
    return result


def import_start(*, file: Any, by: User) -> ImportBatch:
    """Validate the upload and store it as a batch; apply it at once, or in
    a Celery task when it is large. Raises ImportRefused, storing nothing."""
    rows = read_rows(file, by=by)
    file.seek(0)
    batch = ImportBatch(
        original_name=getattr(file, "name", "import.xlsx")[:200],
        uploaded_by=by,
        rows=len(rows),
    )
    batch.file.save("upload.xlsx", file, save=False)
    batch.save()
    audit(
        by=by, action="indicator_import.upload", target=batch, message=f"{len(rows)}行"
    )
    if len(rows) > settings.INDICATOR_IMPORT_ASYNC_ROWS:
        from bureau.lib.tasks import enqueue_on_commit
        from indicators.tasks import indicator_import_apply

        enqueue_on_commit(indicator_import_apply, batch.pk)
        return batch
    return import_apply(batch_id=batch.pk)


@transaction.atomic
def import_apply(*, batch_id: int) -> ImportBatch:
    """Write a stored batch: re-read it (it was valid), replace or create each
    value, remember what was replaced, and audit each change. Idempotent: a
    batch that is not waiting is left alone."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    with batch.file.open("rb") as handle:
        rows = read_rows(io.BytesIO(handle.read()), by=batch.uploaded_by)
    existing = {
        (v.indicator_id, v.org_unit_id, v.year, (v.period_type, v.period)): v
        for v in DataValue.objects.filter(
            indicator_id__in={r.indicator.pk for r in rows},
            org_unit_id__in={r.unit.pk for r in rows},
            year__in={r.year for r in rows},
        )
    }
    now = timezone.now()
    created, replaced, changes, audits = [], [], [], []
    for index, row in enumerate(rows, start=1):
        key = (row.indicator.pk, row.unit.pk, row.year, row.period)
        current = existing.get(key)
        label = (
            f"{row.indicator.code} {row.unit.code} {period_text(row.year, row.period)}"
        )
        if current is None:
            created.append(
                DataValue(
                    indicator=row.indicator,
                    org_unit=row.unit,
                    period_type=row.period[0],
                    year=row.year,
                    period=row.period[1],
                    value=row.value,
                    source=DataValue.Source.IMPORT,
                    batch=batch,
                    entered_by=batch.uploaded_by,
                )
            )
            audits.append((None, row.value, label))
        elif current.value != row.value or current.batch_id != batch.pk:
            changes.append(
                ReplacedValue(
                    batch=batch,
                    data_value=current,
                    old_value=current.value,
                    old_source=current.source,
                    old_batch_id=current.batch_id,
                )
            )
            audits.append((current.value, row.value, label))
            current.value, current.source, current.batch = (
                row.value,
                DataValue.Source.IMPORT,
                batch,
            )
            current.entered_by, current.entered_at = batch.uploaded_by, now
            replaced.append(current)
        if index % 1000 == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed=index)
    DataValue.objects.bulk_create(created, batch_size=2000)
    DataValue.objects.bulk_update(
        replaced,
        ["value", "source", "batch", "entered_by", "entered_at"],
        batch_size=2000,
    )
    ReplacedValue.objects.bulk_create(changes, batch_size=2000)
    actor = batch.uploaded_by
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                actor_username=actor.get_username(),
                action="indicator_value.import",
                object_type="indicators.importbatch",
                object_id=str(batch.pk),
                object_repr=label[:200],
                changes={
                    "value": [
                        plain_number(before) if before is not None else None,
                        plain_number(after),
                    ]
                },
            )
            for before, after, label in audits
        ],
        batch_size=2000,
    )
    batch.status = ImportBatch.Status.DONE
    batch.processed = len(rows)
    batch.created, batch.replaced = len(created), len(replaced)
    batch.finished_at = timezone.now()
    batch.save()
    years = {r.year for r in rows}
    audit(
        by=actor,
        action="indicator_import.apply",
        target=batch,
        message=f"新增{len(created)}个，替换{len(replaced)}个（{'、'.join(map(str, sorted(years)))}年）",
    )
    return batch


@transaction.atomic
def import_rollback(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Undo a batch: values it created are deleted, values it replaced get
    their old value back. Refused when a later import replaced its values."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.DONE:
        raise ApplicationError(
            _("Only an imported batch can be rolled back (this one: %(status)s).")
            % {"status": batch.get_status_display()},
            code="not_done",
        )
    if ReplacedValue.objects.filter(old_batch=batch).exists():
        raise ApplicationError(
            _(
                "A later import replaced some of this batch's values; roll that one back first."
            ),
            code="superseded",
        )
    restored = 0
    for change in ReplacedValue.objects.filter(batch=batch).select_related(
        "data_value"
    ):
        value = change.data_value
        value.value, value.source = change.old_value, change.old_source
        value.batch_id = change.old_batch_id
        value.save(update_fields=["value", "source", "batch"])
        restored += 1
    replaced_ids = set(
        ReplacedValue.objects.filter(batch=batch).values_list(
            "data_value_id", flat=True
        )
    )
    deleted, _by_model = (
        DataValue.objects.filter(batch=batch).exclude(pk__in=replaced_ids).delete()
    )
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.save(update_fields=["status", "rolled_back_at"])
    audit(
        by=by,
        action="indicator_import.rollback",
        target=batch,
        message=f"删除{deleted}个，恢复{restored}个",
    )
    return batch
