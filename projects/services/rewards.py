"""Policy rewards (奖补兑现, RULES §5.3): a year's entitlements are computed
from enterprise data by the active reward rules, reviewed by staff and
approved by a section head. Every write is atomic and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import AuditEntry, audit, audit_many, audited_save, snapshot
from bureau.lib.exceptions import ApplicationError
from bureau.lib.money import YUAN_PER_WAN, percent, wan
from bureau.models import User
from enterprises.selectors import (
    first_awards,
    rd_incurred_by_enterprise,
    rd_institutions_recognised,
)
from projects.models import Entitlement, RewardBatch, RewardRule
from projects.permissions import can_approve_reward_batch, can_manage_rewards

BATCH_FIELDS = ("year", "status", "built_at", "approved_at", "approved_by")
ENTITLEMENT_FIELDS = ("amount", "reason", "excluded", "exclusion_reason")
PAID_FIELDS = ("paid_at", "paid_by")

# The levels of an R&D institution (the values stored by enterprises'
# RDInstitution.Level) as a reason names them.
INSTITUTION_LEVELS: dict[str, str] = {
    "national": "国家级",
    "provincial": "省级",
    "municipal": "市级",
    "district": "区级",
}


@dataclass(frozen=True)
class Computed:
    """One entitlement the data justifies."""

    rule: RewardRule
    enterprise_id: int
    amount: Decimal
    reason: str


def _places(yuan: Decimal) -> int:
    """Reasons give whole 万元 from 100万元 up ("2,830"), else up to two
    places ("12.5"); the formatting itself is bureau.lib.money's."""
    return 0 if abs(yuan) >= 100 * YUAN_PER_WAN else 2


# --- The rules --------------------------------------------------------------


def _new_tier(rule: RewardRule, year: int) -> list[Computed]:
    """Enterprises awarded the tier `rule.target` in `year` (not revoked)."""
    found: list[Computed] = []
    for c in first_awards(tier_code=rule.target, year=year):
        number = f"（证书编号{c.number}）" if c.number else ""
        found.append(
            Computed(
                rule,
                c.enterprise_id,
                rule.amount or Decimal(0),
                f"{year}年新认定{c.tier.name}{number}",
            )
        )
    return found


def rd_growth_ranking(*, year: int) -> list[tuple[int, int, Decimal, Decimal, Decimal]]:
    """(rank, enterprise id, growth, R&D of `year`, R&D of year − 1), best
    first. Growth = (this − last) / last on submitted or accepted returns; a
    zero or missing base is not comparable and not ranked (RULES §5.2). Ties
    share the best rank and the next rank is skipped (1, 1, 3)."""
    this_year = rd_incurred_by_enterprise(year=year)
    last_year = rd_incurred_by_enterprise(year=year - 1)
    growth = [
        ((this_year[pk] - base) / base, pk, this_year[pk], base)
        for pk, base in last_year.items()
        if pk in this_year and base > 0
    ]
    growth.sort(key=lambda row: (-row[0], row[1]))
    ranked: list[tuple[int, int, Decimal, Decimal, Decimal]] = []
    for index, (g, pk, current, base) in enumerate(growth):
        rank = ranked[-1][0] if ranked and ranked[-1][2] == g else index + 1
        ranked.append((rank, pk, g, current, base))
    return ranked


def tier_amount(tiers: Iterable[dict[str, Any]], rank: int) -> Decimal:
    """The amount of the first tier whose `up_to_rank` reaches `rank`; 0
    beyond the last tier."""
    for tier in tiers:
        if rank <= int(tier["up_to_rank"]):
            return Decimal(str(tier["amount"]))
    return Decimal(0)


def _rd_growth_top(rule: RewardRule, year: int) -> list[Computed]:
    tiers = sorted(rule.tiers, key=lambda t: int(t["up_to_rank"]))
    found: list[Computed] = []
    for rank, pk, growth, current, base in rd_growth_ranking(year=year):
        amount = tier_amount(tiers, rank)
        # A fall in R&D is no growth to reward, whatever its rank.
        if amount <= 0 or growth <= 0:
            continue
        found.append(
            Computed(
                rule,
                pk,
                amount,
                f"研发投入增长率{percent(growth, 1)}，全区第{rank}名"
                f"（{year}年{wan(current, _places(current), trim=True)}万元，"
                f"{year - 1}年{wan(base, _places(base), trim=True)}万元）",
            )
        )
    return found


def _new_rd_institution(rule: RewardRule, year: int) -> list[Computed]:
    """Enterprises with an R&D institution of level `rule.target` recognised
    in `year`; several in one year make one entitlement naming them all."""
    names = rd_institutions_recognised(level=rule.target, year=year)
    level = INSTITUTION_LEVELS.get(rule.target, rule.target)
    return [
        Computed(
            rule,
            pk,
            rule.amount or Decimal(0),
            f"{year}年新认定{level}研发机构：{'、'.join(found)}",
        )
        for pk, found in names.items()
    ]


RULES: dict[str, Callable[[RewardRule, int], list[Computed]]] = {
    RewardRule.Kind.NEW_TIER: _new_tier,
    RewardRule.Kind.RD_GROWTH_TOP: _rd_growth_top,
    RewardRule.Kind.NEW_RD_INSTITUTION: _new_rd_institution,
}


def entitlements_compute(*, year: int) -> list[Computed]:
    """What every active rule of an active programme pays for `year`."""
    rules = RewardRule.objects.filter(is_active=True, programme__is_active=True)
    computed: list[Computed] = []
    for rule in rules.order_by("id"):
        computed += [c for c in RULES[rule.kind](rule, year) if c.amount > 0]
    return computed


# --- Writes -----------------------------------------------------------------


def _totals(batch: RewardBatch) -> dict[str, Any]:
    """The batch's size and payable total, for the audit trail."""
    totals = batch.entitlements.aggregate(
        n=Count("id"),
        amount=Sum("amount", filter=Q(excluded=False), default=Decimal(0)),
    )
    return {"entitlements": totals["n"], "amount": str(totals["amount"])}


def _refuse_if_approved(batch: RewardBatch) -> None:
    if batch.status == RewardBatch.Status.APPROVED:
        raise ApplicationError(
            _("The %(year)s reward batch is approved and can no longer change.")
            % {"year": batch.year},
            code="batch_approved",
        )


@transaction.atomic
def reward_batch_build(*, year: int, by: User) -> RewardBatch:
    """Create or refresh the entitlements of `year` from the data. A rebuild
    updates amounts and reasons in place, keeps staff exclusions, and deletes
    the rows the data no longer justifies."""
    if not can_manage_rewards(by):
        raise PermissionDenied
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Choose a year that has begun.")})
    batch, created = RewardBatch.objects.select_for_update().get_or_create(year=year)
    _refuse_if_approved(batch)
    before = None if created else {**snapshot(batch, BATCH_FIELDS), **_totals(batch)}

    existing = {(e.rule_id, e.enterprise_id): e for e in batch.entitlements.all()}
    new: list[Entitlement] = []
    changed: list[Entitlement] = []
    wanted: set[tuple[int, int]] = set()
    for c in entitlements_compute(year=year):
        key = (c.rule.pk, c.enterprise_id)
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            new.append(
                Entitlement(
                    batch=batch,
                    rule=c.rule,
                    enterprise_id=c.enterprise_id,
                    amount=c.amount,
                    reason=c.reason[:300],
                )
            )
        elif (row.amount, row.reason) != (c.amount, c.reason[:300]):
            row.amount, row.reason = c.amount, c.reason[:300]
            changed.append(row)
    stale = [row.pk for key, row in existing.items() if key not in wanted]
    Entitlement.objects.filter(pk__in=stale).delete()
    Entitlement.objects.bulk_create(new)
    Entitlement.objects.bulk_update(changed, ["amount", "reason"])

    batch.built_at = timezone.now()
    batch.save(update_fields=["built_at"])
    audit(
        by=by,
        action="reward_batch.build",
        target=batch,
        before=before,
        after={**snapshot(batch, BATCH_FIELDS), **_totals(batch)},
        message=f"新增{len(new)}条，更新{len(changed)}条，删除{len(stale)}条",
    )
    return batch


@transaction.atomic
def reward_batch_approve(*, batch: RewardBatch, by: User) -> RewardBatch:
    if not can_approve_reward_batch(by):
        raise PermissionDenied
    batch = RewardBatch.objects.select_for_update().get(pk=batch.pk)
    _refuse_if_approved(batch)
    if batch.built_at is None:
        raise ApplicationError(
            _("Build the batch before approving it."), code="batch_not_built"
        )
    before = snapshot(batch, BATCH_FIELDS)
    batch.status = RewardBatch.Status.APPROVED
    batch.approved_at = timezone.now()
    batch.approved_by = by
    batch.full_clean()
    batch.save(update_fields=["status", "approved_at", "approved_by"])
    audit(
        by=by,
        action="reward_batch.approve",
        target=batch,
        before={**before, **_totals(batch)},
        after={**snapshot(batch, BATCH_FIELDS), **_totals(batch)},
    )
    return batch


@transaction.atomic
def entitlement_exclude(
    *, entitlement: Entitlement, reason: str, by: User
) -> Entitlement:
    """Leave an entitlement out of the payment, saying why (draft batches)."""
    if not can_manage_rewards(by):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this entitlement is excluded.")})
    entitlement = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
    _refuse_if_approved(entitlement.batch)
    before = snapshot(entitlement, ENTITLEMENT_FIELDS)
    entitlement.excluded = True
    entitlement.exclusion_reason = reason
    return audited_save(
        entitlement,
        by=by,
        action="entitlement.exclude",
        fields=ENTITLEMENT_FIELDS,
        before=before,
        message=reason,
        update_fields=["excluded", "exclusion_reason"],
    )


@transaction.atomic
def entitlement_restore(*, entitlement: Entitlement, by: User) -> Entitlement:
    """Undo an exclusion (draft batches)."""
    if not can_manage_rewards(by):
        raise PermissionDenied
    entitlement = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
    _refuse_if_approved(entitlement.batch)
    if not entitlement.excluded:
        raise ApplicationError(
            _("This entitlement is not excluded."), code="not_excluded"
        )
    before = snapshot(entitlement, ENTITLEMENT_FIELDS)
    entitlement.excluded = False
    entitlement.exclusion_reason = ""
    return audited_save(
        entitlement,
        by=by,
        action="entitlement.restore",
        fields=ENTITLEMENT_FIELDS,
        before=before,
        validate=False,
        update_fields=["excluded", "exclusion_reason"],
    )


def _why_not_payable(entitlement: Entitlement) -> str | None:
    """Why `entitlement` cannot be marked paid, or None if it can."""
    if entitlement.paid_at is not None:
        return _("already paid")
    if entitlement.excluded:
        return _("excluded from the batch")
    if entitlement.batch.status != RewardBatch.Status.APPROVED:
        return _("the batch is not approved yet")
    return None


@transaction.atomic
def entitlements_pay(*, ids: Sequence[int], by: User) -> list[Entitlement]:
    """Record that the finance office paid these entitlements (已发放): all
    or none. Each must belong to an approved batch, be included and not be
    paid yet; one that is not refuses the lot, naming it."""
    if not can_manage_rewards(by):
        raise PermissionDenied
    rows = list(
        Entitlement.objects.select_for_update(of=("self",))
        .select_related("batch", "rule", "enterprise")
        .filter(pk__in=set(ids))
        .order_by("enterprise__name", "id")
    )
    if not rows:
        raise ApplicationError(
            _("Choose at least one entitlement to pay."), code="nothing_chosen"
        )
    refused = [
        f"{e.enterprise.name}（{why}）" for e in rows if (why := _why_not_payable(e))
    ]
    if refused:
        raise ApplicationError(
            _("These entitlements cannot be marked paid: %(items)s.")
            % {"items": "、".join(refused)},
            code="not_payable",
        )
    now = timezone.now()
    entries: list[AuditEntry] = []
    for e in rows:
        before = snapshot(e, PAID_FIELDS)
        e.paid_at, e.paid_by = now, by
        entries.append(
            AuditEntry(
                by=by,
                action="entitlement.pay",
                target=e,
                before=before,
                after=snapshot(e, PAID_FIELDS),
                message=f"{e.batch.year}年{e.rule.name} {wan(e.amount, trim=True)}万元",
            )
        )
    Entitlement.objects.bulk_update(rows, ["paid_at", "paid_by"])
    audit_many(entries)
    return rows


def entitlement_pay(*, entitlement: Entitlement, by: User) -> Entitlement:
    """Mark one entitlement paid (see entitlements_pay)."""
    return entitlements_pay(ids=[entitlement.pk], by=by)[0]
