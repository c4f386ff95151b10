"""Excel import of the reserve (储备库), all or nothing.

The columns are those of the reserve's export (projects.exports_upward
.RESERVE_COLUMNS), so an exported file can be edited and imported back; the
columns the import does not read (编号, 街道, 状态, ...) are ignored. A row is
keyed on its enterprise and project name: an entry of the same enterprise
and title still in the reserve is updated, otherwise one is added. Every
row is written through reserve_save, which audits it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bureau.lib.exceptions import ApplicationError
from bureau.lib.money import to_decimal, yuan_from_wan
from bureau.lib.xlsx import CellError, ReadColumn, WorkbookRefused, is_blank, read_table
from bureau.models import User
from enterprises.selectors import enterprise_choices
from projects.models import Programme, ReserveProject
from projects.permissions import can_manage_upward
from projects.selectors.upward import HIGHER_LEVELS
from projects.services.upward.reserve import reserve_save

R = ReserveProject.Status

RESERVE_IMPORT_COLUMNS = [
    ReadColumn("title", "项目名称", required=True),
    ReadColumn("enterprise", "企业", required=True, aliases=("企业名称",)),
    ReadColumn("credit_code", "统一社会信用代码"),
    ReadColumn("target_level", "目标级别", required=True),
    ReadColumn("target_programme", "目标计划"),
    ReadColumn("expected_year", "预计申报年度", required=True),
    ReadColumn("planned_amount", "计划申请金额（万元）", required=True),
    ReadColumn("summary", "项目简介", required=True),
]
HEADER = {column.key: column.header for column in RESERVE_IMPORT_COLUMNS}
# The model's fields the import writes, and the column each comes from.
FIELD_HEADER = {
    "enterprise": HEADER["enterprise"],
    "title": HEADER["title"],
    "summary": HEADER["summary"],
    "target_level": HEADER["target_level"],
    "target_programme": HEADER["target_programme"],
    "expected_year": HEADER["expected_year"],
    "planned_amount": HEADER["planned_amount"],
}
MAX_WAN = Decimal("999999999999.99") / Decimal(10000)


class ReserveImportError(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class ReserveImportResult:
    created: int
    updated: int


def _text(value: Any) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _level_words() -> dict[str, str]:
    """Every way a target level may be written: 省级, 省, provincial, ..."""
    words: dict[str, str] = {}
    for key in HIGHER_LEVELS:
        level = Programme.Level(key)
        words[str(key)] = str(key)
        words[str(level.label).lower()] = str(key)
        with translation.override("zh-hans"):
            label = str(level.label)
        words[label] = str(key)
        words[label.removesuffix("级")] = str(key)
    return words


def _level_names() -> str:
    with translation.override("zh-hans"):
        return "、".join(str(Programme.Level(key).label) for key in HIGHER_LEVELS)


def _errors_of(number: int, exc: ValidationError) -> list[CellError]:
    if not hasattr(exc, "error_dict"):
        return [CellError(number, "", m) for m in exc.messages]
    return [
        CellError(number, FIELD_HEADER.get(name, ""), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def reserve_import(*, by: User, file: File | IO[bytes]) -> ReserveImportResult:
    """Add or update reserve projects from the bureau's list, all or nothing:
    any bad cell raises ReserveImportError listing every one with its Excel
    row and Chinese header, and nothing is written. The enterprise is found
    by its unified social credit code, else by its exact name; the target
    level and programme by their Chinese labels; amounts are in 万元."""
    if not can_manage_upward(by):
        raise PermissionDenied
    try:
        table = read_table(file, RESERVE_IMPORT_COLUMNS)
    except WorkbookRefused as exc:
        raise ReserveImportError(list(exc.errors)) from None
    if not table.rows:
        raise ReserveImportError(
            [CellError(0, "", _("The sheet has no rows; fill them in from row 2."))]
        )
    codes = {_text(v.get("credit_code")).upper() for _n, v in table.rows} - {""}
    names = {_text(v.get("enterprise")) for _n, v in table.rows} - {""}
    by_code = {
        e.credit_code: e for e in enterprise_choices().filter(credit_code__in=codes)
    }
    by_name: dict[str, list[Any]] = {}
    for named in enterprise_choices().filter(name__in=names):
        by_name.setdefault(named.name, []).append(named)
    programmes: dict[str, list[Programme]] = {}
    for known in Programme.objects.filter(level__in=HIGHER_LEVELS).order_by(
        "-is_active", "pk"
    ):
        programmes.setdefault(known.name, []).append(known)
    levels = _level_words()

    errors: list[CellError] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[int, str], int] = {}
    for number, values in table.rows:
        row_errors: list[CellError] = []

        def wrong(key: str, message: str) -> None:
            row_errors.append(CellError(number, HEADER[key], message))  # noqa: B023

        fields: dict[str, Any] = {}
        fields["title"] = _text(values.get("title"))
        if not fields["title"]:
            wrong("title", _("Fill in this cell."))
        elif len(fields["title"]) > 200:
            wrong("title", _("At most 200 characters."))
        fields["summary"] = _text(values.get("summary"))
        if not fields["summary"]:
            wrong("summary", _("Fill in this cell."))

        code = _text(values.get("credit_code")).upper()
        name = _text(values.get("enterprise"))
        enterprise: Any = None
        if code:
            enterprise = by_code.get(code)
            if enterprise is None:
                wrong(
                    "credit_code",
                    _("No enterprise has the credit code %(code)s.") % {"code": code},
                )
            elif name and name != enterprise.name:
                wrong(
                    "enterprise",
                    _(
                        "The credit code is that of %(name)s, not of the name written here."
                    )
                    % {"name": enterprise.name},
                )
        elif not name:
            wrong("enterprise", _("Fill in the enterprise's name or credit code."))
        else:
            found = by_name.get(name, [])
            if len(found) == 1:
                enterprise = found[0]
            elif not found:
                wrong(
                    "enterprise",
                    _("No enterprise is named %(name)s.") % {"name": name},
                )
            else:
                wrong(
                    "enterprise",
                    _("Several enterprises are named %(name)s; give the credit code.")
                    % {"name": name},
                )
        fields["enterprise"] = enterprise

        level_text = _text(values.get("target_level"))
        level = levels.get(level_text) or levels.get(level_text.lower())
        if not level_text:
            wrong("target_level", _("Fill in this cell."))
        elif level is None:
            wrong(
                "target_level",
                _("Write one of %(levels)s.") % {"levels": _level_names()},
            )
        fields["target_level"] = level

        programme_name = _text(values.get("target_programme"))
        programme: Programme | None = None
        if programme_name:
            candidates = programmes.get(programme_name, [])
            of_level = [p for p in candidates if p.level == level]
            if of_level:
                programme = of_level[0]
            elif candidates and level is not None:
                wrong(
                    "target_programme",
                    _("The programme is not of the target level."),
                )
            elif not candidates:
                wrong(
                    "target_programme",
                    _("No higher-level programme is named %(name)s.")
                    % {"name": programme_name},
                )
        fields["target_programme"] = programme

        year_text = _text(values.get("expected_year"))
        try:
            year = int(year_text)
        except ValueError:
            year = 0
        if not year_text:
            wrong("expected_year", _("Fill in this cell."))
        elif not 2000 <= year <= 2100:
            wrong("expected_year", _("Not a year (write 2027)."))
        fields["expected_year"] = year

        amount = values.get("planned_amount")
        wan_value = to_decimal(amount)
        if is_blank(amount):
            wrong("planned_amount", _("Fill in this cell."))
        elif wan_value is None or wan_value <= 0 or wan_value > MAX_WAN:
            wrong("planned_amount", _("Not an amount in 10k yuan."))
        else:
            fields["planned_amount"] = yuan_from_wan(wan_value)

        if enterprise is not None and fields["title"]:
            key = (enterprise.pk, fields["title"])
            if key in seen:
                row_errors.append(
                    CellError(
                        number,
                        HEADER["title"],
                        _("The same project as row %(row)d.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = number
        errors.extend(row_errors)
        if not row_errors:
            parsed.append((number, fields))
    if errors:
        raise ReserveImportError(errors)

    created = updated = 0
    with transaction.atomic():
        for number, fields in parsed:
            same = ReserveProject.objects.filter(
                enterprise=fields["enterprise"], title=fields["title"]
            ).order_by("-pk")
            reserve = same.filter(status=R.RESERVE).first()
            if reserve is None and same.exists():
                errors.append(
                    CellError(
                        number,
                        HEADER["title"],
                        _(
                            "“%(title)s” has left the reserve and is no longer "
                            "changed here."
                        )
                        % {"title": fields["title"]},
                    )
                )
                continue
            is_new = reserve is None
            reserve = reserve or ReserveProject()
            for name, value in fields.items():
                setattr(reserve, name, value)
            try:
                reserve_save(by=by, reserve=reserve)
            except ValidationError as exc:
                errors.extend(_errors_of(number, exc))
                continue
            except ApplicationError as exc:
                errors.append(CellError(number, HEADER["title"], str(exc.message)))
                continue
            created, updated = created + is_new, updated + (not is_new)
        if errors:
            raise ReserveImportError(errors)  # rolls back what was written
    return ReserveImportResult(created=created, updated=updated)
