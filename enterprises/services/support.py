"""Writes of visits and follow-ups, R&D institutions, loans and carriers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, audited_save, snapshot
from bureau.lib.exceptions import ApplicationError
from bureau.lib.validation import full_clean_item
from bureau.models import User
from bureau.signals import business_data_changed
from enterprises.models import Carrier, Enterprise, FollowUp, Loan, RDInstitution, Visit


@transaction.atomic
def visit_record(
    *,
    enterprise: Enterprise,
    by: User,
    visited_on: date,
    issues_raised: str = "",
    notes: str = "",
    visitors: list[User] | None = None,
    follow_ups: list[dict[str, Any]] | None = None,
) -> Visit:
    """Log a visit (走访) and the follow-up actions promised during it; each
    follow-up is {"action", "owner": User, "due_on": date}."""
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    visit = Visit(
        enterprise=enterprise,
        visited_on=visited_on,
        issues_raised=issues_raised,
        notes=notes,
        created_by=by,
    )
    visit.full_clean(exclude=["visitors"])
    visit.save()
    visit.visitors.set(visitors or [by])
    for index, item in enumerate(follow_ups or []):
        follow_up = FollowUp(visit=visit, **item)
        full_clean_item(follow_up, key=f"follow_ups[{index}]")
        if follow_up.due_on < visited_on:
            raise ValidationError(
                {f"follow_ups[{index}].due_on": _("The due date is before the visit.")}
            )
        follow_up.save()
    audit(
        by=by,
        action="visit.record",
        target=visit,
        after={
            "visited_on": visited_on.isoformat(),
            "issues_raised": issues_raised,
            "follow_ups": len(follow_ups or []),
        },
        message=str(enterprise),
    )
    return visit


@transaction.atomic
def follow_up_close(
    *, follow_up: FollowUp, by: User, result: str, status: str = FollowUp.Status.DONE
) -> FollowUp:
    if follow_up.status != FollowUp.Status.OPEN:
        raise ApplicationError(_("This follow-up is already closed."), code="closed")
    if status not in (FollowUp.Status.DONE, FollowUp.Status.DROPPED):
        raise ValidationError({"status": _("Close as done or dropped.")})
    if not result.strip():
        raise ValidationError({"result": _("Say what was done.")})
    before = snapshot(follow_up, ["status", "result"])
    follow_up.status = status
    follow_up.result = result.strip()
    follow_up.closed_at = timezone.now()
    return audited_save(
        follow_up,
        by=by,
        action="follow_up.close",
        fields=["status", "result"],
        before=before,
        validate=False,
        update_fields=["status", "result", "closed_at"],
    )


@transaction.atomic
def rd_institution_record(
    *, enterprise: Enterprise, by: User, **fields: Any
) -> RDInstitution:
    institution = audited_save(
        RDInstitution(enterprise=enterprise, **fields),
        by=by,
        action="rd_institution.record",
        fields=["name", "type", "level", "recognised_on"],
        message=str(enterprise),
    )
    # 规上企业研发机构覆盖率 counts institutions recognised by each year's end
    business_data_changed.send(
        sender=RDInstitution,
        year=institution.recognised_on.year,
        subject="rd_institution",
    )
    return institution


RD_INSTITUTION_FIELDS = [
    "enterprise",
    "name",
    "type",
    "level",
    "recognised_on",
    "source_document",
]


@transaction.atomic
def rd_institution_update(
    *, institution: RDInstitution, by: User, **fields: Any
) -> RDInstitution:
    """Change a recorded R&D institution (its host, name, type, level,
    recognition date or document); the coverage indicator is recounted for
    the years of the old and the new recognition date."""
    old = RDInstitution.objects.get(pk=institution.pk)
    before = snapshot(old, RD_INSTITUTION_FIELDS)
    for name, value in fields.items():
        setattr(institution, name, value)
    audited_save(
        institution,
        by=by,
        action="rd_institution.update",
        fields=RD_INSTITUTION_FIELDS,
        before=before,
        message=institution.name,
        only_if_changed=True,
    )
    for year in {old.recognised_on.year, institution.recognised_on.year}:
        business_data_changed.send(
            sender=RDInstitution, year=year, subject="rd_institution"
        )
    return institution


@transaction.atomic
def loan_record(*, enterprise: Enterprise, by: User, **fields: Any) -> Loan:
    loan = Loan(enterprise=enterprise, **fields)
    if loan.amount is not None and loan.amount <= Decimal(0):
        raise ValidationError({"amount": _("The amount must be above zero.")})
    audited_save(
        loan,
        by=by,
        action="loan.record",
        fields=["bank", "amount", "granted_on", "kind"],
        message=str(enterprise),
    )
    # 科技贷款 counts granted loans
    business_data_changed.send(
        sender=type(loan), year=loan.granted_on.year, subject="loan"
    )
    return loan


@transaction.atomic
def carrier_save(
    *, carrier: Carrier, by: User, residents: list[Enterprise] | None = None
) -> Carrier:
    fields = [
        "name",
        "type",
        "level",
        "org_unit",
        "host",
        "operator",
        "recognised_on",
    ]
    before = (
        snapshot(Carrier.objects.get(pk=carrier.pk), fields) if carrier.pk else None
    )
    carrier.full_clean(exclude=["residents"])
    audited_save(
        carrier,
        by=by,
        action="carrier.update" if before else "carrier.create",
        fields=fields,
        before=before,
        validate=False,
    )
    if residents is not None:
        carrier.residents.set(residents)
    return carrier
