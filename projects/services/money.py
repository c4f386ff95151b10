"""Contracts (任务书), milestones and disbursement tranches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib.concurrency import conflict_on_integrity_error, lock_for_update
from bureau.lib.exceptions import ApplicationError
from bureau.lib.money import wan_with_unit
from bureau.models import User
from projects.models import Application, Contract, Disbursement, Milestone

PAYABLE_STATES = (
    Application.State.CONTRACTED,
    Application.State.MIDTERM_PASSED,
    Application.State.ACCEPTED,
)


@transaction.atomic
def contract_record(
    *,
    application: Application,
    by: User,
    start_on: date,
    end_on: date,
    deliverables: str,
    milestones: list[dict[str, Any]],
    number: str = "",
    signed_on: date | None = None,
) -> Contract:
    """The task contract of an approved project; each milestone carries a
    tranche above zero, and the tranches add up to the approved amount (so
    a negative tranche can never offset a larger one)."""
    lock_for_update(application)
    if application.state != Application.State.APPROVED:
        raise ApplicationError(
            _("A contract is recorded for an approved project."), code="not_approved"
        )
    has_contract = _("This project already has a contract.")
    if hasattr(application, "contract"):
        raise ApplicationError(has_contract, code="has_contract")
    if not milestones:
        raise ValidationError(
            {"milestones": [_("A contract needs at least one milestone.")]}
        )
    if end_on <= start_on:
        raise ValidationError({"end_on": [_("The end is before the start.")]})
    not_positive = [
        str(m.get("title") or index)
        for index, m in enumerate(milestones, start=1)
        if Decimal(m["amount"]) <= 0
    ]
    if not_positive:
        raise ValidationError(
            {
                "milestones": [
                    _("Each tranche must be above zero; these are not: %(titles)s.")
                    % {"titles": "、".join(not_positive)}
                ]
            }
        )
    tranches = sum((Decimal(m["amount"]) for m in milestones), Decimal(0))
    if tranches != application.approved_amount:
        raise ValidationError(
            {
                "milestones": [
                    _(
                        "The tranches add up to %(sum)s, not the approved amount "
                        "%(approved)s."
                    )
                    % {
                        "sum": wan_with_unit(tranches, places=6),
                        "approved": wan_with_unit(
                            application.approved_amount, places=6
                        ),
                    }
                ]
            }
        )
    with conflict_on_integrity_error(
        error=ApplicationError(has_contract, code="has_contract")
    ):
        contract = Contract.objects.create(
            application=application,
            number=number,
            start_on=start_on,
            end_on=end_on,
            deliverables=deliverables,
            budget_total=application.approved_amount,
            signed_on=signed_on,
        )
    for item in milestones:
        milestone = Milestone.objects.create(
            contract=contract,
            title=item["title"],
            due_on=item["due_on"],
            deliverable=item.get("deliverable", ""),
        )
        Disbursement.objects.create(
            application=application,
            milestone=milestone,
            amount=Decimal(item["amount"]),
            planned_on=item["due_on"],
        )
    audit(
        by=by,
        action="contract.record",
        target=contract,
        after={"milestones": len(milestones), "total": str(tranches)},
    )
    return contract


@transaction.atomic
def milestone_achieve(
    *, milestone: Milestone, by: User, on: date | None = None
) -> Milestone:
    lock_for_update(milestone)
    if milestone.achieved_on is not None:
        raise ApplicationError(
            _("This milestone is already achieved."), code="achieved"
        )
    milestone.achieved_on = on or timezone.localdate()
    milestone.save(update_fields=["achieved_on"])
    audit(
        by=by,
        action="milestone.achieve",
        target=milestone,
        after={"achieved_on": milestone.achieved_on.isoformat()},
    )
    return milestone


def disbursement_check_payable(d: Disbursement) -> None:
    """Whether the tranche may be paid now (409 naming the rule when not):
    once, for a running project, after its milestone. Asked by the page
    before its confirmation step, and again when paying."""
    if d.status != Disbursement.Status.PLANNED:
        raise ApplicationError(
            _("This tranche is already %(status)s.")
            % {"status": d.get_status_display()},
            code="not_planned",
        )
    if d.application.state not in PAYABLE_STATES:
        raise ApplicationError(
            _("Tranches are paid only to a running project."), code="not_payable"
        )
    if d.milestone and d.milestone.achieved_on is None:
        raise ApplicationError(
            _("Its milestone has not been achieved."), code="milestone_open"
        )


@transaction.atomic
def disbursement_pay(
    *, disbursement: Disbursement, by: User, on: date | None = None
) -> Disbursement:
    """Record a tranche as paid: once, for a running project, after its milestone."""
    d = (
        Disbursement.objects.select_for_update(of=("self",))
        .select_related("application", "milestone")
        .get(pk=disbursement.pk)
    )
    disbursement_check_payable(d)
    d.status = Disbursement.Status.PAID
    d.paid_on = on or timezone.localdate()
    d.recorded_by = by
    d.save(update_fields=["status", "paid_on", "recorded_by"])
    audit(
        by=by,
        action="disbursement.pay",
        target=d,
        before={"status": "planned"},
        after={"status": "paid", "amount": str(d.amount)},
    )
    return d


@transaction.atomic
def disbursement_withhold(
    *, disbursement: Disbursement, by: User, reason: str
) -> Disbursement:
    d = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if d.status != Disbursement.Status.PLANNED:
        raise ApplicationError(
            _("Only a planned tranche can be withheld."), code="not_planned"
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    d.status = Disbursement.Status.WITHHELD
    d.note = reason.strip()[:200]
    d.recorded_by = by
    d.save(update_fields=["status", "note", "recorded_by"])
    audit(
        by=by,
        action="disbursement.withhold",
        target=d,
        before={"status": "planned"},
        after={"status": "withheld"},
        message=d.note,
    )
    return d
