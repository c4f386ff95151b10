"""The R&D institutions register from the bureau's Excel list (all or
nothing): each row is recorded or, when its host already has an institution
of that name, changed, through the one-by-one services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction

from bureau.audit import audit
from bureau.lib.xlsx import CellError, ReadColumn, is_blank
from bureau.models import OrgUnit, User
from enterprises.exports.cooperation import RD_INSTITUTION_COLUMNS
from enterprises.models import CarrierType, Enterprise, InstitutionType, RDInstitution
from enterprises.permissions import can_record_support
from enterprises.services.cooperation import (
    CooperationImportError,
    ImportResult,
    cell_date,
    cell_level,
    read_rows,
)
from enterprises.services.support import rd_institution_record, rd_institution_update

# The workbooks are for Chinese users only: their messages are Chinese.


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if is_blank(value) else str(value).strip()


class Lookup:
    """Registry organisations, types and streets named in a workbook, found
    by code or exact name in a few queries."""

    def __init__(self, rows: list[tuple[int, dict[str, Any]]], key: str) -> None:
        names = {cell_text(values.get(key)) for _n, values in rows} - {""}
        self.organisations: dict[str, list[Enterprise]] = defaultdict(list)
        for e in Enterprise.objects.filter(credit_code__in={n.upper() for n in names}):
            self.organisations[e.credit_code].append(e)
        for e in Enterprise.objects.filter(name__in=names):
            self.organisations[e.name].append(e)
        self.units = {
            key: u
            for u in OrgUnit.objects.filter(level__in=["street", "park"])
            for key in (u.code, u.name)
        }

    def organisation(self, text: str) -> Enterprise | str:
        """The organisation whose credit code or exact name is `text`, or
        the error message."""
        found = self.organisations.get(text.upper()) or self.organisations.get(text)
        if not found:
            return f"系统中没有信用代码或全称为「{text}」的单位，请先在单位库中登记。"
        if len(found) > 1:
            return f"有{len(found)}家单位名为「{text}」，请改填统一社会信用代码。"
        return found[0]

    def unit(self, text: str) -> OrgUnit | str:
        unit = self.units.get(text)
        return unit if unit else f"没有名为或代码为「{text}」的街道或园区。"


def type_named(model: type[InstitutionType] | type[CarrierType], text: str) -> Any:
    """The active type (InstitutionType or CarrierType) whose name or code
    is `text`, or the error message listing the types."""
    types: list[Any] = list(model.objects.filter(is_active=True))
    for t in types:
        if text in (t.name, t.code):
            return t
    return (
        f"「{text}」无法识别，应为以下之一：" + "、".join(t.name for t in types) + "。"
    )


def cell_errors(
    number: int, exc: ValidationError, columns: list[ReadColumn]
) -> list[CellError]:
    """A service's ValidationError as the cells of row `number`; fields
    without a column of their own are named by the first column."""
    headers = {c.key: c.header for c in columns}
    if not hasattr(exc, "error_dict"):
        return [CellError(number, columns[0].header, m) for m in exc.messages]
    return [
        CellError(number, headers.get(name, columns[0].header), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def parse_cells(
    values: dict[str, Any],
    parsers: dict[str, Callable[[Any], Any]],
    *,
    number: int,
    header: dict[str, str],
    into: dict[str, Any],
    errors: list[CellError],
) -> None:
    """Parse each filled cell of `parsers` into `into`; a refusal becomes an
    error naming row `number` and the column."""
    for key, parse in parsers.items():
        if is_blank(values.get(key)):
            continue
        try:
            into[key] = parse(values[key])
        except ValidationError as exc:
            errors.extend(CellError(number, header[key], m) for m in exc.messages)


def save_rows(
    parsed: list[tuple[int, Any, bool]],
    save: Callable[[Any], object],
    *,
    columns: list[ReadColumn],
    by: User,
    action: str,
) -> ImportResult:
    """Save each checked row (number, object, is new) with `save`, all or
    nothing: a refusal becomes that row's cells, every row is tried so that
    all are reported, and nothing stays written; then one audit event of
    what was added and changed."""
    errors: list[CellError] = []
    created = updated = 0
    with transaction.atomic():
        for number, obj, is_new in parsed:
            try:
                save(obj)
            except ValidationError as exc:
                errors.extend(cell_errors(number, exc, columns))
                continue
            created, updated = created + is_new, updated + (not is_new)
        if errors:
            raise CooperationImportError(errors)  # rolls back what was written
        audit(by=by, action=action, message=f"新增{created}个，更新{updated}个")
    return ImportResult(created=created, updated=updated)


def rd_institutions_import(*, file: File | IO[bytes], by: User) -> ImportResult:
    """Record R&D institutions from the bureau's list, all or nothing. The
    host is a registry organisation by credit code or exact name; a host's
    institution of the same name already stored is updated."""
    if not can_record_support(by):
        raise PermissionDenied
    cols = RD_INSTITUTION_COLUMNS
    header = {c.key: c.header for c in cols}
    rows = read_rows(file, cols)
    lookup = Lookup(rows, "host")
    errors: list[CellError] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[int, str], int] = {}
    for number, values in rows:
        row_errors = len(errors)

        def error(key: str, message: str) -> None:
            errors.append(CellError(number, header[key], message))  # noqa: B023

        fields: dict[str, Any] = {
            "name": cell_text(values.get("name")),
            "source_document": cell_text(values.get("source_document")),
        }
        for key in ("name", "type", "level", "host", "recognised_on"):
            if is_blank(values.get(key)):
                error(key, "必须填写。")
        if not is_blank(values.get("type")):
            found = type_named(InstitutionType, cell_text(values["type"]))
            if isinstance(found, str):
                error("type", found)
            else:
                fields["type"] = found
        parse_cells(
            values,
            {"level": cell_level, "recognised_on": cell_date},
            number=number,
            header=header,
            into=fields,
            errors=errors,
        )
        if not is_blank(values.get("host")):
            host = lookup.organisation(cell_text(values["host"]))
            if isinstance(host, str):
                error("host", host)
            else:
                fields["enterprise"] = host
        if len(errors) > row_errors:
            continue
        pair = (fields["enterprise"].pk, fields["name"])
        if pair in seen:
            error(
                "name",
                f"与第{seen[pair]}行重复：同一依托单位的同名研发机构只能填一行。",
            )
            continue
        seen[pair] = number
        parsed.append((number, fields))
    if errors:
        raise CooperationImportError(errors)
    existing = {
        (i.enterprise_id, i.name): i
        for i in RDInstitution.objects.filter(
            enterprise__in={f["enterprise"] for _n, f in parsed}
        )
    }
    created = updated = 0
    with transaction.atomic():
        for number, fields in parsed:
            institution = existing.get((fields["enterprise"].pk, fields["name"]))
            try:
                if institution is None:
                    rd_institution_record(by=by, **fields)
                    created += 1
                else:
                    rd_institution_update(institution=institution, by=by, **fields)
                    updated += 1
            except ValidationError as exc:
                errors.extend(cell_errors(number, exc, cols))
        if errors:
            raise CooperationImportError(errors)  # rolls back what was written
        audit(
            by=by,
            action="rd_institution.import",
            message=f"新增{created}个，更新{updated}个",
        )
    return ImportResult(created=created, updated=updated)
