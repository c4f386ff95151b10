"""Excel import of the higher level's decisions (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from bureau.lib.money import yuan_from_wan
from bureau.lib.xlsx import (
    CellError,
    ReadColumn,
    WorkbookRefused,
    cell_date,
    read_table,
)
from bureau.models import User
from projects.models import UpwardProject
from projects.services.upward.decisions import upward_outcomes_record

U = UpwardProject.State

# --- Excel import of outcomes -------------------------------------------------

OUTCOME_COLUMNS = [
    ReadColumn("id", "编号", required=True),
    ReadColumn("outcome", "立项结果", required=True),
    ReadColumn("decided_on", "立项日期", required=True),
    ReadColumn("higher_document_number", "上级文号"),
    ReadColumn("funds_from_above", "上级资助（万元）"),
    ReadColumn("local_match", "区级配套（万元）"),
]
HEADER = {column.key: column.header for column in OUTCOME_COLUMNS}
OUTCOME_WORDS = {
    "立项": UpwardProject.Outcome.APPROVED,
    "未立项": UpwardProject.Outcome.NOT_APPROVED,
}


class OutcomeImportError(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class OutcomeImportResult:
    approved: int
    not_approved: int


def _wan_cell(value: Any) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return yuan_from_wan(Decimal(str(value).replace(",", "").strip()))
    except InvalidOperation:
        raise ValueError from None


def upward_outcomes_import(
    *, by: User, file: File | IO[bytes], visible: Any
) -> OutcomeImportResult:
    """Record outcomes from a filled-in export of the project list (编号,
    立项结果 立项/未立项, 立项日期, 上级文号, amounts in 万元), all or nothing:
    any bad cell raises OutcomeImportError listing every one with its row
    and Chinese header, and nothing is written. `visible` is the queryset
    of projects the user may see (others are reported as unknown)."""
    try:
        table = read_table(file, OUTCOME_COLUMNS)
    except WorkbookRefused as exc:
        raise OutcomeImportError(list(exc.errors)) from None
    errors: list[CellError] = []
    ids = []
    for _number, values in table.rows:
        try:
            ids.append(int(str(values["id"]).strip()))
        except (TypeError, ValueError):
            pass
    projects = {
        p.pk: p
        for p in visible.filter(pk__in=ids).select_related(
            "application__call", "recommendation"
        )
    }
    rows: list[tuple[UpwardProject, dict[str, Any]]] = []
    numbers: list[int] = []
    seen: dict[int, int] = {}
    for number, values in table.rows:
        try:
            pk = int(str(values["id"]).strip())
        except (TypeError, ValueError):
            errors.append(CellError(number, HEADER["id"], _("Not a project number.")))
            continue
        project = projects.get(pk)
        if project is None:
            errors.append(
                CellError(number, HEADER["id"], _("No such higher-level project."))
            )
            continue
        if pk in seen:
            errors.append(
                CellError(
                    number,
                    HEADER["id"],
                    _("The same project as row %(row)d.") % {"row": seen[pk]},
                )
            )
            continue
        seen[pk] = number
        parsed: dict[str, Any] = {}
        outcome = OUTCOME_WORDS.get(str(values["outcome"] or "").strip())
        if outcome is None:
            errors.append(
                CellError(number, HEADER["outcome"], _("Write 立项 or 未立项."))
            )
        parsed["outcome"] = outcome
        decided_on = cell_date(values["decided_on"])
        if not isinstance(decided_on, date):
            errors.append(
                CellError(
                    number, HEADER["decided_on"], _("Not a date (write 2026-05-20).")
                )
            )
        parsed["decided_on"] = decided_on
        parsed["higher_document_number"] = str(
            values.get("higher_document_number") or ""
        ).strip()
        for key in ("funds_from_above", "local_match"):
            try:
                parsed[key] = _wan_cell(values.get(key))
            except ValueError:
                errors.append(
                    CellError(number, HEADER[key], _("Not an amount in 10k yuan."))
                )
        rows.append((project, parsed))
        numbers.append(number)
    if not table.rows:
        errors.append(CellError(0, "", _("The sheet has no rows.")))
    if errors:
        raise OutcomeImportError(errors)
    try:
        saved = upward_outcomes_record(by=by, rows=rows)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            index, _dot, name = key.partition(".")
            header = HEADER.get(name, HEADER["outcome"])
            for message in messages:
                errors.append(CellError(numbers[int(index)], header, message))
        raise OutcomeImportError(errors) from None
    approved = sum(1 for p in saved if p.state == U.APPROVED)
    return OutcomeImportResult(approved=approved, not_approved=len(saved) - approved)
