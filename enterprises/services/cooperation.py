"""Writes of cooperation agreements, their follow-up visits and alliances,
one by one and from the bureau's Excel lists (all or nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save, snapshot
from bureau.lib.concurrency import conflict_on_integrity_error
from bureau.lib.xlsx import CellError, ReadColumn, WorkbookRefused, is_blank, read_table
from bureau.models import User
from enterprises.exports.cooperation import (
    AGREEMENT_COLUMNS,
    AGREEMENT_KINDS,
    ALLIANCE_COLUMNS,
    ALLIANCE_KINDS,
    LEVELS,
)
from enterprises.models import (
    Agreement,
    Alliance,
    CooperationVisit,
    Enterprise,
    RDInstitution,
)
from enterprises.permissions import can_manage_cooperation

# A partner chosen from the registry is a university or an institute.
PARTNER_KINDS: tuple[str, ...] = (
    Enterprise.Kind.UNIVERSITY,
    Enterprise.Kind.INSTITUTE,
    Enterprise.Kind.NEW_RD,
)
AGREEMENT_FIELDS = (
    "kind",
    "title",
    "district_is_party",
    "partner",
    "partner_name",
    "signed_on",
    "term_ends_on",
    "content",
    "contact_name",
    "contact_phone",
)
ALLIANCE_FIELDS = (
    "kind",
    "name",
    "lead",
    "level",
    "founded_on",
    "field",
    "outside_members",
    "notes",
)


# --- Agreements ---------------------------------------------------------------


def _agreement_errors(
    agreement: Agreement, parties: list[Enterprise] | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if parties is not None and not parties and not agreement.district_is_party:
        errors["parties"] = [
            _("Name the organisations that signed, or tick the district as a party.")
        ]
    partner = agreement.partner if agreement.partner_id else None
    if partner is not None and partner.kind not in PARTNER_KINDS:
        errors["partner"] = [
            _(
                "%(name)s is registered as “%(kind)s”: the partner is a "
                "university or a research institute."
            )
            % {
                "name": partner.name,
                "kind": partner.get_kind_display(),
            }
        ]
    if agreement.signed_on and agreement.signed_on > timezone.localdate():
        errors["signed_on"] = [_("The signing date is in the future.")]
    return errors


@transaction.atomic
def agreement_save(
    *,
    agreement: Agreement,
    by: User,
    parties: list[Enterprise] | None = None,
    platforms: list[RDInstitution] | None = None,
) -> Agreement:
    """Create or change a cooperation agreement. `parties` are the registry
    organisations on our side (None leaves them as they are); `platforms` the
    R&D institutions it co-built (共建研究院, 联合实验室)."""
    before = (
        snapshot(Agreement.objects.get(pk=agreement.pk), AGREEMENT_FIELDS)
        if agreement.pk
        else None
    )
    if not agreement.pk:
        agreement.created_by = by
    errors: dict[str, list[str]] = {}
    try:
        agreement.full_clean(exclude=["parties", "platforms", "created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if parties is None and agreement.pk:
        parties = list(agreement.parties.all())
    for name, messages in _agreement_errors(agreement, parties).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    audited_save(
        agreement,
        by=by,
        action="agreement.update" if before else "agreement.create",
        fields=AGREEMENT_FIELDS,
        before=before,
        validate=False,
    )
    if parties is not None:
        agreement.parties.set(parties)
    if platforms is not None:
        agreement.platforms.set(platforms)
    return agreement


@transaction.atomic
def cooperation_visit_record(
    *, agreement: Agreement, by: User, **fields: Any
) -> CooperationVisit:
    """Log a follow-up visit on an agreement and what it produced (projects,
    platforms, talents, achievements, counted and described)."""
    visit = CooperationVisit(agreement=agreement, created_by=by, **fields)
    visit.full_clean(exclude=["created_by"])
    if visit.visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    if visit.visited_on < agreement.signed_on:
        raise ValidationError(
            {"visited_on": _("The visit is before the agreement was signed.")}
        )
    visit.save()
    audit(
        by=by,
        action="cooperation_visit.record",
        target=visit,
        after={
            "visited_on": visit.visited_on.isoformat(),
            "projects": visit.projects,
            "platforms": visit.platforms,
            "talents": visit.talents,
            "achievements": visit.achievements,
        },
        message=agreement.title,
    )
    return visit


# --- Alliances ----------------------------------------------------------------


@transaction.atomic
def alliance_save(
    *, alliance: Alliance, by: User, members: list[Enterprise] | None = None
) -> Alliance:
    """Create or change an alliance or consortium; the lead is not repeated
    among the members."""
    before = (
        snapshot(Alliance.objects.get(pk=alliance.pk), ALLIANCE_FIELDS)
        if alliance.pk
        else None
    )
    if not alliance.pk:
        alliance.created_by = by
    alliance.full_clean(exclude=["members", "created_by"])
    if alliance.founded_on > timezone.localdate():
        raise ValidationError({"founded_on": _("The founding date is in the future.")})
    with conflict_on_integrity_error(alliance):
        audited_save(
            alliance,
            by=by,
            action="alliance.update" if before else "alliance.create",
            fields=ALLIANCE_FIELDS,
            before=before,
            validate=False,
        )
    if members is not None:
        alliance.members.set([m for m in members if m.pk != alliance.lead_id])
    return alliance


# --- Imports ------------------------------------------------------------------
# The workbooks are for Chinese users only: headers and messages are Chinese.


class CooperationImportError(ValidationError):
    """The file was refused and nothing was written; `errors` lists every
    problem as a CellError (Excel row, Chinese column header, message)."""

    def __init__(self, errors: Iterable[CellError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.row)
        super().__init__(
            [
                f"第{e.row}行「{e.column}」：{e.message}" if e.row else e.message
                for e in self.errors
            ],
            code="import",
        )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if is_blank(value) else str(value).strip()


def cell_date(value: Any) -> date:
    """A date cell, or text YYYY-MM-DD; ValidationError in Chinese else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = _DATE.match(text)
    if match is None:
        raise ValidationError(f"无法识别日期「{text}」，请填写 YYYY-MM-DD。")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(f"日期「{text}」不存在。") from None


def cell_choice(value: Any, choices: dict[str, str]) -> str:
    """The code whose Chinese label (or code) is `value`."""
    text = _text(value)
    for code, label in choices.items():
        if text in (code, label):
            return code
    raise ValidationError(
        f"「{text}」无法识别，应为以下之一：" + "、".join(choices.values()) + "。"
    )


def cell_level(value: Any) -> str:
    """国家级/省级/市级/区级 (the 级 may be left out)."""
    text = _text(value)
    return cell_choice(text if text.endswith("级") else text + "级", LEVELS)


def cell_codes(value: Any) -> list[str]:
    """Credit codes separated by 、 , ； or new lines."""
    return [
        part.strip().upper()
        for part in re.split(r"[、,，;；\s]+", _text(value))
        if part.strip()
    ]


def read_rows(
    file: File | IO[bytes], columns: list[ReadColumn]
) -> list[tuple[int, dict[str, Any]]]:
    try:
        table = read_table(file, columns)
    except WorkbookRefused as exc:
        raise CooperationImportError(exc.errors) from None
    if not table.rows:
        raise CooperationImportError(
            [CellError(0, "", "表格中没有数据，请从第2行起填写。")]
        )
    return table.rows


def _header(columns: list[ReadColumn], key: str) -> str:
    return next(c.header for c in columns if c.key == key)


def _registry(codes: Iterable[str]) -> dict[str, Enterprise]:
    return {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=set(codes))
    }


def _errors_of(
    number: int, exc: ValidationError, columns: list[ReadColumn]
) -> list[CellError]:
    headers = {c.key: c.header for c in columns}
    if not hasattr(exc, "error_dict"):
        return [CellError(number, "", m) for m in exc.messages]
    return [
        CellError(number, headers.get(name, ""), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def agreements_import(*, file: File | IO[bytes], by: User) -> ImportResult:
    """Create agreements from the bureau's list, all or nothing. The partner
    is matched by name to a registered university or institute, else kept
    as a name; the district parties by credit code. An agreement with the
    same title and signing date already stored is updated."""
    if not can_manage_cooperation(by):
        raise PermissionDenied
    cols = AGREEMENT_COLUMNS
    rows = read_rows(file, cols)
    kinds = AGREEMENT_KINDS
    codes = [c for _n, values in rows for c in cell_codes(values.get("parties"))]
    registry = _registry(codes)
    partners = {e.name: e for e in Enterprise.objects.filter(kind__in=PARTNER_KINDS)}
    errors: list[CellError] = []
    parsed: list[tuple[int, dict[str, Any], list[Enterprise]]] = []
    for number, values in rows:
        fields: dict[str, Any] = {}
        for key in ("title", "content", "contact_name", "contact_phone"):
            fields[key] = _text(values.get(key))
        if not fields["title"]:
            errors.append(CellError(number, _header(cols, "title"), "必须填写。"))
        for key, parse in (
            ("kind", lambda v: cell_choice(v, kinds)),
            ("signed_on", cell_date),
            ("term_ends_on", cell_date),
            ("district_is_party", lambda v: cell_choice(v, {"1": "是", "0": "否"})),
        ):
            value = values.get(key)
            if is_blank(value):
                if key in ("kind", "signed_on"):
                    errors.append(CellError(number, _header(cols, key), "必须填写。"))
                continue
            try:
                fields[key] = parse(value)
            except ValidationError as exc:
                errors.extend(
                    CellError(number, _header(cols, key), m) for m in exc.messages
                )
        fields["district_is_party"] = fields.get("district_is_party") == "1"
        partner = _text(values.get("partner"))
        if not partner:
            errors.append(CellError(number, _header(cols, "partner"), "必须填写。"))
        elif partner in partners:
            fields["partner"], fields["partner_name"] = partners[partner], ""
        else:
            fields["partner"], fields["partner_name"] = None, partner
        parties = []
        for code in cell_codes(values.get("parties")):
            if code in registry:
                parties.append(registry[code])
            else:
                errors.append(
                    CellError(
                        number,
                        _header(cols, "parties"),
                        f"系统中没有统一社会信用代码为 {code} 的单位。",
                    )
                )
        parsed.append((number, fields, parties))
    if errors:
        raise CooperationImportError(errors)
    created = updated = 0
    with transaction.atomic():
        for number, fields, parties in parsed:
            # The same title signed the same day is the same agreement.
            existing = Agreement.objects.filter(
                title=fields["title"], signed_on=fields["signed_on"]
            ).first()
            agreement = existing or Agreement()
            for name, value in fields.items():
                setattr(agreement, name, value)
            try:
                agreement_save(agreement=agreement, by=by, parties=parties)
            except ValidationError as exc:
                errors.extend(_errors_of(number, exc, cols))
                continue
            if existing is None:
                created += 1
            else:
                updated += 1
        if errors:
            raise CooperationImportError(errors)  # rolls back what was written
        audit(
            by=by,
            action="agreement.import",
            message=f"新增{created}项，更新{updated}项",
        )
    return ImportResult(created=created, updated=updated)


def alliances_import(*, file: File | IO[bytes], by: User) -> ImportResult:
    """Create or update alliances (by name) from the bureau's list, all or
    nothing; the lead and members are registry organisations by credit code."""
    if not can_manage_cooperation(by):
        raise PermissionDenied
    cols = ALLIANCE_COLUMNS
    rows = read_rows(file, cols)
    kinds = ALLIANCE_KINDS
    codes = [
        c
        for _n, values in rows
        for key in ("lead", "members")
        for c in cell_codes(values.get(key))
    ]
    registry = _registry(codes)
    existing = {a.name: a for a in Alliance.objects.all()}
    errors: list[CellError] = []
    parsed: list[tuple[int, Alliance, list[Enterprise]]] = []
    for number, values in rows:
        fields: dict[str, Any] = {
            key: _text(values.get(key)) for key in ("name", "field", "outside_members")
        }
        if not fields["name"]:
            errors.append(CellError(number, _header(cols, "name"), "必须填写。"))
        for key, parse in (
            ("kind", lambda v: cell_choice(v, kinds)),
            ("level", cell_level),
            ("founded_on", cell_date),
        ):
            value = values.get(key)
            if is_blank(value):
                errors.append(CellError(number, _header(cols, key), "必须填写。"))
                continue
            try:
                fields[key] = parse(value)
            except ValidationError as exc:
                errors.extend(
                    CellError(number, _header(cols, key), m) for m in exc.messages
                )
        found: dict[str, list[Enterprise]] = {"lead": [], "members": []}
        for key in ("lead", "members"):
            for code in cell_codes(values.get(key)):
                if code in registry:
                    found[key].append(registry[code])
                else:
                    errors.append(
                        CellError(
                            number,
                            _header(cols, key),
                            f"系统中没有统一社会信用代码为 {code} 的单位。",
                        )
                    )
        if len(found["lead"]) > 1:
            errors.append(
                CellError(number, _header(cols, "lead"), "只能填一家牵头单位。")
            )
        elif not found["lead"] and not is_blank(values.get("lead")):
            pass  # already reported as unknown
        elif not found["lead"]:
            errors.append(CellError(number, _header(cols, "lead"), "必须填写。"))
        else:
            fields["lead"] = found["lead"][0]
        alliance = existing.get(fields["name"]) or Alliance()
        for key, value in fields.items():
            setattr(alliance, key, value)
        parsed.append((number, alliance, found["members"]))
    if errors:
        raise CooperationImportError(errors)
    created = updated = 0
    with transaction.atomic():
        for number, alliance, members in parsed:
            is_new = alliance.pk is None
            try:
                alliance_save(alliance=alliance, by=by, members=members)
            except ValidationError as exc:
                errors.extend(_errors_of(number, exc, cols))
                continue
            created, updated = created + is_new, updated + (not is_new)
        if errors:
            raise CooperationImportError(errors)
        audit(
            by=by, action="alliance.import", message=f"新增{created}个，更新{updated}个"
        )
    return ImportResult(created=created, updated=updated)
