"""The leadership dashboard as a workbook with Chinese headers: one sheet
each for the district, the streets, the peer districts, the red/black list
and the district's trend. Numbers stay numbers, in each indicator's unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from bureau.lib.xlsx import FORMATS, Column, add_sheet, append_row, new_workbook, save
from indicators.formats import difference_unit
from indicators.selectors.dashboard import Dashboard, Figure, IndicatorBoard, is_live

STATUS_NAMES = {"green": "达到序时", "amber": "略低于序时", "red": "滞后"}
LEAD = [Column("指标", width=36), Column("单位", width=8)]
TAIL = [
    Column("数值", width=16, kind="number"),
    Column("目标", width=16, kind="number"),
    Column("完成率", width=10, kind="percent"),
    Column("序时进度", width=10, kind="percent"),
    Column("同比", width=16),
    Column("排名", width=8, kind="int"),
    Column("状态", width=12),
    Column("数据截至", width=12),
]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _yoy_format(board: IndicatorBoard) -> str:
    if not board.yoy_is_points:
        return "+0.0%;-0.0%;0.0%"
    label = difference_unit(board.indicator.unit)
    return f'+0.00"{label}";-0.00"{label}";0.00"{label}"'


def _as_of(f: Figure, b: IndicatorBoard, year: int, today: date) -> str:
    if is_live(b.indicator, year, today=today):
        return f"{today:%Y-%m-%d}（实时）"
    return f"{year}年{f.as_of_month}月" if f.as_of_month else ""


def _figure_row(
    sheet: Worksheet,
    lead: list[Any],
    f: Figure,
    b: IndicatorBoard,
    year: int,
    today: date,
) -> None:
    row = append_row(
        sheet,
        [
            *lead,
            _number(f.value),
            _number(f.target),
            _number(f.progress),
            _number(f.schedule),
            _number(f.yoy),
            f.rank,
            STATUS_NAMES.get(f.status or "", ""),
            _as_of(f, b, year, today),
        ],
    )
    start = len(lead) + 1
    shape = FORMATS["int"] if b.indicator.unit == "家" else FORMATS["number"]
    sheet.cell(row=row, column=start).number_format = shape
    sheet.cell(row=row, column=start + 1).number_format = shape
    sheet.cell(row=row, column=start + 2).number_format = FORMATS["percent"]
    sheet.cell(row=row, column=start + 3).number_format = FORMATS["percent"]
    sheet.cell(row=row, column=start + 4).number_format = _yoy_format(b)


def _by_rank(figures: list[Figure]) -> list[Figure]:
    return sorted(figures, key=lambda f: (f.rank is None, f.rank or 0))


def dashboard_xlsx(board: Dashboard, *, today: date) -> bytes:
    """The dashboard `board` (already scoped to the reader) as .xlsx bytes;
    `today` dates the figures counted live."""
    book = new_workbook()
    year = board.year
    sheet = add_sheet(book, "全区指标", [*LEAD, *TAIL])
    for b in board.boards:
        lead = [b.indicator.name, b.indicator.unit]
        _figure_row(sheet, lead, b.district, b, year, today)
    sheet = add_sheet(book, "街道园区", [*LEAD, Column("街道/园区", 16), *TAIL])
    for b in board.boards:
        for f in _by_rank(b.streets):
            lead = [b.indicator.name, b.indicator.unit, f.name]
            _figure_row(sheet, lead, f, b, year, today)
    sheet = add_sheet(book, "区县排名", [*LEAD, Column("区县", 12), *TAIL])
    for b in board.boards:
        for f in _by_rank(b.peers):
            lead = [b.indicator.name, b.indicator.unit, f.name]
            _figure_row(sheet, lead, f, b, year, today)
    lists = [
        Column("榜单", 8),
        Column("街道/园区", 16),
        Column("指标", 36),
        Column("完成率", 10, kind="percent"),
        Column("序时进度", 10, kind="percent"),
        Column("差距（百分点）", 14),
    ]
    sheet = add_sheet(book, "红黑榜", lists)
    for label, items in (("红榜", board.honour_list), ("黑榜", board.black_list)):
        for item in items:
            row = append_row(
                sheet,
                [
                    label,
                    item["unit"],
                    item["indicator"],
                    _number(item["progress"]),
                    _number(item["schedule"]),
                    float(item["gap"]) * 100,
                ],
                lists,
            )
            sheet.cell(row=row, column=6).number_format = "+0.0;-0.0;0.0"
    home = board.home.name if board.home else ""
    trend = [
        *LEAD,
        Column("年份", 8),
        Column("数值", 16, kind="number"),
        Column("目标", 16, kind="number"),
    ]
    sheet = add_sheet(book, f"{home}历年" if home else "历年趋势", trend)
    for b in board.boards:
        for t in b.trend:
            if t["value"] is None and t["target"] is None:
                continue
            append_row(
                sheet,
                [
                    b.indicator.name,
                    b.indicator.unit,
                    t["year"],
                    _number(t["value"]),
                    _number(t["target"]),
                ],
                trend,
            )
    return save(book)
