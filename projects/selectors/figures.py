"""Project figures other apps report: the computed indicator of project
funds and the project section of the work summary. Other apps read project
data only through these functions (and the rest of `projects.selectors`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from projects.models import (
    Application,
    Disbursement,
    Entitlement,
    Programme,
    RewardBatch,
    Transition,
    VoucherClaim,
    VoucherScheme,
)
from projects.selectors.upward import funds_from_above_total


def approved_funds_above_district(*, year: int) -> Decimal:
    """Funds from above (元) the higher levels granted to the projects of
    `year`'s city, provincial and national calls, as recorded with each
    decision (projects.selectors.upward)."""
    return funds_from_above_total(year=year)


def project_figures(*, year: int, start: date, end: date) -> dict[str, Any]:
    """The applications of `year`'s calls by programme level (applied,
    approved, money in 元), the money paid from `start` to `end` and the
    year's approved rewards."""
    levels = {key: str(label) for key, label in Programme.Level.choices}
    applied: dict[str, int] = defaultdict(int)
    approved: dict[str, int] = defaultdict(int)
    approved_money: dict[str, Decimal] = defaultdict(Decimal)
    for level, n_applied, n_approved, money in (
        Application.objects.filter(call__year=year, submitted_at__isnull=False)
        .values_list("call__programme__level")
        .annotate(
            applied=Count("id"),
            approved=Count("id", filter=Q(approved_amount__isnull=False)),
            money=Sum("approved_amount"),
        )
        .values_list("call__programme__level", "applied", "approved", "money")
    ):
        applied[level] += n_applied
        approved[level] += n_approved
        approved_money[level] += money or Decimal(0)
    paid = Disbursement.objects.filter(
        status=Disbursement.Status.PAID, paid_on__gte=start, paid_on__lte=end
    ).aggregate(total=Sum("amount"), n=Count("application", distinct=True))
    rewards = Entitlement.objects.filter(
        batch__year=year, batch__status="approved", excluded=False
    ).aggregate(total=Sum("amount"), n=Count("enterprise", distinct=True))
    return {
        "levels": levels,
        "higher": [k for k in levels if k != Programme.Level.DISTRICT],
        "applied": dict(applied),
        "approved": dict(approved),
        "approved_money": dict(approved_money),
        "paid": paid,
        "rewards": rewards,
    }


# --- More of the work summary: projects running, rewards by rule, vouchers ----

RUNNING_STATES = (
    Application.State.APPROVED,
    Application.State.CONTRACTED,
    Application.State.MIDTERM_PASSED,
)


def project_progress_figures(*, start: date, end: date) -> dict[str, int]:
    """The district's own projects (any call year): approved and running
    today, passed the mid-term check from `start` to `end` (dates of the
    transitions), and accepted or failed at acceptance in those days."""

    def moved(to: str) -> int:
        return (
            Transition.objects.filter(
                to_state=to, at__date__gte=start, at__date__lte=end
            )
            .values("application")
            .distinct()
            .count()
        )

    return {
        "running": Application.objects.filter(state__in=RUNNING_STATES).count(),
        "midterm_passed": moved(Application.State.MIDTERM_PASSED),
        "accepted": moved(Application.State.ACCEPTED),
        "failed_acceptance": moved(Application.State.FAILED_ACCEPTANCE),
    }


def reward_rule_figures(*, year: int) -> dict[str, Any]:
    """The policy-reward batch of `year`'s data (None when not built): its
    status, and per rule the enterprises entitled and the amount (元),
    excluded entitlements left out, largest first; what is paid so far."""
    batch = RewardBatch.objects.filter(year=year).first()
    if batch is None:
        return {"year": year, "status": None, "rules": [], "total": Decimal(0)}
    kept = Entitlement.objects.filter(batch=batch, excluded=False)
    rules = [
        (name, n, total or Decimal(0))
        for name, n, total in kept.values_list("rule__name")
        .annotate(n=Count("enterprise", distinct=True), total=Sum("amount"))
        .values_list("rule__name", "n", "total")
        .order_by("-total", "rule__name")
    ]
    money = kept.aggregate(
        total=Sum("amount"),
        paid=Sum("amount", filter=Q(paid_at__isnull=False)),
        n=Count("enterprise", distinct=True),
    )
    return {
        "year": year,
        "status": batch.status,
        "approved": batch.status == RewardBatch.Status.APPROVED,
        "rules": rules,
        "enterprises": money["n"],
        "total": money["total"] or Decimal(0),
        "paid": money["paid"] or Decimal(0),
    }


def voucher_figures(*, year: int) -> dict[str, Any]:
    """`year`'s innovation-voucher scheme (None when none): the quota, the
    vouchers issued (cancelled left out) with their face value and
    enterprises, the ones used or redeemed and what they paid (元)."""
    scheme = VoucherScheme.objects.filter(year=year).first()
    if scheme is None:
        return {"year": year, "scheme": False}
    issued = scheme.claims.exclude(status=VoucherClaim.Status.CANCELLED)
    spent = Q(status__in=[VoucherClaim.Status.USED, VoucherClaim.Status.REDEEMED])
    figures = issued.aggregate(
        n=Count("id"),
        amount=Sum("amount"),
        enterprises=Count("enterprise", distinct=True),
        used=Count("id", filter=spent),
        redeemed=Count("id", filter=Q(status=VoucherClaim.Status.REDEEMED)),
        redeemed_amount=Sum(
            "used_amount", filter=Q(status=VoucherClaim.Status.REDEEMED)
        ),
        used_amount=Sum("used_amount", filter=spent),
    )
    return {
        "year": year,
        "scheme": True,
        "quota": scheme.quota_total,
        "issued": figures["n"],
        "issued_amount": figures["amount"] or Decimal(0),
        "enterprises": figures["enterprises"],
        "used": figures["used"],
        "used_amount": figures["used_amount"] or Decimal(0),
        "redeemed": figures["redeemed"],
        "redeemed_amount": figures["redeemed_amount"] or Decimal(0),
    }
