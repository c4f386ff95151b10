"""Writes of the technology contracts: create one, import the registration
office's workbook (all or nothing; a registration number already stored is
updated). The achievements' writes are in indicators.services.achievements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bureau.audit import audit, snapshot
from bureau.lib.concurrency import conflict_on_integrity_error
from bureau.lib.xlsx import CellError, WorkbookRefused
from bureau.models import User
from enterprises.selectors import enterprise_choices
from indicators.ledger_imports import (
    CONTRACT_COLUMNS,
    a_date,
    choice_of,
    credit_code,
    header_of,
    parse_rows,
    read_rows,
    text,
    wan_to_yuan,
)
from indicators.ledgers import contract_direction
from indicators.models import TechContract
from indicators.services.computed import recompute_later

if TYPE_CHECKING:
    from enterprises.models import Enterprise

CONTRACT_FIELDS = (
    "registration_number",
    "name",
    "kind",
    "seller_name",
    "seller_credit_code",
    "buyer_name",
    "buyer_credit_code",
    "buyer_location",
    "contract_amount",
    "transaction_amount",
    "registered_on",
)
# What an audit event keeps of a contract (the derived fields included).
_AUDITED = (*CONTRACT_FIELDS, "direction", "seller_street", "buyer_street")


class LedgerImportError(ValidationError):
    """The file was refused and nothing was written; `errors` lists every
    problem as a CellError, by row."""

    def __init__(self, errors: list[CellError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.row)
        super().__init__(
            [
                _("Row %(row)s, %(column)s: %(message)s")
                % {"row": e.row, "column": e.column, "message": e.message}
                if e.row and e.column
                else e.message
                for e in self.errors
            ],
            code="import",
        )


@dataclass(frozen=True)
class LedgerImportResult:
    created: int
    updated: int
    unchanged: int


# --- Matching parties to the registry -------------------------------------------


@dataclass
class Registry:
    """The registry organisations an upload names, by credit code and name."""

    by_code: dict[str, Enterprise]
    by_name: dict[str, list[Enterprise]]

    def match(self, code: str, name: str) -> Enterprise | None:
        """By credit code when one is given, else by name when exactly one
        organisation has it."""
        if code:
            return self.by_code.get(code)
        found = self.by_name.get(name, [])
        return found[0] if len(found) == 1 else None


def registry_for(pairs: list[tuple[str, str]]) -> Registry:
    """One query for the organisations of (code, name) pairs."""
    codes = {code for code, _name in pairs if code}
    names = {name for code, name in pairs if not code and name}
    by_code: dict[str, Enterprise] = {}
    by_name: dict[str, list[Enterprise]] = defaultdict(list)
    if codes or names:
        for enterprise in enterprise_choices().filter(
            Q(credit_code__in=codes) | Q(name__in=names)
        ):
            by_code[enterprise.credit_code] = enterprise
            by_name[enterprise.name].append(enterprise)
    return Registry(by_code=by_code, by_name=by_name)


def _place(contract: TechContract, registry: Registry) -> None:
    """Match the parties and derive the direction and the streets; a
    contract neither of whose parties is in the district is refused."""
    contract.seller = registry.match(contract.seller_credit_code, contract.seller_name)
    contract.buyer = registry.match(contract.buyer_credit_code, contract.buyer_name)
    contract.seller_street_id = contract.seller.org_unit_id if contract.seller else None
    contract.buyer_street_id = contract.buyer.org_unit_id if contract.buyer else None
    contract.direction = contract_direction(
        seller_in_district=contract.seller is not None,
        buyer_in_district=contract.buyer is not None,
    )
    if not contract.direction:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Neither the seller nor the buyer is in the district's "
                    "registry: register the district's party first, or check "
                    "its name and credit code."
                )
            }
        )


def _years(*contracts: TechContract | None) -> set[int]:
    return {c.registered_on.year for c in contracts if c and c.registered_on}


@transaction.atomic
def tech_contract_create(*, by: User, **fields: Any) -> TechContract:
    """Register one contract; the registry decides its direction."""
    contract = TechContract(created_by=by, **fields)
    code_pairs = [
        (contract.seller_credit_code, contract.seller_name),
        (contract.buyer_credit_code, contract.buyer_name),
    ]
    _place(contract, registry_for(code_pairs))
    contract.full_clean()
    with conflict_on_integrity_error(contract):
        contract.save()
    audit(
        by=by,
        action="tech_contract.create",
        target=contract,
        after=snapshot(contract, _AUDITED),
    )
    for year in _years(contract):
        recompute_later(year)
    return contract


# 合同类别 as the registration office writes it.
KIND_NAMES = {
    "development": "技术开发",
    "transfer": "技术转让",
    "license": "技术许可",
    "consulting": "技术咨询",
    "service": "技术服务",
}


def _kind_labels() -> dict[str, str]:
    """合同类别 as the office writes it: 技术开发 or 开发, or the code."""
    labels: dict[str, str] = {}
    for code, label in TechContract.Kind.choices:
        labels[code] = code
        chinese = KIND_NAMES[code]
        labels[chinese] = code
        labels[chinese.removeprefix("技术")] = code
        labels[str(label)] = code
    return labels


def _max_lengths() -> dict[str, int]:
    return {
        name: int(getattr(TechContract._meta.get_field(name), "max_length", 0) or 0)
        for name in CONTRACT_FIELDS
        if getattr(TechContract._meta.get_field(name), "max_length", None)
    }


def tech_contracts_import(*, file: IO[bytes] | Any, by: User) -> LedgerImportResult:
    """Register the contracts of the office's workbook, all or nothing: any
    problem raises LedgerImportError naming every bad cell, and nothing is
    written. A registration number already stored is updated, so importing
    the same workbook twice changes nothing."""
    try:
        raw = read_rows(file, CONTRACT_COLUMNS)
    except WorkbookRefused as exc:
        raise LedgerImportError(exc.errors) from None
    errors: list[CellError] = []
    if not raw:
        errors.append(CellError(0, "", _("The file has no rows below the header.")))
    parsers = {
        "kind": choice_of(_kind_labels(), list(KIND_NAMES.values())),
        "seller_credit_code": credit_code,
        "buyer_credit_code": credit_code,
        "contract_amount": wan_to_yuan,
        "transaction_amount": wan_to_yuan,
        "registered_on": a_date,
        "registration_number": lambda v: "".join(text(v).split()),
    }
    rows = parse_rows(raw, CONTRACT_COLUMNS, parsers, errors, _max_lengths())
    number_header = header_of(CONTRACT_COLUMNS, "registration_number")
    first_row: dict[str, int] = {}
    for number, fields in rows:
        key = fields.get("registration_number")
        if key in first_row:
            errors.append(
                CellError(
                    number,
                    number_header,
                    _("The same registration number as row %(row)s.")
                    % {"row": first_row[key]},
                )
            )
        elif key:
            first_row[key] = number
    bad_rows = {e.row for e in errors}
    registry = registry_for(
        [
            (fields.get(f"{side}_credit_code", ""), fields.get(f"{side}_name", ""))
            for _number, fields in rows
            for side in ("seller", "buyer")
        ]
    )
    existing = {
        c.registration_number: c
        for c in TechContract.objects.filter(registration_number__in=list(first_row))
    }
    prepared: list[tuple[int, TechContract, dict[str, Any] | None]] = []
    for number, fields in rows:
        if number in bad_rows:
            continue
        fields = {name: fields.get(name, "") for name in CONTRACT_FIELDS}
        current = existing.get(fields["registration_number"])
        before = snapshot(current, _AUDITED) if current else None
        contract = current or TechContract(created_by=by)
        for name, value in fields.items():
            setattr(contract, name, value)
        try:
            _place(contract, registry)
            contract.full_clean(validate_unique=False)
        except ValidationError as exc:
            errors.extend(_cell_errors(number, exc))
            continue
        prepared.append((number, contract, before))
    if errors:
        raise LedgerImportError(errors)

    created = updated = unchanged = 0
    years: set[int] = set()
    with transaction.atomic():
        for _number, contract, before in prepared:
            if before is not None and before == snapshot(contract, _AUDITED):
                unchanged += 1
                continue
            old_year = before["registered_on"][:4] if before else ""
            with conflict_on_integrity_error(contract):
                contract.save()
            audit(
                by=by,
                action="tech_contract.update" if before else "tech_contract.create",
                target=contract,
                before=before,
                after=snapshot(contract, _AUDITED),
            )
            if before:
                updated += 1
                if old_year.isdigit():
                    years.add(int(old_year))
            else:
                created += 1
            years |= _years(contract)
        audit(
            by=by,
            action="tech_contract.import",
            message=_("%(created)d new, %(updated)d updated, %(unchanged)d unchanged")
            % {"created": created, "updated": updated, "unchanged": unchanged},
        )
        for year in sorted(years):
            recompute_later(year)
    return LedgerImportResult(created=created, updated=updated, unchanged=unchanged)


def _cell_errors(number: int, exc: ValidationError) -> list[CellError]:
    headers = {c.key: c.header for c in CONTRACT_COLUMNS}
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
