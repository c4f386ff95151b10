"""Reading an indicator upload (DESIGN §5) against the template: every row
checked before anything is stored, every bad cell named by its Excel row and
its column's Chinese header. Reads only; the writes are
indicators.services.imports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.lib.exceptions import ApplicationError
from bureau.lib.xlsx import ReadColumn, WorkbookRefused, read_table
from bureau.models import OrgUnit, User
from indicators.calc import parse_period
from indicators.models import Indicator
from indicators.permissions import may_enter

# The template's columns. DESIGN §5 fixes the header row (row 1): the codes
# indicator_code, org_unit_code, period and value. The template hides that
# row and shows the Chinese headers (LABELS) in row 2, which the reader skips.
# Files whose row 1 has the Chinese headers (or the older Chinese names) are
# read as well.
LABELS = {
    "indicator_code": "指标",
    "org_unit_code": "街道/单位",
    "period": "统计期",
    "value": "数值",
    "unit": "计量单位",
    "indicator_name": "指标名称",
    "org_unit_name": "单位名称",
}
COLUMNS = (
    ReadColumn(
        "indicator_code",
        "indicator_code",
        required=True,
        aliases=(LABELS["indicator_code"], "指标代码"),
    ),
    ReadColumn(
        "org_unit_code",
        "org_unit_code",
        required=True,
        aliases=(LABELS["org_unit_code"], "单位代码", "单位"),
    ),
    ReadColumn("period", "period", required=True, aliases=(LABELS["period"],)),
    ReadColumn("value", "value", required=True, aliases=(LABELS["value"],)),
    ReadColumn("unit", "unit", aliases=(LABELS["unit"],)),
    ReadColumn("indicator_name", "indicator_name", aliases=(LABELS["indicator_name"],)),
    ReadColumn("org_unit_name", "org_unit_name", aliases=(LABELS["org_unit_name"],)),
)
_LABEL_OF_HEADER = {
    name: LABELS[column.key]
    for column in COLUMNS
    for name in (column.header, *column.aliases)
}


def column_label(header: str) -> str:
    """A column's Chinese name, whichever header the file gave it ("period"
    and "统计期" are both 统计期); any other header as it is."""
    return _LABEL_OF_HEADER.get(header, header)


def cell_place(error: dict[str, Any]) -> str:
    """Where an import error is, as people say it: "第5行 C列（统计期）"; the
    row or column alone when the other is unknown (a missing column, an
    empty file), and "" for the file as a whole."""
    row, column = error.get("row") or 0, str(error.get("column") or "")
    label = error.get("label") or column_label(column)
    letter = error.get("letter") or ""
    parts = []
    if row:
        parts.append(_("row %(row)s") % {"row": row})
    if letter and label:
        parts.append(
            _("column %(letter)s (%(label)s)") % {"letter": letter, "label": label}
        )
    elif label:
        parts.append(label)
    return " ".join(parts)


# What each column means, for the template's header notes.
CAPTIONS = {
    "indicator_code": "指标：从下拉列表中选择（或填写“代码表”中的指标代码）",
    "org_unit_code": "街道/单位：从下拉列表中选择（或填写“代码表”中的单位代码）",
    "period": "统计期：2025（年）、2025Q3（季度）、2025-07（月）",
    "value": "数值（按指标的计量单位填写）",
    "unit": "计量单位（选填，填写时须与指标一致）",
}


def choice_text(name: str, code: str) -> str:
    """An indicator or unit as the template's drop-down lists offer it, and
    as the reader takes it back: "技术合同成交额（tech_contracts）"."""
    return f"{name}（{code}）"


_CODE_IN_BRACKETS = re.compile(r"[（(]\s*([^（）()]+?)\s*[）)]\s*$")
M = TypeVar("M", Indicator, OrgUnit)
# What a code cell says when it is blank, or names nothing.
CODE_MESSAGES = {
    "indicator_code": (
        gettext_lazy("Choose the indicator from the drop-down list."),
        gettext_lazy(
            "There is no indicator “%(code)s”: choose one from the drop-down list."
        ),
    ),
    "org_unit_code": (
        gettext_lazy("Choose the street or unit from the drop-down list."),
        gettext_lazy(
            "There is no street or unit “%(code)s”: choose one from the drop-down list."
        ),
    ),
}


def _lookup(text: str, by_code: dict[str, M], by_name: dict[str, M]) -> M | None:
    """What a cell names: a code, the drop-down's "名称（代码）", or a name."""
    if text in by_code:
        return by_code[text]
    match = _CODE_IN_BRACKETS.search(text)
    if match and match.group(1) in by_code:
        return by_code[match.group(1)]
    return by_name.get(text)


def _is_header_row(cells: dict[str, Any]) -> bool:
    """The template's visible Chinese header row (row 2, under the hidden
    codes): every filled cell is its column's header or label."""
    filled = {k: _text(v) for k, v in cells.items() if _text(v)}
    return bool(filled) and all(
        column_label(value) == LABELS[key] for key, value in filled.items()
    )


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


def _text(value: Any) -> str:
    """A code cell as text: Excel turns 330105001 into the number 330105001.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value if value is not None else "").strip()


def read_rows(file: Any, *, by: User) -> list[Row]:
    """Every row of the upload, validated; ImportRefused lists every bad
    cell (row as Excel numbers it, column by its header)."""
    try:
        table = read_table(file, COLUMNS)
    except WorkbookRefused as exc:
        raise ImportRefused(
            [{**e.as_dict(), "label": column_label(e.column)} for e in exc.errors]
        ) from None
    errors: list[dict[str, Any]] = []

    def bad(row: int, key: str, message: str) -> None:
        errors.append(
            {
                "row": row,
                "column": table.header_of(key),
                "letter": table.letter_of(key),
                "label": LABELS[key],
                "message": message,
            }
        )

    def find(
        row: int,
        cells: dict[str, Any],
        key: str,
        known: dict[str, M],
        named: dict[str, M],
    ) -> M | None:
        """What the cell in column `key` names among `known` (by code) or
        `named`; a bad cell when it is blank or names nothing."""
        code = _text(cells[key])
        blank, unknown = CODE_MESSAGES[key]
        found = _lookup(code, known, named)
        if not code:
            bad(row, key, str(blank))
        elif found is None:
            bad(row, key, unknown % {"code": code})
        return found

    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    units = {u.code: u for u in OrgUnit.objects.filter(is_active=True)}
    indicator_names = {i.name: i for i in indicators.values()}
    unit_names = {u.name: u for u in units.values()}
    result: list[Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows:
        if _is_header_row(cells):
            continue
        row_errors = len(errors)
        indicator = find(number, cells, "indicator_code", indicators, indicator_names)
        unit = find(number, cells, "org_unit_code", units, unit_names)
        try:
            year, period = parse_period(_text(cells["period"]))
        except ValueError as exc:
            bad(number, "period", str(exc))
            year, period = 0, ("Y", 0)
        raw_value = cells["value"]
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
        if "unit" in table.present and indicator is not None:
            given_unit = _text(cells.get("unit"))
            if given_unit and given_unit != indicator.unit:
                bad(
                    number,
                    "unit",
                    _("“%(name)s” is counted in %(unit)s, not “%(given)s”.")
                    % {
                        "given": given_unit,
                        "name": indicator.name,
                        "unit": indicator.unit,
                    },
                )
        if indicator is not None and unit is not None:
            refusal = _refusal(indicator, unit, by)
            if refusal:
                bad(number, *refusal)
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
        errors.append(
            {
                "row": 0,
                "column": "",
                "message": _(
                    "The file has no data rows: fill in one row per indicator, "
                    "street and period under the headers."
                ),
            }
        )
    if errors:
        raise ImportRefused(errors)
    return result


def _refusal(indicator: Indicator, unit: OrgUnit, by: User) -> tuple[str, str] | None:
    """Why this indicator cannot be imported for this unit by `by`, as
    (column key, message); None when it can. Indicators are named by their
    Chinese name, never by code."""
    name = indicator.name
    if indicator.kind == Indicator.Kind.RATIO:
        return (
            "indicator_code",
            _("“%(name)s” is a ratio: import its numerator and denominator.")
            % {"name": name},
        )
    if indicator.source != Indicator.Source.IMPORT:
        return (
            "indicator_code",
            _(
                "“%(name)s” is computed from the platform's own data and "
                "cannot be imported."
            )
            % {"name": name},
        )
    if indicator.district_only and unit.is_street_or_park:
        return (
            "org_unit_code",
            _(
                "“%(name)s” is kept at district level only; “%(unit)s” is a "
                "street or park."
            )
            % {"name": name, "unit": unit.name},
        )
    if not may_enter(by, unit):
        return (
            "org_unit_code",
            _("You may not enter values for “%(unit)s”.") % {"unit": unit.name},
        )
    return None
