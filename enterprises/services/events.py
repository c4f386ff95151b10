"""Writes of events (with the enterprises attending) and 科普 bases, one
by one and by Excel import (all or nothing)."""

from __future__ import annotations

import re
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save, snapshot
from bureau.lib.xlsx import (
    CellError,
    ReadColumn,
    WorkbookRefused,
    cell_date,
    is_blank,
    read_table,
)
from bureau.models import Role, User
from enterprises.exports.events import SCIENCE_BASE_IMPORT_COLUMNS
from enterprises.models import Enterprise, Event, ScienceBase
from enterprises.permissions import can_manage_science_bases, enterprises_visible_to
from enterprises.services.cooperation import (
    CooperationImportError,
    ImportResult,
    cell_level,
    read_rows,
)
from enterprises.services.cooperation import cell_date as cell_day
from enterprises.services.institutions import (
    Lookup,
    cell_text,
    parse_cells,
    save_rows,
)

EVENT_FIELDS = [
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "organiser",
    "org_unit",
    "place",
    "participants",
    "materials",
    "trained",
]


def _check_scope(by: User, event: Event, enterprises: list[Enterprise]) -> None:
    """A liaison records their street's events with their street's
    enterprises; staff anything."""
    if by.role == Role.STREET_LIAISON:
        if event.org_unit_id != by.org_unit_id:
            raise ValidationError(
                {"org_unit": _("A street records the events it held itself.")}
            )
    visible = set(
        enterprises_visible_to(by)
        .filter(pk__in=[e.pk for e in enterprises])
        .values_list("pk", flat=True)
    )
    outside = [e.name for e in enterprises if e.pk not in visible]
    if outside:
        raise ValidationError(
            {
                "enterprises": _("Not enterprises you look after: %(names)s.")
                % {"names": "、".join(outside)}
            }
        )


@transaction.atomic
def event_save(
    *, by: User, event: Event, enterprises: list[Enterprise] | None = None
) -> Event:
    """Record an event or change one; `enterprises` (when given) replaces
    the list of enterprises attending. Audited with what changed."""
    before = None
    if event.pk:
        before = {
            **snapshot(Event.objects.get(pk=event.pk), EVENT_FIELDS),
            "enterprises": sorted(event.enterprises.values_list("pk", flat=True)),
        }
    else:
        event.created_by = by
    attendees = list(dict.fromkeys(enterprises or []))
    _check_scope(by, event, attendees)
    event.full_clean(exclude=["enterprises"])
    event.save()
    if enterprises is not None:
        event.enterprises.set(attendees)
    after_ids = sorted(event.enterprises.values_list("pk", flat=True))
    audit(
        by=by,
        action="event.update" if before else "event.create",
        target=event,
        before=before,
        after={**snapshot(event, EVENT_FIELDS), "enterprises": after_ids},
        message=event.title,
    )
    return event


@transaction.atomic
def science_base_save(*, by: User, base: ScienceBase) -> ScienceBase:
    fields = ["name", "level", "host", "org_unit", "recognised_on", "yearly_visitors"]
    before = snapshot(ScienceBase.objects.get(pk=base.pk), fields) if base.pk else None
    return audited_save(
        base,
        by=by,
        action="science_base.update" if before else "science_base.create",
        fields=fields,
        before=before,
        message=base.name,
    )


# --- Excel import -----------------------------------------------------------

EVENT_COLUMNS = [
    ReadColumn("kind", "活动类型", required=True),
    ReadColumn("title", "活动名称", required=True),
    ReadColumn("starts_on", "开始日期", required=True),
    ReadColumn("ends_on", "结束日期"),
    ReadColumn("organiser", "主办单位", required=True),
    ReadColumn("place", "地点"),
    ReadColumn("participants", "参加人数"),
    ReadColumn("enterprises", "参加企业（统一社会信用代码）"),
    ReadColumn("materials", "发放资料（份）"),
    ReadColumn("trained", "培训人次"),
    ReadColumn("notes", "备注"),
]
HEADER = {column.key: column.header for column in EVENT_COLUMNS}
_SPLIT = re.compile(r"[\s,，、;；]+")


class EventImportError(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _count(value: Any) -> int:
    if value is None or str(value).strip() == "":
        return 0
    number = float(str(value).strip())
    if number < 0 or number != int(number):
        raise ValueError
    return int(number)


def events_import(*, by: User, file: File | IO[bytes]) -> int:
    """Record events from a filled-in template (event_template), all or
    nothing: any bad cell raises EventImportError listing every one (row,
    Chinese header, message) and nothing is written. Returns how many
    events were recorded. A liaison's events are their street's."""
    try:
        table = read_table(file, EVENT_COLUMNS)
    except WorkbookRefused as exc:
        raise EventImportError(list(exc.errors)) from None
    kinds = {str(label): key for key, label in Event.Kind.choices}
    codes = {
        code
        for _n, values in table.rows
        for code in _SPLIT.split(str(values.get("enterprises") or "").strip())
        if code
    }
    known = {
        e.credit_code: e
        for e in enterprises_visible_to(by).filter(credit_code__in=codes)
    }
    errors: list[CellError] = []
    parsed: list[tuple[int, Event, list[Enterprise]]] = []
    for number, values in table.rows:
        row_errors = len(errors)
        kind = kinds.get(str(values["kind"] or "").strip())
        if kind is None:
            errors.append(
                CellError(
                    number,
                    HEADER["kind"],
                    _("Unknown type; write one of: %(kinds)s.")
                    % {"kinds": "、".join(kinds)},
                )
            )
        dates: dict[str, date | None] = {}
        for key in ("starts_on", "ends_on"):
            value = cell_date(values.get(key))
            if value in (None, "") and key == "ends_on":
                dates[key] = None
            elif isinstance(value, date):
                dates[key] = value
            else:
                errors.append(
                    CellError(number, HEADER[key], _("Not a date (write 2026-05-20)."))
                )
        counts: dict[str, int] = {}
        for key in ("participants", "materials", "trained"):
            try:
                counts[key] = _count(values.get(key))
            except ValueError:
                errors.append(
                    CellError(
                        number, HEADER[key], _("Write a whole number, 0 or more.")
                    )
                )
        attendees = []
        for code in _SPLIT.split(str(values.get("enterprises") or "").strip()):
            if not code:
                continue
            if code not in known:
                errors.append(
                    CellError(
                        number,
                        HEADER["enterprises"],
                        _("No enterprise you look after has the credit code %(code)s.")
                        % {"code": code},
                    )
                )
            else:
                attendees.append(known[code])
        if len(errors) > row_errors or kind is None or dates["starts_on"] is None:
            continue
        event = Event(
            kind=kind,
            title=str(values["title"] or "").strip(),
            starts_on=dates["starts_on"],
            ends_on=dates.get("ends_on"),
            organiser=str(values["organiser"] or "").strip(),
            place=str(values.get("place") or "").strip(),
            notes=str(values.get("notes") or "").strip(),
            org_unit_id=by.org_unit_id if by.role == Role.STREET_LIAISON else None,
            created_by=by,
            **counts,
        )
        try:
            event.full_clean(exclude=["enterprises"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                header = HEADER.get(name, HEADER["title"])
                errors.extend(CellError(number, header, m) for m in messages)
            continue
        parsed.append((number, event, attendees))
    if not table.rows:
        errors.append(CellError(0, "", _("The sheet has no rows.")))
    if errors:
        raise EventImportError(errors)
    with transaction.atomic():
        for _number, event, attendees in parsed:
            event_save(by=by, event=event, enterprises=attendees)
    return len(parsed)


# --- 科普 bases from Excel ------------------------------------------------------


def science_bases_import(*, by: User, file: File | IO[bytes]) -> ImportResult:
    """Record 科普 bases from the bureau's list (the export's columns), all
    or nothing; a base of the same name already stored is updated. The
    street (optional) by name or code."""
    if not can_manage_science_bases(by):
        raise PermissionDenied
    cols = SCIENCE_BASE_IMPORT_COLUMNS
    header = {c.key: c.header for c in cols}
    rows = read_rows(file, cols)
    lookup = Lookup(rows, "host")
    existing = {b.name: b for b in ScienceBase.objects.all()}
    errors: list[CellError] = []
    parsed: list[tuple[int, ScienceBase, bool]] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        row_errors = len(errors)

        def error(key: str, message: str) -> None:
            errors.append(CellError(number, header[key], message))  # noqa: B023

        for key in ("name", "level", "host", "recognised_on"):
            if is_blank(values.get(key)):
                error(key, "必须填写。")
        name = cell_text(values.get("name"))
        fields: dict[str, Any] = {
            "host": cell_text(values.get("host")),
            "org_unit": None,
            "yearly_visitors": 0,
        }
        parse_cells(
            values,
            {"level": cell_level, "recognised_on": cell_day},
            number=number,
            header=header,
            into=fields,
            errors=errors,
        )
        if not is_blank(values.get("org_unit")):
            unit = lookup.unit(cell_text(values["org_unit"]))
            if isinstance(unit, str):
                error("org_unit", unit)
            else:
                fields["org_unit"] = unit
        if not is_blank(values.get("yearly_visitors")):
            try:
                fields["yearly_visitors"] = _count(values["yearly_visitors"])
            except ValueError:
                error("yearly_visitors", "应为非负整数。")
        if name in seen:
            error("name", f"与第{seen[name]}行重复：同一基地只能填一行。")
        elif name:
            seen[name] = number
        if len(errors) > row_errors:
            continue
        base = existing.get(name)
        is_new = base is None
        base = base or ScienceBase(name=name)
        for key, value in fields.items():
            setattr(base, key, value)
        parsed.append((number, base, is_new))
    if errors:
        raise CooperationImportError(errors)
    return save_rows(
        parsed,
        lambda base: science_base_save(by=by, base=base),
        columns=cols,
        by=by,
        action="science_base.import",
    )
