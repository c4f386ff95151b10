"""The indicator import template. Sheet “数据”: row 1 holds the column codes
DESIGN §5 fixes (hidden; the reader finds the columns by them), row 2 the
Chinese headers people read (required ones in red, each with a note), then
an example row the user may import as it is. The 指标 and 街道/单位 columns
offer drop-down lists of what the user may import, kept on a hidden sheet
“下拉选项”; sheet “代码表” lists every indicator and unit with its code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.comments import Comment
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bureau.lib.xlsx import (
    HEADER_FILL,
    HEADER_FONT,
    REQUIRED_FONT,
    Column,
    add_sheet,
    append_row,
    new_workbook,
    save,
)
from indicators.imports import CAPTIONS, COLUMNS, LABELS, choice_text


@dataclass(frozen=True)
class IndicatorCode:
    code: str
    name: str
    unit: str
    kind: str  # the kind's label
    note: str
    importable: bool = True  # by the user the template is made for


@dataclass(frozen=True)
class UnitCode:
    code: str
    name: str
    level: str  # the level's label
    importable: bool = True  # the user may enter its values


WIDTHS = {"indicator_code": 40, "org_unit_code": 28, "period": 12, "value": 16}
# Rows of the data sheet that offer the drop-down lists.
LIST_ROWS = 2000
FIRST_DATA_ROW = 3
AUTHOR = "区县科技局业务平台"


def _list_validation(
    sheet: Worksheet, column: str, source: str, count: int, what: str
) -> None:
    """A drop-down list on `column` of the data rows, from `count` cells of
    column `source` of the hidden options sheet; other text is refused."""
    validation = DataValidation(
        type="list",
        formula1=f"'下拉选项'!${source}$2:${source}${count + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请从列表中选择",
        error=f"请从下拉列表中选择{what}。",
        promptTitle=what,
        prompt=f"从下拉列表中选择{what}",
        showInputMessage=True,
    )
    validation.add(f"{column}{FIRST_DATA_ROW}:{column}{LIST_ROWS + FIRST_DATA_ROW}")
    sheet.add_data_validation(validation)


def import_template_xlsx(
    *,
    indicators: Sequence[IndicatorCode],
    units: Sequence[UnitCode],
    example: Sequence[object] = (),
) -> bytes:
    """The .xlsx to fill in: the four required columns and the unit as a
    check, an `example` row if given, the drop-down lists and the codes."""
    book = new_workbook()
    shown = COLUMNS[:5]
    # Row 1: the codes (the contract), hidden.
    sheet = add_sheet(
        book,
        "数据",
        [
            Column(c.header, width=WIDTHS.get(c.key, 10), required=c.required)
            for c in shown
        ],
    )
    sheet.row_dimensions[1].hidden = True
    # Row 2: the Chinese headers, each with a note saying what to fill in.
    append_row(sheet, [LABELS[c.key] for c in shown])
    for index, column in enumerate(shown, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.comment = Comment(CAPTIONS[column.key], AUTHOR)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    if example:
        append_row(sheet, list(example))

    options = book.create_sheet("下拉选项")
    options.sheet_state = "hidden"
    mine = [i for i in indicators if i.importable]
    my_units = [u for u in units if u.importable]
    options.append(["指标", "街道/单位"])
    for row in range(max(len(mine), len(my_units))):
        options.append(
            [
                choice_text(mine[row].name, mine[row].code)
                if row < len(mine)
                else None,
                choice_text(my_units[row].name, my_units[row].code)
                if row < len(my_units)
                else None,
            ]
        )
    if mine:
        _list_validation(sheet, "A", "A", len(mine), "指标")
    if my_units:
        _list_validation(sheet, "B", "B", len(my_units), "街道/单位")

    codes = add_sheet(
        book,
        "代码表",
        [
            Column("指标代码", width=22),
            Column("名称", width=36),
            Column("单位", width=10),
            Column("类型", width=16),
            Column("说明", width=30),
        ],
    )
    for i in indicators:
        append_row(codes, [i.code, i.name, i.unit, i.kind, i.note])
    append_row(codes, [None])
    append_row(codes, ["单位代码", "名称", "层级", "", "说明"])
    for u in units:
        append_row(
            codes, [u.code, u.name, u.level, "", "" if u.importable else "无权填报"]
        )
    append_row(codes, [None])
    append_row(codes, ["统计期格式：2025（年）、2025Q3（季度）、2025-07（月）"])
    return save(book)
