"""Writes of annual returns and quarterly reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import AuditEntry, audit_many, audited_save, snapshot
from bureau.lib.concurrency import conflict_on_integrity_error, lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from enterprises.models import AnnualReturn, Enterprise, FilingStatus, QuarterlyReport
from enterprises.permissions import can_review_filings
from enterprises.selectors.filings import filing_title

AnyFiling = AnnualReturn | QuarterlyReport
# Either kind, or a value that may be either (a view serving both kinds).
FilingT = TypeVar("FilingT", bound=AnyFiling)

# --- Returns and quarterly reports -------------------------------------------

ANNUAL_RETURN_FIELDS = (
    "main_business_revenue",
    "other_business_revenue",
    "total_income",
    "non_taxable_income",
    "hightech_income",
    *AnnualReturn.RD_INTERNAL_FIELDS,
    "rd_entrusted_domestic",
    "rd_entrusted_overseas",
    "rd_super_deduction",
    "total_cost_expense",
    "staff_total",
    "tech_staff",
    "total_assets",
    "net_assets",
    "profit",
    "ip_invention",
    "ip_other_class1",
    "ip_utility",
    "ip_design",
    "ip_software",
    "tech_transfers",
)
QUARTERLY_FIELDS = (
    "revenue_ytd",
    "profit_ytd",
    "tax_ytd",
    "rd_ytd",
    "exports_ytd",
    "staff",
)


def _filing_apply(
    filing: AnyFiling, fields: tuple[str, ...], figures: dict[str, Any]
) -> None:
    unknown = set(figures) - set(fields)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    for name, value in figures.items():
        setattr(filing, name, value)
    filing.full_clean()


def _filing_kind(filing: AnyFiling) -> tuple[str, tuple[str, ...]]:
    """The audit prefix and the figure fields of `filing`'s kind."""
    if isinstance(filing, AnnualReturn):
        return "annual_return", ANNUAL_RETURN_FIELDS
    return "quarterly_report", QUARTERLY_FIELDS


def _filing_create(
    filing: FilingT, *, by: User, action: str, figures: dict[str, Any]
) -> FilingT:
    """Save a new draft with `figures` and audit it as `action`."""
    fields = _filing_kind(filing)[1]
    _filing_apply(filing, fields, figures)
    return audited_save(filing, by=by, action=action, fields=fields, validate=False)


@transaction.atomic
def annual_return_create(
    *, enterprise: Enterprise, year: int, by: User, **figures: Any
) -> AnnualReturn:
    """Start the return of `year` as a draft; one per enterprise and year."""
    taken = ValidationError(
        {"year": _("There is already a return for %(year)s.") % {"year": year}}
    )
    if AnnualReturn.objects.filter(enterprise=enterprise, year=year).exists():
        raise taken
    with conflict_on_integrity_error(error=taken):  # a concurrent create won
        return _filing_create(
            AnnualReturn(enterprise=enterprise, year=year),
            by=by,
            action="annual_return.create",
            figures=figures,
        )


@transaction.atomic
def quarterly_report_create(
    *, enterprise: Enterprise, year: int, quarter: int, by: User, **figures: Any
) -> QuarterlyReport:
    """Start the report of a quarter as a draft; one per enterprise and quarter."""
    taken = ValidationError(
        {
            "quarter": _("There is already a report for %(year)sQ%(quarter)s.")
            % {"year": year, "quarter": quarter}
        }
    )
    if QuarterlyReport.objects.filter(
        enterprise=enterprise, year=year, quarter=quarter
    ).exists():
        raise taken
    with conflict_on_integrity_error(error=taken):  # a concurrent create won
        return _filing_create(
            QuarterlyReport(enterprise=enterprise, year=year, quarter=quarter),
            by=by,
            action="quarterly_report.create",
            figures=figures,
        )


@transaction.atomic
def filing_update(*, filing: FilingT, by: User, **figures: Any) -> FilingT:
    """Change the figures of a draft or returned filing."""
    lock_for_update(filing)
    if not filing.is_editable:
        raise ApplicationError(
            _("This filing is %(status)s and can no longer be changed.")
            % {"status": filing.get_status_display()},
            code="not_editable",
        )
    label, fields = _filing_kind(filing)
    before = snapshot(filing, fields)
    _filing_apply(filing, fields, figures)
    return audited_save(
        filing,
        by=by,
        action=f"{label}.update",
        fields=fields,
        before=before,
        validate=False,
    )


@transaction.atomic
def filing_submit(*, filing: FilingT, by: User) -> FilingT:
    """The enterprise (or staff on its behalf) hands the figures in."""
    lock_for_update(filing)
    if not filing.is_editable:
        raise ApplicationError(
            _("Only a draft or a returned filing can be submitted."),
            code="not_editable",
        )
    filing.full_clean()
    before = {"status": filing.status}
    filing.status = FilingStatus.SUBMITTED
    filing.submitted_at = timezone.now()
    return audited_save(
        filing,
        by=by,
        action=f"{_filing_kind(filing)[0]}.submit",
        fields=["status"],
        before=before,
        validate=False,
        update_fields=["status", "submitted_at", "updated_at"],
    )


@transaction.atomic
def filing_review(
    *, filing: FilingT, by: User, accept: bool, reason: str = ""
) -> FilingT:
    """Staff accept a submitted filing, or return it with a reason."""
    lock_for_update(filing)
    if not can_review_filings(by):
        raise PermissionDenied
    if filing.status != FilingStatus.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted filing can be accepted or returned."),
            code="not_submitted",
        )
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the filing is returned.")})
    before = {"status": filing.status}
    filing.status = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
    filing.return_reason = "" if accept else reason.strip()
    filing.reviewed_by = by
    filing.reviewed_at = timezone.now()
    audited_save(
        filing,
        by=by,
        action=f"{_filing_kind(filing)[0]}.{'accept' if accept else 'return'}",
        fields=["status"],
        before=before,
        message=filing.return_reason,
        validate=False,
        update_fields=[
            "status",
            "return_reason",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ],
    )
    if not accept:
        from bureau.services import notification_create

        for user in filing.enterprise.users.filter(is_active=True):
            notification_create(
                recipient=user,
                subject=_("%(filing)s was returned for correction")
                % {"filing": filing},
                body=filing.return_reason,
                send_email=True,
            )
    return filing


@transaction.atomic
def filings_accept(
    *, model: type[FilingT], ids: Iterable[int], by: User
) -> list[FilingT]:
    """Accept several submitted filings of one kind at once (批量通过): all or
    none. Each is locked, checked and audited as its own acceptance."""
    if not can_review_filings(by):
        raise PermissionDenied
    wanted = sorted(set(ids))
    manager: Any = model.objects
    filings: list[FilingT] = list(
        manager.select_for_update(of=("self",))
        .select_related("enterprise")
        .filter(pk__in=wanted)
        .order_by("pk")
    )
    if not filings or len(filings) != len(wanted):
        raise ApplicationError(
            _("Some of the chosen filings no longer exist."), code="not_found"
        )
    not_submitted = [f for f in filings if f.status != FilingStatus.SUBMITTED]
    if not_submitted:
        raise ApplicationError(
            _("Only submitted filings can be approved; not: %(names)s.")
            % {"names": "、".join(filing_title(f) for f in not_submitted)},
            code="not_submitted",
        )
    now = timezone.now()
    label = _filing_kind(filings[0])[0]
    for filing in filings:
        filing.status = FilingStatus.ACCEPTED
        filing.return_reason = ""
        filing.reviewed_by = by
        filing.reviewed_at = now
        filing.updated_at = now
    manager.bulk_update(
        filings,
        ["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"],
    )
    audit_many(
        AuditEntry(
            by=by,
            action=f"{label}.accept",
            target=filing,
            before={"status": FilingStatus.SUBMITTED},
            after={"status": FilingStatus.ACCEPTED},
            message=_("Approved in bulk"),
        )
        for filing in filings
    )
    return filings
