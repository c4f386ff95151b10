"""Writes of living allowances: the grant, the monthly job, the payment."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit
from bureau.lib import money
from bureau.lib.exceptions import ApplicationError
from bureau.models import User
from talent.models import (
    Allowance,
    AllowancePayment,
    AllowanceRule,
    Talent,
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def allowance_grant(
    *, by: User, talent: Talent, rule: AllowanceRule, first_month: date
) -> Allowance:
    """Grant an allowance by `rule` and lay out its monthly payments."""
    first = month_start(first_month)
    if not rule.is_active:
        raise ValidationError({"rule": _("This allowance rule is no longer in use.")})
    if talent.degree != rule.degree:
        raise ValidationError(
            {"rule": _("The rule is for another degree than the person's.")}
        )
    if talent.left_on and talent.left_on < first:
        raise ValidationError({"first_month": _("The person left before that month.")})
    last = add_months(first, rule.months - 1)
    overlapping = AllowancePayment.objects.filter(
        allowance__talent=talent, month__gte=first, month__lte=last
    ).exclude(status=AllowancePayment.Status.STOPPED)
    if overlapping.exists():
        raise ApplicationError(
            _("This person already has an allowance for some of those months."),
            code="overlapping_allowance",
        )
    allowance = Allowance.objects.create(
        talent=talent,
        rule=rule,
        monthly_amount=rule.monthly_amount,
        first_month=first,
        months=rule.months,
    )
    AllowancePayment.objects.bulk_create(
        AllowancePayment(
            allowance=allowance, month=add_months(first, i), amount=rule.monthly_amount
        )
        for i in range(rule.months)
    )
    audit(
        by=by,
        action="allowance.grant",
        target=allowance,
        after={
            "talent": talent.pk,
            "monthly_amount": str(rule.monthly_amount),
            "first_month": first.isoformat(),
            "months": rule.months,
        },
    )
    return allowance


@transaction.atomic
def allowances_mark_due(*, month: date) -> dict[str, int]:
    """The monthly job: planned payments up to `month` become due, unless the
    person has left, in which case they and every later one stop. Only planned
    rows change, so running it again changes nothing."""
    month = month_start(month)
    stopped = due = 0
    planned = (
        AllowancePayment.objects.select_for_update()
        .filter(status=AllowancePayment.Status.PLANNED)
        .select_related("allowance__talent")
    )
    for payment in planned:
        left = payment.allowance.talent.left_on
        if left is not None and left < payment.month:
            payment.status = AllowancePayment.Status.STOPPED
            payment.stop_reason = f"{left.isoformat()}离开，停止发放"
            payment.save(update_fields=["status", "stop_reason"])
            stopped += 1
        elif payment.month <= month:
            payment.status = AllowancePayment.Status.DUE
            payment.save(update_fields=["status"])
            due += 1
    if due or stopped:
        audit(
            by=None,
            action="allowance.mark_due",
            message=f"{month:%Y-%m}：{due}笔到期，{stopped}笔停发",
        )
    return {"due": due, "stopped": stopped}


@transaction.atomic
def allowance_payments_pay(*, by: User, month: date) -> int:
    """Record the due payments of `month` as paid (after finance transfers
    them). A payment is paid once: only due ones change."""
    month = month_start(month)
    payments = list(
        AllowancePayment.objects.select_for_update().filter(
            month=month, status=AllowancePayment.Status.DUE
        )
    )
    now = timezone.now()
    for payment in payments:
        payment.status = AllowancePayment.Status.PAID
        payment.paid_at = now
        payment.paid_by = by
        payment.save(update_fields=["status", "paid_at", "paid_by"])
    if payments:
        audit(
            by=by,
            action="allowance.pay",
            message=f"{month:%Y-%m}：发放{len(payments)}笔，合计"
            f"{money.number(sum(p.amount for p in payments))}元",
        )
    return len(payments)
