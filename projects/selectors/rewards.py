"""Reads of policy rewards (奖补兑现): batches, entitlements and totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from bureau.models import OrgUnit
from bureau.permissions import AnyUser
from bureau.selectors import org_unit_list
from enterprises.selectors import tier_choices
from projects.models import Entitlement, RewardBatch, RewardRule
from projects.permissions import (
    can_read_rewards,
    entitlements_visible_to,
    reward_batches_visible_to,
)
from projects.reward_arithmetic import terms_sentence


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


@dataclass(frozen=True)
class EntitlementFilters:
    """What the review list narrows by: `q` a name or credit code (part of
    either), `street` an org unit id, `rule` a reward rule id, `state` an
    Entitlement.State value and `sort` a key of ENTITLEMENT_SORTS, "-" first
    for descending."""

    q: str = ""
    year: int | None = None
    street: int | None = None
    rule: int | None = None
    state: str = ""
    sort: str = ""


DEFAULT_ORDER = ("-batch__year", "rule_id", "-amount", "enterprise__name", "id")
ENTITLEMENT_SORTS: dict[str, tuple[str, ...]] = {
    "enterprise": ("enterprise__name", "id"),
    "street": ("enterprise__org_unit__name", "enterprise__name", "id"),
    "rule": ("rule__name", "-amount", "id"),
    "amount": ("amount", "enterprise__name", "id"),
    "year": ("batch__year", "rule_id", "-amount", "id"),
}


def _descending(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def sort_order(
    sort: str, sorts: dict[str, tuple[str, ...]], default: tuple[str, ...]
) -> tuple[str, ...]:
    """The order_by of a sort key ("amount", "-amount"); the default for
    an unknown key. Descending turns the first field only."""
    key = sort.removeprefix("-")
    if key not in sorts:
        return default
    fields = sorts[key]
    if sort.startswith("-"):
        return (_descending(fields[0]), *fields[1:])
    return fields


def entitlement_state_q(state: str) -> Q:
    approved = Q(batch__status=RewardBatch.Status.APPROVED)
    by_state: dict[str, Q] = {
        Entitlement.State.EXCLUDED: Q(excluded=True),
        Entitlement.State.PAID: Q(excluded=False, paid_at__isnull=False),
        Entitlement.State.UNPAID: Q(excluded=False, paid_at__isnull=True) & approved,
        Entitlement.State.PENDING: Q(excluded=False) & ~approved,
    }
    return by_state.get(state, Q())


def search_q(q: str, prefix: str = "enterprise__") -> Q:
    """A part of the enterprise's name or credit code."""
    q = q.strip()
    if not q:
        return Q()
    return Q(**{f"{prefix}name__icontains": q}) | Q(
        **{f"{prefix}credit_code__icontains": q.upper()}
    )


def entitlement_list(
    *,
    user: AnyUser,
    batch: RewardBatch | None = None,
    year: int | None = None,
    excluded: bool | None = None,
    filters: EntitlementFilters | None = None,
) -> QuerySet[Entitlement]:
    qs = entitlements_visible_to(user).select_related(
        "batch", "rule", "enterprise__org_unit", "paid_by"
    )
    if batch is not None:
        qs = qs.filter(batch=batch)
    if year is not None:
        qs = qs.filter(batch__year=year)
    if excluded is not None:
        qs = qs.filter(excluded=excluded)
    if filters is None:
        return qs.order_by(*DEFAULT_ORDER)
    qs = qs.filter(search_q(filters.q), entitlement_state_q(filters.state))
    if filters.year is not None:
        qs = qs.filter(batch__year=filters.year)
    if filters.street is not None:
        qs = qs.filter(enterprise__org_unit_id=filters.street)
    if filters.rule is not None:
        qs = qs.filter(rule_id=filters.rule)
    return qs.order_by(*sort_order(filters.sort, ENTITLEMENT_SORTS, DEFAULT_ORDER))


@dataclass
class ListTotal:
    count: int
    amount: Decimal


def entitlement_list_total(entitlements: QuerySet[Entitlement]) -> ListTotal:
    """How many rows a filtered list holds and what they add up to (excluded
    rows count but add nothing: they are not paid)."""
    row = entitlements.order_by().aggregate(
        n=Count("id"),
        amount=Sum("amount", filter=Q(excluded=False), default=Decimal(0)),
    )
    return ListTotal(row["n"], row["amount"])


def reward_rule_choices() -> QuerySet[RewardRule]:
    """The rules a review list filters by (inactive ones too: old batches)."""
    return RewardRule.objects.order_by("programme_id", "id")


def reward_years(*, user: AnyUser) -> list[int]:
    """The years of the batches `user` may see, newest first."""
    return list(reward_batches_visible_to(user).values_list("year", flat=True))


def street_choices() -> QuerySet[OrgUnit]:
    """The streets and parks a list filters by."""
    return (
        org_unit_list()
        .filter(level__in=[OrgUnit.Level.STREET, OrgUnit.Level.PARK])
        .order_by("code")
    )


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


def reward_batch_enterprise_count(*, batch: RewardBatch) -> int:
    """How many enterprises the batch pays (excluded rows left out)."""
    return (
        batch.entitlements.filter(excluded=False)
        .values("enterprise_id")
        .distinct()
        .count()
    )


def reward_batch_export_rows(*, batch: RewardBatch) -> QuerySet[Entitlement]:
    """Every entitlement of the batch, in the order of the finance sheet."""
    return batch.entitlements.select_related(
        "batch", "rule", "enterprise__org_unit"
    ).order_by("rule_id", "-amount", "enterprise__name", "id")


# --- Reward rules ---------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    rule: RewardRule
    terms: str  # what it pays, in one Chinese line


def tier_names() -> dict[str, str]:
    """{tier code: name} of every tier (a rule's terms name its tier)."""
    return {t.code: t.name for t in tier_choices(include_inactive=True)}


def reward_rule_list(*, user: AnyUser) -> list[RuleRow]:
    """The district's reward rules with their terms, active first, by
    programme (none for a user who may not read rewards)."""
    if not can_read_rewards(user):
        return []
    names = tier_names()
    rules = RewardRule.objects.select_related("programme").order_by(
        "-is_active", "programme__name", "id"
    )
    return [RuleRow(rule, terms_sentence(rule, names)) for rule in rules]
