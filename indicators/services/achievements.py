"""Writes of the achievements (科技成果): record or change one, and import a
workbook of them (all or nothing; an achievement already stored under the
same name for the same owner is updated, so the same file twice changes
nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save, snapshot
from bureau.lib.xlsx import CellError, WorkbookRefused
from bureau.models import User
from indicators.ledger_imports import (
    ACHIEVEMENT_COLUMNS,
    STAGE_NAMES,
    WAY_NAMES,
    a_date,
    choice_of,
    credit_code,
    parse_rows,
    read_rows,
    text,
    wan_to_yuan,
    whole_number,
)
from indicators.models import Achievement, TechContract
from indicators.permissions import contracts_visible_to
from indicators.services.contracts import (
    LedgerImportError,
    LedgerImportResult,
    Registry,
    registry_for,
)

if TYPE_CHECKING:
    from enterprises.models import Enterprise

ACHIEVEMENT_FIELDS = (
    "title",
    "owner",
    "field",
    "stage",
    "way",
    "new_output_value",
    "jobs",
    "patents",
    "started_on",
    "pilot_on",
    "industrialised_on",
    "note",
)


@transaction.atomic
def achievement_save(
    *,
    achievement: Achievement,
    by: User,
    contracts: list[TechContract] | None = None,
    **fields: Any,
) -> Achievement:
    """Record a new achievement or change one; `contracts` replaces the
    linked contracts when given."""
    before = (
        snapshot(Achievement.objects.get(pk=achievement.pk), ACHIEVEMENT_FIELDS)
        if achievement.pk
        else None
    )
    for name, value in fields.items():
        if name not in ACHIEVEMENT_FIELDS:
            raise TypeError(name)
        setattr(achievement, name, value)
    if achievement.pk is None:
        achievement.created_by = by
    achievement.full_clean(exclude=["contracts"])
    audited_save(
        achievement,
        by=by,
        action="achievement.update" if before else "achievement.create",
        fields=ACHIEVEMENT_FIELDS,
        before=before,
        validate=False,
    )
    if contracts is not None:
        achievement.contracts.set(contracts)
    return achievement


# --- The import -----------------------------------------------------------------

# Blank cells: "" for the text fields, None for the others.
_BLANK_TEXT = ("field", "way", "note")
_HEADERS = {c.key: c.header for c in ACHIEVEMENT_COLUMNS}


def _labels(
    choices: list[tuple[str, Any]], names: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    """Every accepted spelling → the stored code: the code, the Chinese
    names and the label in the current language."""
    labels: dict[str, str] = {}
    for code, label in choices:
        labels[code] = code
        labels[str(label)] = code
        for name in names[code]:
            labels[name] = code
    return labels


def _registration_numbers(value: Any) -> list[str]:
    """关联技术合同登记号: several separated by commas, 、, spaces or lines."""
    raw = text(value)
    for separator in ("，", ",", "、", ";", "；"):
        raw = raw.replace(separator, " ")
    return list(dict.fromkeys(raw.split()))


def _max_lengths() -> dict[str, int]:
    lengths = {
        name: int(getattr(Achievement._meta.get_field(name), "max_length", 0) or 0)
        for name in ("title", "field", "note")
    }
    return lengths | {"owner_name": 200}


@dataclass
class _Row:
    """A parsed row on its way to be stored."""

    number: int
    achievement: Achievement
    before: dict[str, Any] | None
    contracts: list[TechContract] = field(default_factory=list)


def _audited(achievement: Achievement, contracts: list[TechContract]) -> dict[str, Any]:
    """What an audit event keeps of an achievement, its linked contracts by
    registration number."""
    return snapshot(achievement, ACHIEVEMENT_FIELDS) | {
        "contracts": "、".join(sorted(c.registration_number for c in contracts))
    }


def achievements_import(*, file: IO[bytes] | Any, by: User) -> LedgerImportResult:
    """Record the achievements of a workbook in the template's columns, all
    or nothing: any problem raises LedgerImportError naming the row and the
    column of every bad cell, and nothing is written. The owner is matched
    to the registry by credit code, else by exact name; an achievement of
    that owner already stored under the same name is updated, its linked
    contracts replaced by the row's."""
    try:
        raw = read_rows(file, ACHIEVEMENT_COLUMNS)
    except WorkbookRefused as exc:
        raise LedgerImportError(exc.errors) from None
    errors: list[CellError] = []
    if not raw:
        errors.append(CellError(0, "", _("The file has no rows below the header.")))
    parsers = {
        "owner_credit_code": credit_code,
        "stage": choice_of(
            _labels(Achievement.Stage.choices, STAGE_NAMES),
            [names[0] for names in STAGE_NAMES.values()],
        ),
        "way": choice_of(
            _labels(Achievement.Way.choices, WAY_NAMES),
            [names[0] for names in WAY_NAMES.values()],
        ),
        "contracts": _registration_numbers,
        "new_output_value": wan_to_yuan,
        "jobs": whole_number,
        "patents": whole_number,
        "started_on": a_date,
        "pilot_on": a_date,
        "industrialised_on": a_date,
    }
    rows = parse_rows(raw, ACHIEVEMENT_COLUMNS, parsers, errors, _max_lengths())
    bad_cells = {(e.row, e.column) for e in errors}

    registry = registry_for(
        [
            (fields.get("owner_credit_code", ""), fields.get("owner_name", ""))
            for _number, fields in rows
        ]
    )
    numbers = {n for _number, fields in rows for n in fields.get("contracts", [])}
    contracts = {
        c.registration_number: c
        for c in contracts_visible_to(by).filter(registration_number__in=numbers)
    }
    matched: list[tuple[int, dict[str, Any], Enterprise, list[TechContract]]] = []
    first_row: dict[tuple[int, str], int] = {}
    for number, fields in rows:
        owner = _owner(number, fields, registry, bad_cells, errors)
        linked = fields.get("contracts", [])
        missing = [n for n in linked if n not in contracts]
        if missing:
            errors.append(
                CellError(
                    number,
                    _HEADERS["contracts"],
                    _("No contract is registered under %(numbers)s.")
                    % {"numbers": "、".join(missing)},
                )
            )
        title = fields.get("title")
        if owner is None or not title or missing:
            continue
        key = (owner.pk, title)
        if key in first_row:
            errors.append(
                CellError(
                    number,
                    _HEADERS["title"],
                    _("The same achievement of the same owner as row %(row)s.")
                    % {"row": first_row[key]},
                )
            )
            continue
        first_row[key] = number
        matched.append((number, fields, owner, [contracts[n] for n in linked]))

    existing: dict[tuple[int, str], list[Achievement]] = {}
    if first_row:
        for achievement in Achievement.objects.filter(
            owner__in={owner_id for owner_id, _title in first_row},
            title__in={title for _owner_id, title in first_row},
        ).prefetch_related("contracts"):
            key = (achievement.owner_id, achievement.title)
            existing.setdefault(key, []).append(achievement)

    bad_rows = {e.row for e in errors}
    prepared: list[_Row] = []
    for number, fields, owner, linked_contracts in matched:
        stored = existing.get((owner.pk, fields["title"]), [])
        if len(stored) > 1:
            errors.append(
                CellError(
                    number,
                    _HEADERS["title"],
                    _(
                        "Several achievements of this owner already have this "
                        "name; change them on the achievement pages."
                    ),
                )
            )
            continue
        if number in bad_rows:
            continue
        current = stored[0] if stored else None
        before = _audited(current, list(current.contracts.all())) if current else None
        achievement = current or Achievement(created_by=by)
        for name in ACHIEVEMENT_FIELDS:
            if name == "owner":
                achievement.owner = owner
            else:
                blank = "" if name in _BLANK_TEXT else None
                setattr(achievement, name, fields.get(name, blank))
        try:
            achievement.full_clean(exclude=["contracts"])
        except ValidationError as exc:
            errors.extend(_cell_errors(number, exc))
            continue
        prepared.append(_Row(number, achievement, before, linked_contracts))
    if errors:
        raise LedgerImportError(errors)
    return _store(prepared, by=by)


def _owner(
    number: int,
    fields: dict[str, Any],
    registry: Registry,
    bad_cells: set[tuple[int, str]],
    errors: list[CellError],
) -> Enterprise | None:
    """The row's registry organisation, or None with the error recorded."""
    code_header = _HEADERS["owner_credit_code"]
    name_header = _HEADERS["owner_name"]
    if (number, code_header) in bad_cells or (number, name_header) in bad_cells:
        return None
    code = fields.get("owner_credit_code", "")
    name = fields.get("owner_name", "")
    if not code and not name:
        errors.append(
            CellError(
                number,
                name_header,
                _("Give the owner's registered name or its credit code."),
            )
        )
        return None
    owner = registry.match(code, name)
    if owner is None:
        errors.append(
            CellError(
                number,
                code_header if code else name_header,
                _(
                    "No single registry organisation has this credit code or "
                    "name; register it first or give its credit code."
                ),
            )
        )
    return owner


def _store(prepared: list[_Row], *, by: User) -> LedgerImportResult:
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in prepared:
            after = _audited(row.achievement, row.contracts)
            if row.before is not None and row.before == after:
                unchanged += 1
                continue
            row.achievement.save()
            row.achievement.contracts.set(row.contracts)
            audit(
                by=by,
                action="achievement.update" if row.before else "achievement.create",
                target=row.achievement,
                before=row.before,
                after=after,
                message=_("Imported from a workbook, row %(row)s")
                % {"row": row.number},
            )
            if row.before is None:
                created += 1
            else:
                updated += 1
        audit(
            by=by,
            action="achievement.import",
            message=_("%(created)d new, %(updated)d updated, %(unchanged)d unchanged")
            % {"created": created, "updated": updated, "unchanged": unchanged},
        )
    return LedgerImportResult(created=created, updated=updated, unchanged=unchanged)


def _cell_errors(number: int, exc: ValidationError) -> list[CellError]:
    """A model's ValidationError as cell errors under the template's headers
    (the owner's under its name's)."""
    headers = _HEADERS | {"owner": _HEADERS["owner_name"]}
    if not hasattr(exc, "error_dict"):
        return [CellError(number, "", message) for message in exc.messages]
    return [
        CellError(
            number,
            "" if name == NON_FIELD_ERRORS else headers.get(name, name),
            message,
        )
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
