"""The enterprise roster in Excel: the import template, the all-or-nothing
import and the export of enterprise lists.

The workbooks are for Chinese users only, so headers and messages are
written in Chinese here rather than going through gettext.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bureau.audit import audit
from bureau.models import OrgUnit, User
from enterprises.classifications import (
    HighTechField,
    IndustrySection,
    division_error,
    section_of_division,
)
from enterprises.models import Enterprise
from enterprises.permissions import can_create_enterprise
from enterprises.selectors import with_current_tier
from enterprises.services import enterprise_update, enterprises_bulk_create
from enterprises.validators import validate_credit_code

ROSTER_SHEET = "企业名单"
HELP_SHEET = "填写说明"


@dataclass(frozen=True)
class RosterColumn:
    header: str
    field: str
    required: bool
    width: int
    help: str
    # Formatted as text in the template, so Excel keeps leading zeros.
    text: bool = False


ROSTER_COLUMNS = (
    RosterColumn(
        "统一社会信用代码",
        "credit_code",
        True,
        22,
        "18位，按国家标准校验。系统中已有此代码的企业会被更新，其余新增。",
        text=True,
    ),
    RosterColumn("企业名称", "name", True, 36, "营业执照上的企业全称。"),
    RosterColumn(
        "街道/园区代码",
        "org_unit",
        True,
        14,
        "企业所属街道或园区在本系统中的代码，如 330105001；区县、市的代码无效。",
        text=True,
    ),
    RosterColumn(
        "行业门类",
        "industry_section",
        False,
        10,
        "GB/T 4754-2017 门类，A–T 中的一个字母，如 C。填了行业大类时可留空。",
        text=True,
    ),
    RosterColumn(
        "行业大类",
        "industry_division",
        False,
        10,
        "GB/T 4754-2017 大类，两位数字，如 39、06，须属于所填门类。",
        text=True,
    ),
    RosterColumn(
        "高新技术领域",
        "high_tech_field",
        False,
        18,
        "从下拉列表选，以下之一：" + "、".join(HighTechField.labels) + "。",
    ),
    RosterColumn(
        "成立日期",
        "founded_on",
        False,
        12,
        "日期格式的单元格，或文本 YYYY-MM-DD，如 2015-06-30；不能晚于今天。",
    ),
    RosterColumn(
        "是否规上",
        "is_above_scale",
        False,
        10,
        "从下拉列表选 是 或 否。新增企业留空视为否；已有企业留空则不改变。",
    ),
    RosterColumn("法定代表人", "legal_representative", False, 12, "法定代表人姓名。"),
    RosterColumn("地址", "address", False, 40, "企业经营地址。"),
    RosterColumn("联系人", "contact_name", False, 12, "与科技局对接的联系人。"),
    RosterColumn(
        "联系电话",
        "contact_phone",
        False,
        16,
        "手机或座机，如 0571-88888888。",
        text=True,
    ),
    RosterColumn("联系邮箱", "contact_email", False, 26, "如 li@example.com。"),
)
HEADER_OF_FIELD = {column.field: column.header for column in ROSTER_COLUMNS}
_COLUMN_ORDER = {column.header: i for i, column in enumerate(ROSTER_COLUMNS)}

ROSTER_NOTES = (
    "第1行是表头，请勿修改或删除；从第2行起每行填一家企业。",
    "按统一社会信用代码匹配：系统中已有的企业会被更新，没有的会新增。",
    "选填列留空时不会清除系统中已有的内容；要清空某项，请在企业详情页修改。",
    "导入前会检查每一行，只要有一处错误，整个文件都不会导入，"
    "并列出每个错误所在的行和列。",
    "完全空白的行会被跳过。",
)


# --- Errors and results -----------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem, where Excel shows it: `row` 1 is the header, 0 the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        if not self.column:
            return f"第{self.row}行：{self.message}"
        return f"第{self.row}行「{self.column}」：{self.message}"


class RosterImportError(ValidationError):
    """The file was refused and nothing was written. `errors` holds every
    problem as a RowError, by row then column; the ValidationError messages are
    the same problems as sentences, so forms and the API error handler can
    show them as they are."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(
            errors, key=lambda e: (e.row, _COLUMN_ORDER.get(e.column, -1))
        )
        super().__init__([str(error) for error in self.errors], code="roster")


@dataclass(frozen=True)
class RosterImportResult:
    created: int
    updated: int
    unchanged: int


# --- Template ---------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def roster_template() -> bytes:
    """An empty roster to fill in, with a sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    for index, column in enumerate(ROSTER_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    for field_name, choices in (
        ("is_above_scale", ["是", "否"]),
        ("high_tech_field", list(HighTechField.labels)),
    ):
        letter = get_column_letter(_field_position(field_name))
        validation = DataValidation(
            type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}1048576")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet(HELP_SHEET)
    notes.append(["列名", "是否必填", "填写说明"])
    for column in ROSTER_COLUMNS:
        notes.append(
            [column.header, "必填" if column.required else "选填", column.help]
        )
    notes.append([])
    for note in ROSTER_NOTES:
        notes.append(["", "", note])
    for cell in notes[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    notes.freeze_panes = "A2"
    return _save(workbook)


def _field_position(field_name: str) -> int:
    return next(
        i for i, c in enumerate(ROSTER_COLUMNS, start=1) if c.field == field_name
    )


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading cells ----------------------------------------------------------
# Each parser takes a non-blank cell value as openpyxl gives it (str, int,
# float, bool or datetime) and returns the field value, or raises
# ValidationError with a message for the user.


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
    _SECTIONS[_label] = _code
    _SECTIONS[_label.split(" ", 1)[1]] = _code


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


_HIGH_TECH_FIELDS = {label: code for code, label in HighTechField.choices} | {
    code: code for code in HighTechField.values
}


def _high_tech_field(value: Any) -> str:
    text = _text(value)
    code = _HIGH_TECH_FIELDS.get(text) or _HIGH_TECH_FIELDS.get(text.lower())
    if code is None:
        raise ValidationError(
            f"「{text}」不是高新技术领域，应为以下之一："
            + "、".join(HighTechField.labels)
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
    "contact_email": _email,
}
_MAX_LENGTHS = {
    column.field: Enterprise._meta.get_field(column.field).max_length
    for column in ROSTER_COLUMNS
    if column.field not in ("org_unit", "founded_on", "is_above_scale")
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
    positions, raw_rows = _read_roster(file)
    today = timezone.localdate()
    units = {unit.code: unit for unit in OrgUnit.objects.all()}

    errors: list[RowError] = []
    rows: list[_Row] = []
    first_row_of_code: dict[str, int] = {}
    for number, values in raw_rows:
        row = _Row(number, _parse_row(number, values, positions, units, today, errors))
        code = row.fields.get("credit_code")
        if code in first_row_of_code:
            errors.append(
                RowError(
                    number,
                    HEADER_OF_FIELD["credit_code"],
                    f"与第{first_row_of_code[code]}行的代码重复。",
                )
            )
        elif code:
            first_row_of_code[code] = number
        rows.append(row)
    if not raw_rows:
        errors.append(RowError(0, "", "表格中没有企业，请从第2行起填写。"))

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
                index, _dot, field = key.partition(".")
                errors.extend(
                    _errors_of(
                        new_rows[int(index)].number, ValidationError({field: messages})
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


def _read_roster(
    file: File | IO[bytes],
) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
    """Header positions by field, and the non-blank rows with their numbers."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    # openpyxl raises many kinds of errors on a file that is not an .xlsx
    # (BadZipFile, KeyError, InvalidFileException, XML parse errors …).
    except Exception:
        raise RosterImportError([_unreadable()]) from None
    try:
        sheet = (
            workbook[ROSTER_SHEET]
            if ROSTER_SHEET in workbook.sheetnames
            else workbook.worksheets[0]
        )
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, ())
        rows = [
            (number, values)
            for number, values in enumerate(lines, start=2)
            if not all(_is_blank(value) for value in values)
        ]
    except Exception:
        raise RosterImportError([_unreadable()]) from None
    finally:
        workbook.close()

    by_header: dict[str, int] = {}
    for index, value in enumerate(header):
        if not _is_blank(value):
            by_header.setdefault(str(value).strip(), index)
    positions = {
        column.field: by_header[column.header]
        for column in ROSTER_COLUMNS
        if column.header in by_header
    }
    missing = [
        RowError(1, column.header, f"缺少「{column.header}」列。")
        for column in ROSTER_COLUMNS
        if column.required and column.field not in positions
    ]
    if missing:
        raise RosterImportError(missing)
    return positions, rows


def _unreadable() -> RowError:
    return RowError(
        0,
        "",
        "无法读取这个文件。请上传 Excel .xlsx 文件"
        "（旧版 .xls 请先在 Excel 中另存为 .xlsx），最好用导入模板填写。",
    )


def _parse_row(
    number: int,
    values: tuple[Any, ...],
    positions: dict[str, int],
    units: dict[str, OrgUnit],
    today: date,
    errors: list[RowError],
) -> dict[str, Any]:
    """The given (non-blank) fields of one row; problems go to `errors`."""
    fields: dict[str, Any] = {}
    for column in ROSTER_COLUMNS:
        position = positions.get(column.field)
        value = (
            values[position]
            if position is not None and position < len(values)
            else None
        )
        if _is_blank(value):
            if column.required:
                errors.append(RowError(number, column.header, "必须填写。"))
            continue
        try:
            parsed = _PARSERS.get(column.field, _text)(value)
        except ValidationError as exc:
            errors.extend(RowError(number, column.header, m) for m in exc.messages)
            continue
        limit = _MAX_LENGTHS.get(column.field)
        if limit and len(parsed) > limit:
            errors.append(
                RowError(
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
            errors.append(RowError(number, HEADER_OF_FIELD["org_unit"], message))
    if fields.get("founded_on") and fields["founded_on"] > today:
        errors.append(
            RowError(number, HEADER_OF_FIELD["founded_on"], "成立日期不能晚于今天。")
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


def _industry_errors(row: _Row) -> list[RowError]:
    """The section and division the enterprise will have must match, also when
    the row changes only one of them."""
    section = _current(row, "industry_section")
    division = _current(row, "industry_division")
    if not division_error(section, division):
        return []
    given = "industry_division" if "industry_division" in row.fields else ""
    column = HEADER_OF_FIELD[given or "industry_section"]
    return [
        RowError(
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


def _errors_of(number: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "", message) for message in exc.messages]
    return [
        RowError(
            number,
            "" if name == NON_FIELD_ERRORS else HEADER_OF_FIELD.get(name, name),
            message,
        )
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


# --- Export -----------------------------------------------------------------

EXPORT_COLUMNS = (
    ("统一社会信用代码", 22),
    ("企业名称", 36),
    ("街道/园区", 14),
    ("当前梯队", 18),
    ("证书到期日", 12),
    ("行业门类", 10),
    ("行业大类", 10),
    ("高新技术领域", 18),
    ("成立日期", 12),
    ("是否规上", 10),
    ("法定代表人", 12),
    ("联系人", 12),
    ("联系电话", 16),
    ("联系邮箱", 26),
)
_HIGH_TECH_LABELS = dict(HighTechField.choices)


def enterprises_export(queryset: QuerySet[Enterprise]) -> bytes:
    """An .xlsx of `queryset` (as from enterprise_list), streamed in chunks:
    one query whatever the number of rows."""
    if "current_tier_name" not in queryset.query.annotations:
        queryset = with_current_tier(queryset)
    if not queryset.query.select_related:
        queryset = queryset.select_related("org_unit")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ROSTER_SHEET)
    # A write-only sheet takes its widths and panes before the first row.
    for index, (_header, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, header) for header, _width in EXPORT_COLUMNS])
    for enterprise in queryset.iterator(chunk_size=2000):
        sheet.append(
            [
                enterprise.credit_code,
                enterprise.name,
                enterprise.org_unit.name,
                enterprise.current_tier_name or "",
                enterprise.current_tier_expires_on,
                enterprise.industry_section,
                enterprise.industry_division,
                _HIGH_TECH_LABELS.get(enterprise.high_tech_field, ""),
                enterprise.founded_on,
                "是" if enterprise.is_above_scale else "否",
                enterprise.legal_representative,
                enterprise.contact_name,
                enterprise.contact_phone,
                enterprise.contact_email,
            ]
        )
    return _save(workbook)


def _header_cell(sheet: Any, header: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=header)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    return cell


def monitoring_export(reports: list[Any], *, flag_labels: dict[str, str]) -> bytes:
    """The quarter's street reports: a summary sheet and one row per flagged
    enterprise."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("汇总")
    summary.append(
        [
            "街道/园区",
            "监测企业",
            "按时报送",
            "逾期报送",
            "未报送",
            "营收下滑",
            "证书将到期",
        ]
    )
    for r in reports:
        summary.append(
            [
                r.org_unit.name,
                r.enterprises_monitored,
                r.filed_on_time,
                r.filed_late,
                r.missing,
                r.decliners,
                r.expiring,
            ]
        )
    details = workbook.create_sheet("需关注企业")
    details.append(["街道/园区", "企业名称", "情况", "营收同比", "证书到期日"])
    for r in reports:
        for item in r.details:
            details.append(
                [
                    r.org_unit.name,
                    item["name"],
                    "、".join(flag_labels.get(f, f) for f in item["flags"]),
                    float(item["revenue_yoy"])
                    if item.get("revenue_yoy") is not None
                    else None,
                    item.get("expires_on"),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
