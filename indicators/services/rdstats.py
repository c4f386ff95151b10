"""Writes of the R&D statistics ledger: import the list of units expected
to report (all or nothing; a unit already on the year's list is updated),
add one, record a unit's status (a liaison for their street), and the
bureau's bulk actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import AuditEntry, audit, audit_many, snapshot
from bureau.lib.concurrency import conflict_on_integrity_error, lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.lib.xlsx import CellError, WorkbookRefused
from bureau.models import OrgUnit, User
from indicators.ledger_imports import (
    RD_COLUMNS,
    credit_code,
    header_of,
    parse_rows,
    read_rows,
    wan_to_yuan,
    yes_no,
)
from indicators.ledgers import is_reporting
from indicators.models import RDReportingUnit
from indicators.permissions import can_manage_ledgers
from indicators.services.computed import recompute_later
from indicators.services.contracts import (
    LedgerImportError,
    LedgerImportResult,
    registry_for,
)

Status = RDReportingUnit.Status
_AUDITED = (
    "unit_name",
    "credit_code",
    "org_unit",
    "is_above_scale",
    "last_year_amount",
    "status",
    "amount",
    "reported_on",
    "note",
)


def _streets() -> dict[str, OrgUnit]:
    """Streets and parks by code and by name (the template takes either)."""
    found: dict[str, OrgUnit] = {}
    for unit in OrgUnit.objects.filter(
        level__in=[OrgUnit.Level.STREET, OrgUnit.Level.PARK], is_active=True
    ):
        found[unit.code] = unit
        found[unit.name] = unit
    return found


def _last_years(year: int) -> dict[str, Decimal]:
    """Last year's reported amounts by credit code and by name, to fill a
    blank 上年研发经费."""
    amounts: dict[str, Decimal] = {}
    for unit in RDReportingUnit.objects.filter(
        year=year - 1, status__in=RDReportingUnit.REPORTING
    ).exclude(amount=None):
        assert unit.amount is not None
        amounts[unit.unit_name] = unit.amount
        if unit.credit_code:
            amounts[unit.credit_code] = unit.amount
    return amounts


@dataclass
class _Row:
    number: int
    unit: RDReportingUnit
    before: dict[str, Any] | None
    changed: bool = field(default=True)


def rd_units_import(
    *, file: IO[bytes] | Any, year: int, by: User
) -> LedgerImportResult:
    """Put the workbook's units on `year`'s ledger, all or nothing. Each is
    matched to the registry by credit code, then name; its street and 规上
    flag come from the registry unless the row gives them. A unit already on
    the list (same code, or same name) is updated; its status stays."""
    if not can_manage_ledgers(by):
        raise PermissionDenied
    try:
        raw = read_rows(file, RD_COLUMNS)
    except WorkbookRefused as exc:
        raise LedgerImportError(exc.errors) from None
    errors: list[CellError] = []
    if not raw:
        errors.append(CellError(0, "", _("The file has no rows below the header.")))
    parsers = {
        "credit_code": credit_code,
        "is_above_scale": yes_no,
        "last_year_amount": wan_to_yuan,
    }
    rows = parse_rows(raw, RD_COLUMNS, parsers, errors, {"unit_name": 200})
    registry = registry_for(
        [(f.get("credit_code", ""), f.get("unit_name", "")) for _n, f in rows]
    )
    streets = _streets()
    last_year = _last_years(year)
    existing = list(RDReportingUnit.objects.filter(year=year))
    by_code = {u.credit_code: u for u in existing if u.credit_code}
    by_name = {u.unit_name: u for u in existing}
    street_header = header_of(RD_COLUMNS, "street")
    name_header = header_of(RD_COLUMNS, "unit_name")
    seen: dict[str, int] = {}
    prepared: list[_Row] = []
    for number, fields in rows:
        name = fields.get("unit_name", "")
        code = fields.get("credit_code", "")
        if not name:
            continue
        key = code or name
        if key in seen:
            errors.append(
                CellError(
                    number,
                    name_header,
                    _("The same unit as row %(row)s.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        enterprise = registry.match(code, name)
        street = None
        if fields.get("street"):
            street = streets.get(fields["street"])
            if street is None:
                errors.append(
                    CellError(
                        number,
                        street_header,
                        _("No street or park is named or coded “%(value)s”.")
                        % {"value": fields["street"]},
                    )
                )
                continue
        elif enterprise is not None:
            street = enterprise.org_unit
        else:
            errors.append(
                CellError(
                    number,
                    street_header,
                    _("The unit is not in the registry: give its street or park."),
                )
            )
            continue
        current = by_code.get(code) if code else None
        current = current or by_name.get(name)
        before = snapshot(current, _AUDITED) if current else None
        unit = current or RDReportingUnit(year=year)
        unit.unit_name = name
        unit.credit_code = code or (enterprise.credit_code if enterprise else "")
        unit.enterprise = enterprise
        unit.org_unit = street
        if "is_above_scale" in fields:
            unit.is_above_scale = fields["is_above_scale"]
        elif enterprise is not None:
            unit.is_above_scale = enterprise.is_above_scale
        if "last_year_amount" in fields:
            unit.last_year_amount = fields["last_year_amount"]
        elif unit.last_year_amount is None:
            unit.last_year_amount = last_year.get(unit.credit_code) or last_year.get(
                name
            )
        unit.updated_by = by
        prepared.append(_Row(number, unit, before, before != snapshot(unit, _AUDITED)))
    if errors:
        raise LedgerImportError(errors)

    created = updated = unchanged = 0
    with transaction.atomic():
        for row in prepared:
            if not row.changed:
                unchanged += 1
                continue
            try:
                row.unit.full_clean()
            except ValidationError as exc:
                errors.extend(
                    CellError(row.number, name_header, m) for m in exc.messages
                )
                continue
            with conflict_on_integrity_error(row.unit):
                row.unit.save()
            audit(
                by=by,
                action="rd_unit.update" if row.before else "rd_unit.create",
                target=row.unit,
                before=row.before,
                after=snapshot(row.unit, _AUDITED),
            )
            if row.before:
                updated += 1
            else:
                created += 1
        if errors:
            raise LedgerImportError(errors)  # rolls back what was written
        audit(
            by=by,
            action="rd_unit.import",
            message=_(
                "Ledger %(year)s: %(created)d new, %(updated)d updated, "
                "%(unchanged)d unchanged"
            )
            % {
                "year": year,
                "created": created,
                "updated": updated,
                "unchanged": unchanged,
            },
        )
        recompute_later(year)
    return LedgerImportResult(created=created, updated=updated, unchanged=unchanged)


@transaction.atomic
def rd_unit_create(
    *,
    by: User,
    year: int,
    unit_name: str,
    org_unit: OrgUnit | None = None,
    credit_code: str = "",
    is_above_scale: bool | None = None,
    last_year_amount: Decimal | None = None,
) -> RDReportingUnit:
    """Add one unit to `year`'s ledger, matched to the registry like an
    imported row."""
    enterprise = registry_for([(credit_code, unit_name)]).match(credit_code, unit_name)
    if org_unit is None:
        if enterprise is None:
            raise ValidationError(
                {
                    "org_unit": _(
                        "The unit is not in the registry: give its street or park."
                    )
                }
            )
        org_unit = enterprise.org_unit
    unit = RDReportingUnit(
        year=year,
        unit_name=unit_name,
        credit_code=credit_code or (enterprise.credit_code if enterprise else ""),
        enterprise=enterprise,
        org_unit=org_unit,
        is_above_scale=(
            is_above_scale
            if is_above_scale is not None
            else bool(enterprise and enterprise.is_above_scale)
        ),
        last_year_amount=last_year_amount,
        updated_by=by,
    )
    unit.full_clean()
    with conflict_on_integrity_error(unit):
        unit.save()
    audit(
        by=by,
        action="rd_unit.create",
        target=unit,
        after=snapshot(unit, _AUDITED),
    )
    recompute_later(year)
    return unit


@transaction.atomic
def rd_unit_set_status(
    *,
    unit: RDReportingUnit,
    by: User,
    status: str,
    amount: Decimal | None = None,
    reported_on: date | None = None,
    note: str = "",
) -> RDReportingUnit:
    """Record where a unit stands. Reported needs the amount; no R&D needs a
    note saying why; verifying is the bureau's and needs a reported unit; a
    verified unit is changed only by the bureau (409 for a liaison)."""
    lock_for_update(unit)
    bureau = can_manage_ledgers(by)
    if status == Status.VERIFIED and not bureau:
        raise PermissionDenied
    if unit.status == Status.VERIFIED and not bureau:
        raise ApplicationError(
            _("The figures of %(unit)s are verified; only the bureau can change them.")
            % {"unit": unit.unit_name},
            code="verified",
        )
    if status == Status.VERIFIED and not is_reporting(unit.status):
        raise ApplicationError(
            _("%(unit)s has not reported yet: only reported figures are verified.")
            % {"unit": unit.unit_name},
            code="not_reported",
        )
    note = note.strip()
    before = snapshot(unit, _AUDITED)
    if status == Status.REPORTED:
        if amount is None:
            raise ValidationError({"amount": _("Give the R&D spending reported.")})
        if amount < 0:
            raise ValidationError({"amount": _("Give an amount of zero or more.")})
        unit.amount = amount
        unit.reported_on = reported_on or timezone.localdate()
    elif status == Status.NO_ACTIVITY:
        if not note:
            raise ValidationError(
                {"note": _("Say why the unit has no R&D activity this year.")}
            )
        unit.amount = None
        unit.reported_on = reported_on or timezone.localdate()
    elif status == Status.PENDING:
        unit.amount = None
        unit.reported_on = None
    elif status != Status.VERIFIED:
        raise ValidationError({"status": _("Not a status of the ledger.")})
    unit.status = status
    if note or status != Status.VERIFIED:
        unit.note = note
    unit.updated_by = by
    unit.full_clean()
    unit.save()
    audit(
        by=by,
        action="rd_unit.status",
        target=unit,
        before=before,
        after=snapshot(unit, _AUDITED),
    )
    recompute_later(unit.year)
    return unit


@transaction.atomic
def rd_units_bulk_status(
    *, units: list[RDReportingUnit], by: User, status: str, note: str = ""
) -> int:
    """The bureau's bulk actions on the ledger: verify the reported units
    among `units`, mark them without R&D (with a note), or back to not
    reported. Units the action does not apply to are left alone; returns how
    many changed."""
    if not can_manage_ledgers(by):
        raise PermissionDenied
    note = note.strip()
    if status == Status.NO_ACTIVITY and not note:
        raise ValidationError(
            {"note": _("Say why the units have no R&D activity this year.")}
        )
    if status not in (Status.VERIFIED, Status.NO_ACTIVITY, Status.PENDING):
        raise ValidationError({"status": _("Not a bulk action of the ledger.")})
    locked = list(
        RDReportingUnit.objects.select_for_update()
        .filter(pk__in=[u.pk for u in units])
        .order_by("pk")
    )
    entries: list[AuditEntry] = []
    years = set()
    for unit in locked:
        if status == Status.VERIFIED and unit.status != Status.REPORTED:
            continue
        if status != Status.VERIFIED and unit.status == status:
            continue
        before = snapshot(unit, _AUDITED)
        unit.status = status
        if status != Status.VERIFIED:
            unit.amount = None
            unit.reported_on = (
                timezone.localdate() if status == Status.NO_ACTIVITY else None
            )
            unit.note = note
        unit.updated_by = by
        unit.save(
            update_fields=[
                "status",
                "amount",
                "reported_on",
                "note",
                "updated_by",
                "updated_at",
            ]
        )
        entries.append(
            {
                "by": by,
                "action": "rd_unit.status",
                "target": unit,
                "before": before,
                "after": snapshot(unit, _AUDITED),
            }
        )
        years.add(unit.year)
    if entries:
        audit_many(entries)
    for year in years:
        recompute_later(year)
    return len(entries)
