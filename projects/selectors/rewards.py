"""Reads of policy rewards (奖补兑现): batches, entitlements and totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from bureau.permissions import AnyUser
from projects.models import Entitlement, RewardBatch
from projects.permissions import (
    can_read_rewards,
    entitlements_visible_to,
    reward_batches_visible_to,
)


def reward_batch_list(*, user: AnyUser) -> QuerySet[RewardBatch]:
    """Batches `user` may see with `entitlement_count` and `total_amount`
    (excluded rows left out; an enterprise user's totals are its own)."""
    qs = reward_batches_visible_to(user)
    included = Q(entitlements__excluded=False)
    if not can_read_rewards(user):
        included &= Q(entitlements__enterprise_id=getattr(user, "enterprise_id", None))
    return qs.annotate(
        entitlement_count=Count("entitlements", filter=included),
        total_amount=Sum("entitlements__amount", filter=included, default=Decimal(0)),
        excluded_count=Count("entitlements", filter=Q(entitlements__excluded=True)),
    ).order_by("-year")


def entitlement_list(
    *,
    user: AnyUser,
    batch: RewardBatch | None = None,
    year: int | None = None,
    excluded: bool | None = None,
) -> QuerySet[Entitlement]:
    qs = entitlements_visible_to(user).select_related(
        "batch", "rule", "enterprise__org_unit"
    )
    if batch is not None:
        qs = qs.filter(batch=batch)
    if year is not None:
        qs = qs.filter(batch__year=year)
    if excluded is not None:
        qs = qs.filter(excluded=excluded)
    return qs.order_by("-batch__year", "rule_id", "-amount", "enterprise__name", "id")


@dataclass
class RuleTotal:
    name: str
    count: int
    amount: Decimal


@dataclass
class BatchTotals:
    count: int
    amount: Decimal
    excluded_count: int
    excluded_amount: Decimal
    by_rule: list[RuleTotal]


def reward_batch_totals(
    *, batch: RewardBatch, user: AnyUser | None = None
) -> BatchTotals:
    """What the batch pays, in all and per rule (excluded rows apart); with
    `user`, only the entitlements that user may see (an enterprise its own)."""
    entitlements = batch.entitlements.all()
    if user is not None:
        entitlements = entitlements.filter(pk__in=entitlements_visible_to(user))
    rows = (
        entitlements.values("rule_id", "rule__name", "excluded")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by("rule_id")
    )
    by_rule: dict[int, RuleTotal] = {}
    count, amount = 0, Decimal(0)
    excluded_count, excluded_amount = 0, Decimal(0)
    for row in rows:
        if row["excluded"]:
            excluded_count += row["n"]
            excluded_amount += row["amount"]
            continue
        count += row["n"]
        amount += row["amount"]
        total = by_rule.setdefault(
            row["rule_id"], RuleTotal(row["rule__name"], 0, Decimal(0))
        )
        total.count += row["n"]
        total.amount += row["amount"]
    return BatchTotals(
        count, amount, excluded_count, excluded_amount, list(by_rule.values())
    )


def reward_batch_export_rows(*, batch: RewardBatch) -> QuerySet[Entitlement]:
    """Every entitlement of the batch, in the order of the finance sheet."""
    return batch.entitlements.select_related("rule", "enterprise__org_unit").order_by(
        "rule_id", "-amount", "enterprise__name", "id"
    )
