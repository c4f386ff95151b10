"""Project figures other apps report: the computed indicator of project
funds and the project section of the work summary. Other apps read project
data only through these functions (and the rest of `projects.selectors`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from projects.models import Application, Disbursement, Entitlement, Programme
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
