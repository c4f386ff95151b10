"""The indicator import template: the columns to fill in (required headers
in red) and a sheet of every indicator and org unit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.comments import Comment

from bureau.lib.xlsx import Column, add_sheet, append_row, new_workbook, save
from indicators.imports import CAPTIONS, COLUMNS


@dataclass(frozen=True)
class IndicatorCode:
    code: str
    name: str
    unit: str
    kind: str  # the kind's label
    note: str


@dataclass(frozen=True)
class UnitCode:
    code: str
    name: str
    level: str  # the level's label


WIDTHS = {"indicator_code": 22, "org_unit_code": 16, "period": 12, "value": 16}


def import_template_xlsx(
    *,
    indicators: Sequence[IndicatorCode],
    units: Sequence[UnitCode],
    example: Sequence[object] = (),
) -> bytes:
    """The .xlsx to fill in: the four required columns and the unit as a
    check, an `example` row if given, then the code sheet."""
    book = new_workbook()
    columns = [
        Column(c.header, width=WIDTHS.get(c.key, 10), required=c.required)
        for c in COLUMNS[:5]
    ]
    sheet = add_sheet(book, "数据", columns)
    for index, column in enumerate(COLUMNS[:5], start=1):
        # The header cells are the codes DESIGN §5 fixes; the note says in
        # Chinese what to fill in.
        sheet.cell(row=1, column=index).comment = Comment(
            CAPTIONS[column.key], "区县科技局业务平台"
        )
    if example:
        append_row(sheet, list(example))
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
    append_row(codes, ["单位代码", "名称", "层级"])
    for u in units:
        append_row(codes, [u.code, u.name, u.level])
    append_row(codes, [None])
    append_row(codes, ["统计期格式：2025（年）、2025Q3（季度）、2025-07（月）"])
    return save(book)
