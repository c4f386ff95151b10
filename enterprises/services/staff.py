"""The staff roster import: one enterprise, one year, all or nothing. Names
and ID numbers are stored encrypted (SM4), the ID number also as a keyed
hash (one person once per roster) and a mask for display."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from bureau.audit import audit
from bureau.lib import pii
from bureau.lib.xlsx import CellError, ReadColumn, WorkbookRefused, is_blank, read_table
from bureau.models import User
from enterprises.exports import STAFF_COLUMNS, STAFF_HEADER_OF_FIELD, STAFF_SHEET
from enterprises.models import Enterprise, RosterPerson, StaffRoster
from enterprises.services.ip import _choice, sorted_errors
from enterprises.services.roster import RosterImportError, _date, _text, _yes_no

_READ = [ReadColumn(key=f, header=h, required=r) for h, f, r, _w in STAFF_COLUMNS]
_ORDER = {h: i for i, (h, _f, _r, _w) in enumerate(STAFF_COLUMNS)}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


class StaffRosterImportError(RosterImportError):
    """The file was refused; nothing was written (see RosterImportError)."""


@dataclass(frozen=True)
class StaffRosterImportResult:
    roster: StaffRoster
    people: int
    replaced: int


def _id_number(value: Any) -> str:
    """A mainland ID number (18 characters, check character verified) or
    another document number (passport, permit) of 5–30 letters and digits."""
    text = "".join(_text(value).split()).upper()
    if len(text) == 18 and text[:17].isdigit():
        expected = _ID_CHECK[
            sum(int(c) * w for c, w in zip(text[:17], _ID_WEIGHTS, strict=True)) % 11
        ]
        if text[17] != expected:
            raise ValidationError(
                f"身份证号码校验码错误：应为{expected}，而不是{text[17]}。"
            )
        return text
    if not (5 <= len(text) <= 30 and text.isascii() and text.isalnum()):
        raise ValidationError(
            "证件号码应为18位身份证号码，或5–30位字母和数字的其他证件号码。"
        )
    return text


def _count(most: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        text = _text(value)
        if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= most:
            raise ValidationError(f"「{text}」应为0到{most}之间的整数。")
        return int(text)

    return parse


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "id_number": _id_number,
    "kind": _choice(RosterPerson.Kind.choices),
    "education": _choice(RosterPerson.Education.choices),
    "is_tech": _yes_no,
    "is_rd": _yes_no,
    "start_on": _date,
    "end_on": _date,
    "days_worked": _count(366),
    "months_worked": _count(12),
}


def _row_errors(number: int, fields: dict[str, Any], year: int) -> list[CellError]:
    errors = []
    start, end = fields.get("start_on"), fields.get("end_on")
    header = STAFF_HEADER_OF_FIELD
    if start and end and end < start:
        errors.append(CellError(number, header["end_on"], "离职日期早于入职日期。"))
    if start and start > date(year, 12, 31):
        errors.append(CellError(number, header["start_on"], f"入职日期晚于{year}年。"))
    if end and end < date(year, 1, 1):
        errors.append(CellError(number, header["end_on"], f"离职日期早于{year}年。"))
    if (
        fields.get("days_worked")
        and fields["days_worked"] > (date(year, 12, 31) - date(year, 1, 1)).days + 1
    ):
        errors.append(CellError(number, header["days_worked"], f"超过{year}年的天数。"))
    if len(fields.get("name", "")) > 50:
        errors.append(CellError(number, header["name"], "最多50个字符。"))
    return errors


@transaction.atomic
def staff_roster_import(
    *, enterprise: Enterprise, year: int, file: File | IO[bytes], by: User
) -> StaffRosterImportResult:
    """Replace `enterprise`'s roster for `year` with the people of a
    filled-in staff_roster_template(), all or nothing: any problem raises
    StaffRosterImportError listing every bad cell, and nothing is written."""
    if year >= timezone.localdate().year:
        raise StaffRosterImportError(
            [CellError(0, "", f"{year}年尚未结束，只能导入已结束年度的名册。")]
        )
    try:
        table = read_table(file, _READ, sheet_name=STAFF_SHEET)
    except WorkbookRefused as exc:
        raise StaffRosterImportError(exc.errors) from None
    errors: list[CellError] = []
    if not table.rows:
        errors.append(CellError(0, "", "表格中没有人员，请从第2行起填写。"))
    people: list[RosterPerson] = []
    first_row_of_id: dict[str, int] = {}
    for number, values in table.rows:
        fields: dict[str, Any] = {}
        row_ok = True
        for header, name, required, _w in STAFF_COLUMNS:
            value = values.get(name)
            if is_blank(value):
                if required:
                    errors.append(CellError(number, header, "必须填写。"))
                    row_ok = False
                continue
            try:
                fields[name] = _PARSERS.get(name, _text)(value)
            except ValidationError as exc:
                errors.extend(CellError(number, header, m) for m in exc.messages)
                row_ok = False
        if not row_ok:
            continue
        row_errors = _row_errors(number, fields, year)
        if row_errors:
            errors.extend(row_errors)
            continue
        id_number = fields.pop("id_number", "")
        if id_number:
            if id_number in first_row_of_id:
                errors.append(
                    CellError(
                        number,
                        STAFF_HEADER_OF_FIELD["id_number"],
                        f"与第{first_row_of_id[id_number]}行的证件号码重复。",
                    )
                )
                continue
            first_row_of_id[id_number] = number
        people.append(
            RosterPerson(
                id_number=id_number,
                id_number_hash=pii.keyed_hash(id_number) if id_number else "",
                id_number_masked=pii.mask_id_number(id_number) if id_number else "",
                **fields,
            )
        )
    if errors:
        raise StaffRosterImportError(sorted_errors(errors, _ORDER))

    roster, created = StaffRoster.objects.select_for_update().get_or_create(
        enterprise=enterprise, year=year, defaults={"imported_by": by}
    )
    replaced = 0 if created else roster.people.count()
    if not created:
        roster.people.all().delete()
        roster.imported_by = by
        roster.save(update_fields=["imported_by", "imported_at"])
    for person in people:
        person.roster = roster
    RosterPerson.objects.bulk_create(people, batch_size=1000)
    audit(
        by=by,
        action="staff_roster.import",
        target=roster,
        after={"year": year, "people": len(people), "replaced": replaced},
        message=f"{enterprise}：{year}年人员名册{len(people)}人",
    )
    return StaffRosterImportResult(roster=roster, people=len(people), replaced=replaced)
