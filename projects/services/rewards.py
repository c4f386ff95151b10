"""Policy rewards (奖补兑现, RULES §11.7): a year's entitlements are computed
from enterprise data by the active reward rules (staff keep the rules as
data), reviewed by staff and approved by a section head. Every write is
atomic and audited; the arithmetic is projects.reward_arithmetic."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Field, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import AuditEntry, audit, audit_many, audited_save, snapshot
from bureau.lib.exceptions import ApplicationError
from bureau.lib.money import wan
from bureau.models import User
from enterprises.selectors import (
    annual_figure_by_enterprise,
    rd_institutions_recognised,
    tier_awards,
    tier_choices,
    tier_holders,
)
from projects.models import Entitlement, RewardBatch, RewardRule
from projects.permissions import (
    can_approve_reward_batch,
    can_manage_reward_rules,
    can_manage_rewards,
)
from projects.reward_arithmetic import (
    LEVEL_WORDS,
    Candidate,
    FigureRow,
    Floors,
    band_words,
    candidates,
    figure_words,
    rank_words,
    rate_amount,
    rate_sentence,
    sorted_tiers,
    tier_for_rank,
    wan_words,
    within_top,
)

BATCH_FIELDS = ("year", "status", "built_at", "approved_at", "approved_by")
ENTITLEMENT_FIELDS = ("amount", "reason", "excluded", "exclusion_reason")
PAID_FIELDS = ("paid_at", "paid_by")


@dataclass(frozen=True)
class Computed:
    """One entitlement the data justifies."""

    rule: RewardRule
    enterprise_id: int
    amount: Decimal
    reason: str


# --- The rules --------------------------------------------------------------


def _fixed(rule: RewardRule) -> str:
    return f"，定额奖励 {wan_words(rule.amount or Decimal(0))}"


def _new_tier(rule: RewardRule, year: int) -> list[Computed]:
    """Awards of the tier `rule.target` in `year` (not revoked): first
    awards, renewals or both, as the rule chooses; one per enterprise."""
    found: list[Computed] = []
    for c in tier_awards(
        tier_code=rule.target, year=year, award_round=rule.award_round
    ):
        number = f"（证书编号{c.number}）" if c.number else ""
        what = "新认定" if c.is_first_award else "重新认定"  # type: ignore[attr-defined]
        found.append(
            Computed(
                rule,
                c.enterprise_id,
                rule.amount or Decimal(0),
                f"{year}年{what}{c.tier.name}{number}{_fixed(rule)}",
            )
        )
    return found


def _new_rd_institution(rule: RewardRule, year: int) -> list[Computed]:
    """Enterprises with an R&D institution of level `rule.target` recognised
    in `year`; several in one year make one entitlement naming them all."""
    names = rd_institutions_recognised(level=rule.target, year=year)
    level = LEVEL_WORDS.get(rule.target, rule.target)
    return [
        Computed(
            rule,
            pk,
            rule.amount or Decimal(0),
            f"{year}年新认定{level}研发机构：{'、'.join(found)}{_fixed(rule)}",
        )
        for pk, found in names.items()
    ]


def figure_rows(rule: RewardRule, year: int) -> list[FigureRow]:
    """The enterprises with the rule's figure for `year` (and the year
    before, for an increase or growth), only the holders of `rule.target` at
    the end of the year when the rule names a tier."""
    current = annual_figure_by_enterprise(figure=rule.figure, year=year)
    previous: dict[int, Decimal] = {}
    if rule.base != RewardRule.Base.TOTAL:
        previous = annual_figure_by_enterprise(figure=rule.figure, year=year - 1)
    if rule.target:
        holders = tier_holders(tier_code=rule.target, on=date(year, 12, 31))
        current = {pk: v for pk, v in current.items() if pk in holders}
    return [FigureRow(pk, value, previous.get(pk)) for pk, value in current.items()]


def figure_ranking(rule: RewardRule, year: int) -> list[Candidate]:
    """The enterprises a figure rule admits for `year`, best first and
    ranked by its base (ties share a rank, RULES §5.2 growth on a zero base
    not ranked)."""
    floors = Floors(rule.minimum_current, rule.minimum_previous)
    return candidates(figure_rows(rule, year), base=rule.base, floors=floors)


def _scope(rule: RewardRule) -> str:
    """Where a rank is counted: "全区", or "科技型中小企业中"."""
    if not rule.target:
        return "全区"
    names = {t.code: t.name for t in tier_choices(include_inactive=True)}
    return f"{names.get(rule.target, rule.target)}中"


def _rate(rule: RewardRule, year: int) -> list[Computed]:
    """base × rate, at most the cap, at least the minimum ("按增量的5%给予
    奖励，最高300万元"); only the top N by the base when the rule says so."""
    rate = rule.rate or Decimal(0)
    quantum = Decimal(settings.REWARD_ROUNDING_YUAN)
    scope = _scope(rule)
    found: list[Computed] = []
    for c in within_top(figure_ranking(rule, year), rule.top_n):
        result = rate_amount(
            c.value,
            rate=rate,
            cap=rule.cap,
            minimum=rule.minimum_amount,
            quantum=quantum,
        )
        head = figure_words(rule.figure, rule.base, year, c.row, c.value)
        if rule.top_n:
            head = f"{rank_words(c, scope)}（前{rule.top_n}名），{head}"
        found.append(
            Computed(
                rule,
                c.row.enterprise_id,
                result.amount,
                rate_sentence(head, rate, result),
            )
        )
    return found


def _ranking(rule: RewardRule, year: int) -> list[Computed]:
    """The top N by the base, each paid by its rank band ("研发投入增长前10
    名": 1–3名 30万元, 4–10名 10万元); ties share the band of their rank."""
    tiers = sorted_tiers(rule.tiers)
    scope = _scope(rule)
    found: list[Computed] = []
    for c in figure_ranking(rule, year):
        band = tier_for_rank(tiers, c.rank)
        if band is None:
            break
        found.append(
            Computed(
                rule,
                c.row.enterprise_id,
                band[2],
                f"{figure_words(rule.figure, rule.base, year, c.row, c.value)}，"
                f"{rank_words(c, scope)}，{band_words(*band)}",
            )
        )
    return found


RULES: dict[str, Callable[[RewardRule, int], list[Computed]]] = {
    RewardRule.Kind.NEW_TIER: _new_tier,
    RewardRule.Kind.NEW_RD_INSTITUTION: _new_rd_institution,
    RewardRule.Kind.RATE: _rate,
    RewardRule.Kind.RANKING: _ranking,
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


# --- The rules themselves (policy as data) -------------------------------------

RULE_FIELDS = (
    "programme",
    "name",
    "kind",
    "target",
    "award_round",
    "amount",
    "figure",
    "base",
    "rate",
    "cap",
    "minimum_amount",
    "minimum_current",
    "minimum_previous",
    "top_n",
    "tiers",
    "is_active",
)
COMMON_FIELDS = ("programme", "name", "kind", "is_active")


def _set_rule_values(rule: RewardRule, values: dict[str, Any]) -> None:
    """Set `values` on `rule` and clear what its kind does not read, so a
    rule switched from one kind to another keeps no stale terms."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown reward rule fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(rule, name, value)
    used = set(COMMON_FIELDS) | set(RewardRule.FIELDS_BY_KIND.get(rule.kind, ()))
    for name in set(RULE_FIELDS) - used:
        field = RewardRule._meta.get_field(name)
        assert isinstance(field, Field)
        setattr(rule, name, field.get_default())


@transaction.atomic
def reward_rule_create(*, by: User, **values: Any) -> RewardRule:
    """A new reward rule of a reward programme (validated by its kind)."""
    if not can_manage_reward_rules(by):
        raise PermissionDenied
    rule = RewardRule()
    _set_rule_values(rule, values)
    return audited_save(rule, by=by, action="reward_rule.create", fields=RULE_FIELDS)


@transaction.atomic
def reward_rule_update(*, rule: RewardRule, by: User, **values: Any) -> RewardRule:
    """Change a rule's terms; the next build of a draft batch follows them
    (approved batches keep what they paid)."""
    if not can_manage_reward_rules(by):
        raise PermissionDenied
    rule = RewardRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, RULE_FIELDS)
    _set_rule_values(rule, values)
    return audited_save(
        rule,
        by=by,
        action="reward_rule.update",
        fields=RULE_FIELDS,
        before=before,
        only_if_changed=True,
    )
