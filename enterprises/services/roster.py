"""The roster import: create and update enterprises from a filled-in roster
template (enterprises/exports/registry.py), all or nothing.

The workbook is read by bureau.lib.xlsx.read_table (size limits, header
positions); each cell is parsed here, and every problem is reported as
{row, column, message} with the Excel row and the column's Chinese header.
Messages are in Chinese only, like the template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone

from bureau.audit import audit
from bureau.lib.xlsx import CellError, ReadColumn, WorkbookRefused, is_blank, read_table
from bureau.models import OrgUnit, User
from enterprises.classifications import (
    HighTechField,
    IndustrySection,
    division_error,
    in_chinese,
    section_of_division,
)
from enterprises.exports import (
    HEADER_OF_FIELD,
    ORGANISATION_KINDS,
    ROSTER_COLUMNS,
    ROSTER_SHEET,
)
from enterprises.models import Enterprise
from enterprises.permissions import can_create_enterprise
from enterprises.services.registry import enterprise_update, enterprises_bulk_create
from enterprises.validators import validate_credit_code

_COLUMN_ORDER = {column.header: i for i, column in enumerate(ROSTER_COLUMNS)}
_READ_COLUMNS = [
    ReadColumn(key=column.field, header=column.header, required=column.required)
    for column in ROSTER_COLUMNS
]


# --- Errors and results -----------------------------------------------------


def error_sentence(error: CellError) -> str:
    """`error` as Excel users read it: row 1 is the header, 0 the whole file."""
    if error.row == 0:
        return error.message
    if not error.column:
        return f"第{error.row}行：{error.message}"
    return f"第{error.row}行「{error.column}」：{error.message}"


class RosterImportError(ValidationError):
    """The file was refused and nothing was written. `errors` holds every
    problem as a CellError, by row then column; the ValidationError messages are
    the same problems as sentences, so forms and the API error handler can
    show them as they are."""

    def __init__(self, errors: Iterable[CellError]) -> None:
        self.errors = sorted(
            errors, key=lambda e: (e.row, _COLUMN_ORDER.get(e.column, -1))
        )
        super().__init__([error_sentence(e) for e in self.errors], code="roster")


@dataclass(frozen=True)
class RosterImportResult:
    created: int
    updated: int
    unchanged: int


# --- Reading cells ----------------------------------------------------------
# Each parser takes a non-blank cell value as openpyxl gives it (str, int,
# float, bool or datetime) and returns the field value, or raises
# ValidationError with a message for the user.


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date()
    return str(value).strip()


def _credit_code(value: Any) -> str:
    if isinstance(value, float):
        raise ValidationError(
            "Excel 把代码存成了数字，后几位可能已经丢失；"
            "请把该列设为文本格式后重新填写。"
        )
    code = "".join(_text(value).split()).upper()
    validate_credit_code(code)
    return code


_SECTIONS: dict[str, str] = {}
for _code, _label in IndustrySection.choices:
    _SECTIONS[_code] = _code
    _SECTIONS[in_chinese(_label)] = _code
    _SECTIONS[in_chinese(_label).split(" ", 1)[1]] = _code


def _industry_section(value: Any) -> str:
    text = _text(value)
    section = _SECTIONS.get(text.upper()) or _SECTIONS.get(text)
    if section is None:
        raise ValidationError(f"「{text}」不是行业门类，请填 A–T 中的一个字母。")
    return section


def _industry_division(value: Any) -> str:
    # Excel turns a typed 06 into the number 6.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100:
        text = f"{value:02d}"
    else:
        text = _text(value)
        if len(text) == 1:
            text = "0" + text
    if len(text) != 2 or not (text.isascii() and text.isdigit()):
        raise ValidationError(f"「{_text(value)}」不是行业大类，应为两位数字，如 39。")
    if section_of_division(text) is None:
        raise ValidationError(f"GB/T 4754-2017 中没有行业大类 {text}。")
    return text


_HIGH_TECH_FIELDS = {
    in_chinese(label): code for code, label in HighTechField.choices
} | {code: code for code in HighTechField.values}


def _high_tech_field(value: Any) -> str:
    text = _text(value)
    code = _HIGH_TECH_FIELDS.get(text) or _HIGH_TECH_FIELDS.get(text.lower())
    if code is None:
        raise ValidationError(
            f"「{text}」不是高新技术领域，应为以下之一："
            + "、".join(in_chinese(label) for label in HighTechField.labels)
            + "。"
        )
    return code


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = _DATE.match(text)
    if match is None:
        raise ValidationError(
            f"无法识别日期「{text}」，请填写 YYYY-MM-DD，如 2015-06-30。"
        )
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(f"日期「{text}」不存在。") from None


_KINDS = {name: code for code, name in ORGANISATION_KINDS.items()}


def _kind(value: Any) -> str:
    text = _text(value)
    code = _KINDS.get(text) or (text if text in ORGANISATION_KINDS else None)
    if code is None:
        raise ValidationError(
            f"「{text}」不是单位类型，应为以下之一："
            + "、".join(ORGANISATION_KINDS.values())
            + "。"
        )
    return code


_YES_NO = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False}


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value)
    answer = _YES_NO.get(text.lower())
    if answer is None:
        raise ValidationError(f"「{text}」无法识别，请填 是 或 否。")
    return answer


def _email(value: Any) -> str:
    text = _text(value)
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(f"「{text}」不是有效的电子邮箱地址。") from None
    return text


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "credit_code": _credit_code,
    "org_unit": _text,  # a code; resolved against the org units afterwards
    "industry_section": _industry_section,
    "industry_division": _industry_division,
    "high_tech_field": _high_tech_field,
    "founded_on": _date,
    "is_above_scale": _yes_no,
    "kind": _kind,
    "contact_email": _email,
}


def _max_length(name: str) -> int | None:
    field = Enterprise._meta.get_field(name)
    return field.max_length if isinstance(field, models.Field) else None


_MAX_LENGTHS = {
    column.field: _max_length(column.field)
    for column in ROSTER_COLUMNS
    if column.field not in ("org_unit", "founded_on", "is_above_scale", "kind")
}


# --- Import -----------------------------------------------------------------


@dataclass
class _Row:
    number: int
    fields: dict[str, Any]
    enterprise: Enterprise | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def roster_import(*, file: File | IO[bytes], by: User) -> RosterImportResult:
    """Create and update enterprises from a filled-in roster_template(), all or
    nothing: any problem raises RosterImportError listing every bad cell, and
    nothing is written. Blank optional cells leave an existing value alone."""
    if not can_create_enterprise(by):
        raise PermissionDenied
    raw_rows = _read_roster(file)
    today = timezone.localdate()
    units = {unit.code: unit for unit in OrgUnit.objects.all()}

    errors: list[CellError] = []
    rows: list[_Row] = []
    first_row_of_code: dict[str, int] = {}
    for number, values in raw_rows:
        row = _Row(number, _parse_row(number, values, units, today, errors))
        code = row.fields.get("credit_code")
        if code in first_row_of_code:
            errors.append(
                CellError(
                    number,
                    HEADER_OF_FIELD["credit_code"],
                    f"与第{first_row_of_code[code]}行的代码重复。",
                )
            )
        elif code:
            first_row_of_code[code] = number
        rows.append(row)
    if not raw_rows:
        errors.append(CellError(0, "", "表格中没有企业，请从第2行起填写。"))

    existing = _existing_by_code(list(first_row_of_code))
    industry = {
        HEADER_OF_FIELD["industry_section"],
        HEADER_OF_FIELD["industry_division"],
    }
    unreadable_industry = {e.row for e in errors if e.column in industry}
    for row in rows:
        row.enterprise = existing.get(row.fields.get("credit_code", ""))
        if row.enterprise is None:
            row.fields.setdefault("is_above_scale", False)
        else:
            row.changes = _changes(row.enterprise, row.fields)
        if row.number not in unreadable_industry:
            errors.extend(_industry_errors(row))
    if errors:
        raise RosterImportError(errors)

    created = updated = unchanged = 0
    with transaction.atomic():
        new_rows = [row for row in rows if row.enterprise is None]
        try:
            enterprises_bulk_create(rows=[row.fields for row in new_rows], by=by)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                index, _dot, name = key.partition(".")
                errors.extend(
                    _errors_of(
                        new_rows[int(index)].number, ValidationError({name: messages})
                    )
                )
        created = len(new_rows)
        for row in rows:
            try:
                if row.enterprise is None:
                    continue
                elif row.changes:
                    enterprise_update(enterprise=row.enterprise, by=by, **row.changes)
                    updated += 1
                else:
                    unchanged += 1
            except ValidationError as exc:
                errors.extend(_errors_of(row.number, exc))
        if errors:
            raise RosterImportError(errors)  # rolls back the rows already written
        audit(
            by=by,
            action="enterprise.import",
            message=f"新增{created}家，更新{updated}家",
        )
    return RosterImportResult(created=created, updated=updated, unchanged=unchanged)


def _read_roster(file: File | IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """The non-blank rows with their Excel numbers, each a dict by field."""
    try:
        table = read_table(file, _READ_COLUMNS, sheet_name=ROSTER_SHEET)
    except WorkbookRefused as exc:
        raise RosterImportError(exc.errors) from None
    return table.rows


def _parse_row(
    number: int,
    values: dict[str, Any],
    units: dict[str, OrgUnit],
    today: date,
    errors: list[CellError],
) -> dict[str, Any]:
    """The given (non-blank) fields of one row; problems go to `errors`."""
    fields: dict[str, Any] = {}
    for column in ROSTER_COLUMNS:
        value = values.get(column.field)
        if is_blank(value):
            if column.required:
                errors.append(CellError(number, column.header, "必须填写。"))
            continue
        if column.field == "contact_phone" and "*" in str(value):
            # A masked phone from an export: the stored number stays as it is.
            continue
        try:
            parsed = _PARSERS.get(column.field, _text)(value)
        except ValidationError as exc:
            errors.extend(CellError(number, column.header, m) for m in exc.messages)
            continue
        limit = _MAX_LENGTHS.get(column.field)
        if limit and len(parsed) > limit:
            errors.append(
                CellError(
                    number, column.header, f"最多{limit}个字符，实为{len(parsed)}个。"
                )
            )
            continue
        fields[column.field] = parsed

    if "org_unit" in fields:
        code = fields.pop("org_unit")
        unit = units.get(code)
        if unit is None:
            message = f"系统中没有代码为 {code} 的街道或园区。"
        elif not unit.is_street_or_park:
            message = (
                f"{code}（{unit.name}）是{unit.get_level_display()}，不是街道或园区。"
            )
        elif not unit.is_active:
            message = f"{code}（{unit.name}）已停用。"
        else:
            fields["org_unit"] = unit
            message = ""
        if message:
            errors.append(CellError(number, HEADER_OF_FIELD["org_unit"], message))
    if fields.get("founded_on") and fields["founded_on"] > today:
        errors.append(
            CellError(number, HEADER_OF_FIELD["founded_on"], "成立日期不能晚于今天。")
        )
    if fields.get("industry_division") and not fields.get("industry_section"):
        fields["industry_section"] = section_of_division(fields["industry_division"])
    return fields


def _existing_by_code(codes: list[str]) -> dict[str, Enterprise]:
    # Chunked only to stay under the database's limit on query parameters;
    # a roster of 10,000 rows is one query.
    found: dict[str, Enterprise] = {}
    for start in range(0, len(codes), 10_000):
        for enterprise in Enterprise.objects.select_related("org_unit").filter(
            credit_code__in=codes[start : start + 10_000]
        ):
            found[enterprise.credit_code] = enterprise
    return found


def _changes(enterprise: Enterprise, fields: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in fields.items():
        if name == "org_unit":
            if enterprise.org_unit_id != value.pk:
                changes[name] = value
        elif getattr(enterprise, name) != value:
            changes[name] = value
    return changes


def _industry_errors(row: _Row) -> list[CellError]:
    """The section and division the enterprise will have must match, also when
    the row changes only one of them."""
    section = _current(row, "industry_section")
    division = _current(row, "industry_division")
    if not division_error(section, division):
        return []
    given = "industry_division" if "industry_division" in row.fields else ""
    column = HEADER_OF_FIELD[given or "industry_section"]
    return [
        CellError(
            row.number,
            column,
            f"行业大类 {division} 属于门类 {section_of_division(division)}，"
            f"不属于门类 {section}。",
        )
    ]


def _current(row: _Row, name: str) -> str:
    """The value `name` will have once the row is written."""
    if name in row.fields:
        return row.fields[name]
    return getattr(row.enterprise, name) if row.enterprise is not None else ""


def _errors_of(number: int, exc: ValidationError) -> list[CellError]:
    if not hasattr(exc, "error_dict"):
        return [CellError(number, "", message) for message in exc.messages]
    return [
        CellError(
            number,
            "" if name == NON_FIELD_ERRORS else HEADER_OF_FIELD.get(name, name),
            message,
        )
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
