"""Reading an indicator upload (DESIGN §5) against the template: every row
checked before anything is stored, every bad cell named by its Excel row and
its column's Chinese header. Reads only; the writes are
indicators.services.imports."""

from __future__ import annotations

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

# The template's columns. DESIGN §5 fixes the header row: the codes
# indicator_code, org_unit_code, period and value (the template explains each
# in Chinese in a note on the header cell). Files whose headers are the
# Chinese names are read as well.
COLUMNS = (
    ReadColumn(
        "indicator_code", "indicator_code", required=True, aliases=("指标代码",)
    ),
    ReadColumn("org_unit_code", "org_unit_code", required=True, aliases=("单位代码",)),
    ReadColumn("period", "period", required=True, aliases=("统计期",)),
    ReadColumn("value", "value", required=True, aliases=("数值",)),
    ReadColumn("unit", "unit", aliases=("计量单位",)),
    ReadColumn("indicator_name", "indicator_name", aliases=("指标名称",)),
    ReadColumn("org_unit_name", "org_unit_name", aliases=("单位名称",)),
)


def column_label(header: str) -> str:
    """A column as the import page names it: a template code gets its Chinese
    name ("统计期（period）"); any other header is shown as it is."""
    for column in COLUMNS:
        if header == column.header and column.aliases:
            return f"{column.aliases[0]}（{header}）"
    return header


# What each column means, for the template's header notes.
CAPTIONS = {
    "indicator_code": "指标代码（见“代码表”）",
    "org_unit_code": "单位代码（街道/园区或本区，见“代码表”）",
    "period": "统计期：2025（年）、2025Q3（季度）、2025-07（月）",
    "value": "数值（按指标的计量单位填写）",
    "unit": "计量单位（选填，填写时须与指标一致）",
}
M = TypeVar("M", Indicator, OrgUnit)
# What a code cell says when it is blank, or names nothing.
CODE_MESSAGES = {
    "indicator_code": (
        gettext_lazy("Give the indicator code."),
        gettext_lazy("Unknown indicator code “%(code)s”."),
    ),
    "org_unit_code": (
        gettext_lazy("Give the org unit code."),
        gettext_lazy("Unknown org unit code “%(code)s”."),
    ),
}


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
        raise ImportRefused([e.as_dict() for e in exc.errors]) from None
    errors: list[dict[str, Any]] = []

    def bad(row: int, key: str, message: str) -> None:
        errors.append({"row": row, "column": table.header_of(key), "message": message})

    def find(
        row: int, cells: dict[str, Any], key: str, known: dict[str, M]
    ) -> M | None:
        """What the code in column `key` names among `known`; a bad cell
        when it is blank or names nothing."""
        code = _text(cells[key])
        blank, unknown = CODE_MESSAGES[key]
        found = known.get(code)
        if not code:
            bad(row, key, str(blank))
        elif found is None:
            bad(row, key, unknown % {"code": code})
        return found

    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    units = {u.code: u for u in OrgUnit.objects.filter(is_active=True)}
    result: list[Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows:
        row_errors = len(errors)
        indicator = find(number, cells, "indicator_code", indicators)
        unit = find(number, cells, "org_unit_code", units)
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
                    _("Unit “%(given)s” is not %(code)s's unit “%(unit)s”.")
                    % {
                        "given": given_unit,
                        "code": indicator.code,
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
        errors.append({"row": 2, "column": "", "message": _("There are no data rows.")})
    if errors:
        raise ImportRefused(errors)
    return result


def _refusal(indicator: Indicator, unit: OrgUnit, by: User) -> tuple[str, str] | None:
    """Why this indicator cannot be imported for this unit by `by`, as
    (column key, message); None when it can."""
    code = indicator.code
    if indicator.kind == Indicator.Kind.RATIO:
        return (
            "indicator_code",
            _("%(code)s is a ratio: import its numerator and denominator.")
            % {"code": code},
        )
    if indicator.source != Indicator.Source.IMPORT:
        return (
            "indicator_code",
            _(
                "%(code)s is computed from the platform's own data and cannot be imported."
            )
            % {"code": code},
        )
    if indicator.district_only and unit.is_street_or_park:
        return (
            "org_unit_code",
            _(
                "%(code)s is kept at district level only; “%(unit)s” is a street or park."
            )
            % {"code": code, "unit": unit.name},
        )
    if not may_enter(by, unit):
        return (
            "org_unit_code",
            _("You may not enter values for “%(unit)s”.") % {"unit": unit.name},
        )
    return None
