"""Writes of the IP register and the transfer register: one item at a
time (pages, API) or an Excel import per enterprise, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save, snapshot
from bureau.lib.xlsx import CellError, ReadColumn, WorkbookRefused, is_blank, read_table
from bureau.models import User
from enterprises.classifications import in_chinese
from enterprises.exports import IP_COLUMNS, IP_HEADER_OF_FIELD, IP_SHEET
from enterprises.models import Enterprise, IPItem, TechTransfer
from enterprises.services.roster import RosterImportError, _date, _text, error_sentence

IP_FIELDS = (
    "ip_type",
    "number",
    "title",
    "applied_on",
    "granted_on",
    "expires_on",
    "status",
    "ownership",
    "hnte_used_year",
)
_AUDITED = (
    "ip_type",
    "ip_class",
    "number",
    "title",
    "status",
    "granted_on",
    "hnte_used_year",
)


def _check_used_year(item: IPItem) -> None:
    if item.hnte_used_year and item.hnte_used_year > timezone.localdate().year:
        raise ValidationError(
            {"hnte_used_year": _("That year's applications have not been made yet.")}
        )


@transaction.atomic
def ip_item_create(*, enterprise: Enterprise, by: User | None, **fields: Any) -> IPItem:
    item = IPItem(enterprise=enterprise, created_by=by, **fields)
    _check_used_year(item)
    audited_save(
        item, by=by, action="ip_item.create", fields=_AUDITED, message=str(enterprise)
    )
    return item


@transaction.atomic
def ip_item_update(*, item: IPItem, by: User | None, **fields: Any) -> IPItem:
    item = IPItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item, _AUDITED)
    for name, value in fields.items():
        if name not in IP_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(item, name, value)
    _check_used_year(item)
    audited_save(
        item,
        by=by,
        action="ip_item.update",
        fields=_AUDITED,
        before=before,
        only_if_changed=True,
        message=str(item.enterprise),
    )
    return item


# --- Import ---------------------------------------------------------------


class IPImportError(RosterImportError):
    """The file was refused; nothing was written (see RosterImportError)."""


@dataclass(frozen=True)
class IPImportResult:
    created: int
    updated: int
    unchanged: int


def _key(text: str) -> str:
    return text.removesuffix("专利") or text


def _choice(choices: list[tuple[str, Any]]) -> Callable[[Any], str]:
    """A parser of a choice cell: its Chinese label (as the template's list
    offers it) or its code. The labels are read on first use, in Chinese."""
    by_label: dict[str, str] = {}

    def parse(value: Any) -> str:
        if not by_label:
            # "实用新型" and "实用新型专利" alike.
            by_label.update({_key(in_chinese(label)): code for code, label in choices})
            by_label.update({code: code for code, _label in choices if code})
        text = _text(value)
        if _key(text) in by_label:
            return by_label[_key(text)]
        raise ValidationError(
            f"「{text}」无法识别，应为以下之一："
            + "、".join(in_chinese(label) for _code, label in choices)
            + "。"
        )

    return parse


def _year(value: Any) -> int:
    text = _text(value).removesuffix("年")
    if not (text.isascii() and text.isdigit()) or not 1990 <= int(text) <= 2100:
        raise ValidationError(f"「{_text(value)}」不是年度，请填四位年份，如 2024。")
    return int(text)


_IP_PARSERS: dict[str, Callable[[Any], Any]] = {
    "ip_type": _choice(IPItem.Type.choices),
    "status": _choice(IPItem.Status.choices),
    "ownership": _choice(IPItem.Ownership.choices),
    "applied_on": _date,
    "granted_on": _date,
    "expires_on": _date,
    "hnte_used_year": _year,
}
_IP_READ = [ReadColumn(key=f, header=h, required=r) for h, f, r, _w in IP_COLUMNS]
_IP_ORDER = {h: i for i, (h, _f, _r, _w) in enumerate(IP_COLUMNS)}


def _errors_from(
    number: int, exc: ValidationError, headers: dict[str, str]
) -> list[CellError]:
    if not hasattr(exc, "error_dict"):
        return [CellError(number, "", m) for m in exc.messages]
    return [
        CellError(number, headers.get(name, ""), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def sorted_errors(errors: list[CellError], order: dict[str, int]) -> list[CellError]:
    return sorted(errors, key=lambda e: (e.row, order.get(e.column, -1)))


def ip_items_import(
    *, enterprise: Enterprise, file: File | IO[bytes], by: User
) -> IPImportResult:
    """Create or update `enterprise`'s IP items from a filled-in
    ip_import_template(), all or nothing: any problem raises IPImportError
    listing every bad cell (Excel row, Chinese header), and nothing is
    written. A row whose type and number exist already updates that item."""
    try:
        table = read_table(file, _IP_READ, sheet_name=IP_SHEET)
    except WorkbookRefused as exc:
        raise IPImportError(exc.errors) from None
    errors: list[CellError] = []
    if not table.rows:
        errors.append(CellError(0, "", "表格中没有知识产权，请从第2行起填写。"))
    existing = {(i.ip_type, i.number): i for i in enterprise.ip_items.all()}
    seen: dict[tuple[str, str], int] = {}
    planned: list[tuple[int, IPItem | None, dict[str, Any]]] = []
    for number, values in table.rows:
        fields: dict[str, Any] = {}
        row_ok = True
        for header, name, required, _w in IP_COLUMNS:
            value = values.get(name)
            if is_blank(value):
                if required:
                    errors.append(CellError(number, header, "必须填写。"))
                    row_ok = False
                fields[name] = None if name not in ("number", "title") else ""
                continue
            try:
                fields[name] = _IP_PARSERS.get(name, _text)(value)
            except ValidationError as exc:
                errors.extend(CellError(number, header, m) for m in exc.messages)
                row_ok = False
        if not row_ok:
            continue
        key = (fields["ip_type"], fields["number"])
        if key in seen:
            errors.append(
                CellError(
                    number,
                    IP_HEADER_OF_FIELD["number"],
                    f"与第{seen[key]}行的类型和编号重复。",
                )
            )
            continue
        seen[key] = number
        item = existing.get(key)
        candidate = item or IPItem(enterprise=enterprise)
        probe = IPItem(enterprise=enterprise, **fields)
        if item is not None:
            probe.pk = item.pk
        try:
            probe.full_clean(exclude=["enterprise"], validate_unique=False)
            _check_used_year(probe)
        except ValidationError as exc:
            errors.extend(_errors_from(number, exc, IP_HEADER_OF_FIELD))
            continue
        planned.append((number, candidate if item else None, fields))
    if errors:
        raise IPImportError(sorted_errors(errors, _IP_ORDER))

    created = updated = unchanged = 0
    with transaction.atomic():
        for number, item, fields in planned:
            try:
                if item is None:
                    ip_item_create(enterprise=enterprise, by=by, **fields)
                    created += 1
                elif any(getattr(item, k) != v for k, v in fields.items()):
                    ip_item_update(item=item, by=by, **fields)
                    updated += 1
                else:
                    unchanged += 1
            except ValidationError as exc:
                errors.extend(_errors_from(number, exc, IP_HEADER_OF_FIELD))
        if errors:
            raise IPImportError(sorted_errors(errors, _IP_ORDER))
        audit(
            by=by,
            action="ip_item.import",
            target=enterprise,
            message=f"新增{created}项，更新{updated}项",
        )
    return IPImportResult(created=created, updated=updated, unchanged=unchanged)


# --- Technology transfers ---------------------------------------------------


@transaction.atomic
def tech_transfer_record(
    *,
    enterprise: Enterprise,
    by: User | None,
    title: str,
    year: int,
    way: str,
    contract_number: str = "",
    ip_items: list[IPItem] | None = None,
) -> TechTransfer:
    """Record one conversion of a result; the same title in other years or
    contracts is the same result, counted once."""
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("That year has not begun yet.")})
    foreign = [i for i in ip_items or [] if i.enterprise_id != enterprise.pk]
    if foreign:
        raise ValidationError({"ip_items": _("Link only this enterprise's IP items.")})
    transfer = TechTransfer(
        enterprise=enterprise,
        title=title.strip(),
        year=year,
        way=way,
        contract_number=contract_number.strip(),
        created_by=by,
    )
    transfer.full_clean(exclude=["ip_items"])
    transfer.save()
    transfer.ip_items.set(ip_items or [])
    audit(
        by=by,
        action="tech_transfer.record",
        target=transfer,
        after={
            "title": transfer.title,
            "year": year,
            "way": way,
            "ip_items": [i.pk for i in ip_items or []],
        },
        message=str(enterprise),
    )
    return transfer


@transaction.atomic
def tech_transfer_delete(*, transfer: TechTransfer, by: User | None) -> None:
    audit(
        by=by,
        action="tech_transfer.delete",
        target=transfer,
        before={"title": transfer.title, "year": transfer.year, "way": transfer.way},
        message=str(transfer.enterprise),
    )
    transfer.delete()


__all__ = [
    "IPImportError",
    "IPImportResult",
    "error_sentence",
    "ip_item_create",
    "ip_item_update",
    "ip_items_import",
    "tech_transfer_delete",
    "tech_transfer_record",
]
