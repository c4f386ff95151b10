"""The one way to write and read Excel workbooks.

Writer: a styled, frozen header; column widths and number formats; user text
written as text, so a value starting with "=", "+", "-", "@", a tab or a
carriage return never becomes a formula (CSV/formula injection, OWASP).

Reader: refuses a workbook whose declared or counted size passes the limits
(`XLSX_MAX_ROWS`, `XLSX_MAX_COLUMNS`), reads only the template's columns, and
reports every problem as {row, column, message} with the Excel row number and
the column's Chinese header.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

# Number formats by column kind.
FORMATS = {
    "text": "@",
    "int": "#,##0",
    "number": "#,##0.00",
    "money": "#,##0.00",  # amounts shown in 万元 (see bureau.lib.money)
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a written sheet."""

    header: str
    width: float = 14
    kind: str = "text"  # a key of FORMATS
    required: bool = False  # templates: the header is shown in red

    @property
    def number_format(self) -> str:
        return FORMATS[self.kind]


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = ()


def is_risky_text(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_STARTS)


def set_value(cell: Cell, value: Any) -> Cell:
    """Write `value` into `cell`; a string is always stored as a string."""
    if isinstance(value, Decimal):
        value = float(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula; force text,
        # and mark it quote-prefixed so editing it in Excel keeps it text.
        cell.data_type = "s"
        if is_risky_text(value):
            cell.quotePrefix = True
    return cell


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell), "merged cells are never written"
    return cell


def _last_row(sheet: Worksheet) -> int:
    """The last row written. openpyxl's `max_row` scans every cell of the
    sheet, which made a long export quadratic (55,000 rows: minutes, not
    seconds); the sheet also keeps the highest row a cell was added in, as
    its own `append` uses, which is the same while rows are only appended."""
    current = getattr(sheet, "_current_row", None)
    return current if isinstance(current, int) else sheet.max_row


def new_workbook() -> Workbook:
    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    return book


def add_sheet(book: Workbook, title: str, columns: Sequence[Column]) -> Worksheet:
    """A sheet with the styled, frozen header row and the columns' widths."""
    sheet: Worksheet = book.create_sheet(title=title[:31])
    for index, column in enumerate(columns, start=1):
        cell = set_value(_cell(sheet, 1, index), column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    return sheet


def append_row(
    sheet: Worksheet, values: Sequence[Any], columns: Sequence[Column] | None = None
) -> int:
    """Append one row (user text kept as text); returns its row number."""
    row = _last_row(sheet) + 1
    for index, value in enumerate(values, start=1):
        cell = set_value(_cell(sheet, row, index), value)
        if columns is not None and index <= len(columns) and value is not None:
            kind = columns[index - 1].kind
            if kind != "text" or isinstance(value, str):
                cell.number_format = FORMATS[kind]
    return row


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Told the number of rows written so far (a background export's progress).
_rows_written: ContextVar[Callable[[int], None] | None] = ContextVar(
    "rows_written", default=None
)
PROGRESS_EVERY = 500  # rows between two progress reports


@contextmanager
def reporting_rows(callback: Callable[[int], None]) -> Iterator[None]:
    """Call `callback(rows written so far)` every PROGRESS_EVERY rows of the
    workbooks written in this block (the export functions stay unchanged)."""
    token = _rows_written.set(callback)
    try:
        yield
    finally:
        _rows_written.reset(token)


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of simple sheets: header, then one row per item."""
    book = new_workbook()
    report = _rows_written.get()
    written = 0
    for spec in sheets:
        sheet = add_sheet(book, spec.title, spec.columns)
        for values in spec.rows:
            append_row(sheet, values, spec.columns)
            written += 1
            if report is not None and written % PROGRESS_EVERY == 0:
                report(written)
    if not book.worksheets:
        book.create_sheet("Sheet1")
    return save(book)


def xlsx_response_headers(filename: str) -> dict[str, str]:
    """Content-Type and an RFC 6266 Content-Disposition for a Chinese name."""
    from urllib.parse import quote

    return {
        "Content-Type": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        "Content-Disposition": (
            f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
        ),
    }


# --- Reading -----------------------------------------------------------------


@dataclass(frozen=True)
class ReadColumn:
    """A column of an import template: `key` for code, `header` for people;
    `aliases` are other headers accepted for the same column."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellError:
    row: int  # the Excel row number; 0 for the file as a whole
    column: str  # the column's header; "" for the whole row or file
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class WorkbookRefused(Exception):
    """The file cannot be read as the template; `errors` says where."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


@dataclass
class Table:
    """The rows of an upload, each a dict of the template's keys."""

    columns: Sequence[ReadColumn]
    present: set[str] = field(default_factory=set)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # The header each column has in the file (its header or an alias).
    headers: dict[str, str] = field(default_factory=dict)
    # Where each column is in the file (0 for A), for its letter in errors.
    positions: dict[str, int] = field(default_factory=dict)

    def letter_of(self, key: str) -> str:
        """The column's Excel letter ("C"), or "" when the file lacks it."""
        if key not in self.positions:
            return ""
        return get_column_letter(self.positions[key] + 1)

    def header_of(self, key: str) -> str:
        """The column's name as the file writes it, for error messages."""
        if key in self.headers:
            return self.headers[key]
        for column in self.columns:
            if column.key == key:
                return column.header
        return key


def unreadable() -> CellError:
    return CellError(
        0,
        "",
        _(
            "This file cannot be read. Upload an Excel .xlsx file (save an old "
            ".xls as .xlsx in Excel first), best filled in from the import "
            "template."
        ),
    )


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _too_big(rows: int, columns: int) -> CellError:
    return CellError(
        0,
        "",
        _(
            "The file is too large: at most %(rows)s rows and %(columns)s columns "
            "can be imported at a time (this file has at least %(found_rows)s rows "
            "and %(found_columns)s columns). Split it and import the parts."
        )
        % {
            "rows": settings.XLSX_MAX_ROWS,
            "columns": settings.XLSX_MAX_COLUMNS,
            "found_rows": rows,
            "found_columns": columns,
        },
    )


# A worksheet's XML packs about 5–20 times; far more means a crafted file.
MAX_PACKING_RATIO = 100
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _check_package(file: Any, *, max_rows: int, max_columns: int) -> None:
    """Refuse a crafted workbook before openpyxl parses it: an upload over
    UPLOAD_MAX_BYTES, a package that unpacks past XLSX_MAX_UNPACKED_MB or
    packs suspiciously well, or a worksheet with more rows or more cells in a
    row than allowed. The worksheets are streamed, so memory stays small."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise WorkbookRefused([_too_large()])
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused([unreadable()]) from None
    try:
        limit = int(settings.XLSX_MAX_UNPACKED_MB) * 1024 * 1024
        total = 0
        for info in archive.infolist():
            total += info.file_size
            packed_well = info.file_size > 1_000_000 and (
                info.file_size > MAX_PACKING_RATIO * max(info.compress_size, 1)
            )
            if total > limit or packed_well:
                raise WorkbookRefused([_too_large()])
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as stream:
                    _scan_sheet(stream, max_rows=max_rows, max_columns=max_columns)
    except WorkbookRefused:
        raise
    except Exception:
        raise WorkbookRefused([unreadable()]) from None
    finally:
        archive.close()
        if hasattr(file, "seek"):
            file.seek(0)


def _scan_sheet(stream: IO[bytes], *, max_rows: int, max_columns: int) -> None:
    rows = cells = 0
    row_tag, cell_tag = f"{_SHEET_NS}row", f"{_SHEET_NS}c"
    for event, element in etree.iterparse(
        stream, events=("start", "end"), tag=(row_tag, cell_tag), huge_tree=False
    ):
        if event == "start" and element.tag == row_tag:
            rows, cells = rows + 1, 0
            if rows > max_rows + 1:
                raise WorkbookRefused([_too_big(rows, 0)])
        elif event == "end" and element.tag == cell_tag:
            cells += 1
            if cells > max_columns:
                raise WorkbookRefused([_too_big(rows, cells)])
        elif event == "end":
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]


def _too_large() -> CellError:
    return CellError(
        0,
        "",
        _("The file is too large to import: split it and import the parts."),
    )


def read_table(
    file: IO[bytes] | Any,
    columns: Sequence[ReadColumn],
    *,
    sheet_name: str | None = None,
) -> Table:
    """Read the first sheet (or `sheet_name`) of an upload against `columns`.

    Row 1 is the header. Blank rows are skipped; values are returned as
    openpyxl gives them (str, int, float, datetime). Raises WorkbookRefused
    for an unreadable or oversize file, or when a required column is missing.
    """
    max_rows = int(settings.XLSX_MAX_ROWS)
    max_columns = int(settings.XLSX_MAX_COLUMNS)
    _check_package(file, max_rows=max_rows, max_columns=max_columns)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    # openpyxl raises many kinds of errors on a file that is not an .xlsx
    # (BadZipFile, KeyError, InvalidFileException, XML parse errors …).
    except Exception:
        raise WorkbookRefused([unreadable()]) from None
    try:
        sheet: Any
        if sheet_name and sheet_name in book.sheetnames:
            sheet = book[sheet_name]
        elif book.worksheets:
            sheet = book.worksheets[0]
        else:
            raise WorkbookRefused([unreadable()])
        # The declared size (<dimension ref>) first: a tiny file may declare
        # a huge sheet, which read-only mode would pad out row by row.
        declared_rows = getattr(sheet, "max_row", None) or 0
        declared_columns = getattr(sheet, "max_column", None) or 0
        if declared_rows > max_rows + 1 or declared_columns > max_columns:
            raise WorkbookRefused([_too_big(declared_rows, declared_columns)])
        lines = sheet.iter_rows(values_only=True, max_col=max_columns)
        header = next(lines, None) or ()
        by_header: dict[str, int] = {}
        for index, value in enumerate(header):
            if not is_blank(value):
                by_header.setdefault(str(value).strip(), index)
        positions: dict[str, int] = {}
        used: dict[str, str] = {}
        for column in columns:
            for name in (column.header, *column.aliases):
                if name in by_header:
                    positions[column.key] = by_header[name]
                    used[column.key] = name
                    break
        missing = [
            CellError(
                1,
                column.header,
                _("Column “%(column)s” is missing.") % {"column": column.header},
            )
            for column in columns
            if column.required and column.key not in positions
        ]
        if missing:
            raise WorkbookRefused(missing)
        table = Table(
            columns=columns, present=set(positions), headers=used, positions=positions
        )
        for number, values in enumerate(lines, start=2):
            if number > max_rows + 1:
                raise WorkbookRefused([_too_big(number, len(values))])
            if all(is_blank(value) for value in values):
                continue
            table.rows.append(
                (
                    number,
                    {
                        key: values[index] if index < len(values) else None
                        for key, index in positions.items()
                    },
                )
            )
        return table
    except WorkbookRefused:
        raise
    except Exception:
        raise WorkbookRefused([unreadable()]) from None
    finally:
        book.close()


def cell_date(value: Any) -> date | Any:
    """A datetime cell as a date; anything else unchanged."""
    return value.date() if isinstance(value, datetime) else value
