"""Writes of carriers' yearly figures (在孵, 毕业, 新增入驻, 考核等级): the
table on a carrier's page and the bureau's yearly Excel list; and the
carriers themselves from the bureau's Excel list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.audit import audit, audit_many, snapshot
from bureau.lib.xlsx import CellError, is_blank
from bureau.models import User
from enterprises.exports.cooperation import (
    CARRIER_COLUMNS,
    CARRIER_YEAR_COLUMNS,
    GRADES,
)
from enterprises.models import Carrier, CarrierType, CarrierYear
from enterprises.permissions import can_record_support
from enterprises.services.cooperation import (
    CooperationImportError,
    ImportResult,
    cell_choice,
    cell_date,
    cell_level,
    read_rows,
)
from enterprises.services.institutions import (
    Lookup,
    cell_text,
    parse_cells,
    save_rows,
    type_named,
)
from enterprises.services.support import carrier_save

YEAR_FIELDS = ("year", "incubating", "graduated", "new_residents", "grade", "notes")


@dataclass(frozen=True)
class YearsSaved:
    created: int
    updated: int
    deleted: int


def _check_row(row: CarrierYear) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        row.full_clean(exclude=["carrier"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return errors


@transaction.atomic
def carrier_years_save(
    *,
    carrier: Carrier,
    by: User,
    rows: list[dict[str, Any]],
    delete_years: list[int] | None = None,
) -> YearsSaved:
    """Write `carrier`'s figures year by year: each row {"year", "incubating",
    "graduated", "new_residents", "grade", "notes"} creates or replaces that
    year's; `delete_years` removes years. A year given twice, or a bad value,
    raises ValidationError keyed "rows[<index>].<field>" and writes nothing."""
    existing = {y.year: y for y in CarrierYear.objects.filter(carrier=carrier)}
    errors: dict[str, list[str]] = {}
    seen: dict[int, int] = {}
    pending: list[tuple[CarrierYear, dict[str, Any] | None]] = []
    for index, values in enumerate(rows):
        year = values.get("year")
        if year in seen:
            errors[f"rows[{index}].year"] = [
                _("The year %(year)s is given twice (rows %(first)s and %(second)s).")
                % {"year": year, "first": seen[year] + 1, "second": index + 1}
            ]
            continue
        if year is not None:
            seen[year] = index
        row = existing.get(year) if year is not None else None
        before = snapshot(row, YEAR_FIELDS) if row is not None else None
        row = row or CarrierYear(carrier=carrier)
        for name in YEAR_FIELDS:
            if name in values:
                setattr(row, name, values[name] if values[name] is not None else "")
        for name, messages in _check_row(row).items():
            errors[f"rows[{index}].{name}"] = messages
        pending.append((row, before))
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    events = []
    for row, before in pending:
        after = snapshot(row, YEAR_FIELDS)
        if before == after:
            continue
        row.save()
        created, updated = created + (before is None), updated + (before is not None)
        events.append(
            {
                "by": by,
                "action": "carrier_year.save",
                "target": row,
                "before": before,
                "after": snapshot(row, YEAR_FIELDS),
                "message": carrier.name,
            }
        )
    gone = [
        existing[y] for y in (delete_years or []) if y in existing and y not in seen
    ]
    for row in gone:
        events.append(
            {
                "by": by,
                "action": "carrier_year.delete",
                "target": row,
                "before": snapshot(row, YEAR_FIELDS),
                "message": carrier.name,
            }
        )
    audit_many(events)  # type: ignore[arg-type]
    CarrierYear.objects.filter(pk__in=[row.pk for row in gone]).delete()
    return YearsSaved(created=created, updated=updated, deleted=len(gone))


def _count(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(f"「{value}」不是非负整数。")
    return value


def carrier_years_import(*, file: File | IO[bytes], by: User) -> ImportResult:
    """Yearly figures of many carriers from one workbook (the carriers by
    exact name), all or nothing; a carrier's year already stored is
    replaced."""
    if not can_record_support(by):
        raise PermissionDenied
    cols = CARRIER_YEAR_COLUMNS
    header = {c.key: c.header for c in cols}
    rows = read_rows(file, cols)
    carriers = {c.name: c for c in Carrier.objects.all()}
    errors: list[CellError] = []
    by_carrier: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    seen: dict[tuple[int, int], int] = {}
    for number, values in rows:
        name = "" if is_blank(values.get("carrier")) else str(values["carrier"]).strip()
        carrier = carriers.get(name)
        if not name:
            errors.append(CellError(number, header["carrier"], "必须填写。"))
        elif carrier is None:
            errors.append(
                CellError(
                    number, header["carrier"], f"系统中没有名为「{name}」的载体。"
                )
            )
        fields: dict[str, Any] = {}
        for key in ("year", "incubating", "graduated", "new_residents"):
            value = values.get(key)
            if is_blank(value):
                if key in ("year", "incubating"):
                    errors.append(CellError(number, header[key], "必须填写。"))
                else:
                    fields[key] = 0
                continue
            try:
                fields[key] = _count(value)
            except ValidationError as exc:
                errors.extend(CellError(number, header[key], m) for m in exc.messages)
        grade = values.get("grade")
        fields["grade"] = ""
        if not is_blank(grade):
            try:
                fields["grade"] = cell_choice(grade, GRADES)
            except ValidationError as exc:
                errors.extend(
                    CellError(number, header["grade"], m) for m in exc.messages
                )
        fields["notes"] = "" if is_blank(values.get("notes")) else str(values["notes"])
        if carrier is not None and "year" in fields:
            pair = (carrier.pk, fields["year"])
            if pair in seen:
                errors.append(
                    CellError(
                        number,
                        header["year"],
                        f"与第{seen[pair]}行重复：同一载体同一年度只能填一行。",
                    )
                )
                continue
            seen[pair] = number
            by_carrier.setdefault(carrier.pk, []).append((number, fields))
    if errors:
        raise CooperationImportError(errors)
    created = updated = 0
    with transaction.atomic():
        for carrier_pk, items in by_carrier.items():
            carrier = next(c for c in carriers.values() if c.pk == carrier_pk)
            try:
                saved = carrier_years_save(
                    carrier=carrier, by=by, rows=[fields for _n, fields in items]
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    index, _dot, name = key.partition("].")
                    number = items[int(index.removeprefix("rows["))][0]
                    errors.extend(
                        CellError(number, header.get(name, ""), m) for m in messages
                    )
                continue
            created, updated = created + saved.created, updated + saved.updated
        if errors:
            raise CooperationImportError(errors)
        audit(
            by=by,
            action="carrier_year.import",
            message=f"新增{created}条，更新{updated}条",
        )
    return ImportResult(created=created, updated=updated)


def carriers_import(*, file: File | IO[bytes], by: User) -> ImportResult:
    """Register carriers from the bureau's list, all or nothing: the street
    or park by name or code, the host (optional) a registry organisation by
    credit code or exact name, else the operator's name as text. A carrier
    of the same name already stored is updated (its residents stay)."""
    if not can_record_support(by):
        raise PermissionDenied
    cols = CARRIER_COLUMNS
    header = {c.key: c.header for c in cols}
    rows = read_rows(file, cols)
    lookup = Lookup(rows, "host")
    existing = {c.name: c for c in Carrier.objects.all()}
    errors: list[CellError] = []
    parsed: list[tuple[int, Carrier, bool]] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        row_errors = len(errors)

        def error(key: str, message: str) -> None:
            errors.append(CellError(number, header[key], message))  # noqa: B023

        for key in ("name", "type", "level", "org_unit"):
            if is_blank(values.get(key)):
                error(key, "必须填写。")
        name = cell_text(values.get("name"))
        fields: dict[str, Any] = {
            "operator": cell_text(values.get("operator")),
            "host": None,
            "recognised_on": None,
        }
        if not is_blank(values.get("type")):
            found = type_named(CarrierType, cell_text(values["type"]))
            if isinstance(found, str):
                error("type", found)
            else:
                fields["type"] = found
        parse_cells(
            values,
            {"level": cell_level, "recognised_on": cell_date},
            number=number,
            header=header,
            into=fields,
            errors=errors,
        )
        if not is_blank(values.get("org_unit")):
            unit = lookup.unit(cell_text(values["org_unit"]))
            if isinstance(unit, str):
                error("org_unit", unit)
            else:
                fields["org_unit"] = unit
        if not is_blank(values.get("host")):
            host = lookup.organisation(cell_text(values["host"]))
            if isinstance(host, str):
                error("host", host)
            else:
                fields["host"] = host
        if name in seen:
            error("name", f"与第{seen[name]}行重复：同一载体只能填一行。")
        elif name:
            seen[name] = number
        if len(errors) > row_errors:
            continue
        carrier = existing.get(name)
        is_new = carrier is None
        carrier = carrier or Carrier(name=name)
        for key, value in fields.items():
            setattr(carrier, key, value)
        parsed.append((number, carrier, is_new))
    if errors:
        raise CooperationImportError(errors)
    return save_rows(
        parsed,
        lambda carrier: carrier_save(carrier=carrier, by=by),
        columns=cols,
        by=by,
        action="carrier.import",
    )
