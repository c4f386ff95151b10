"""Reads of policy rewards (奖补兑现) and innovation vouchers (创新券), and who
may see or change them.

The access predicates belong in projects/permissions.py; they live here until
that module exists, and should move there unchanged.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.http import Http404
from django.utils import timezone

from bureau.models import Role
from bureau.permissions import has_role
from projects.models import (
    Entitlement,
    RewardBatch,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
)

# --- Access -----------------------------------------------------------------

# Roles that read every batch, entitlement and voucher of the district.
REWARD_READERS = (Role.STAFF, Role.SECTION_HEAD, Role.LEADER)
# Roles that build batches, exclude entitlements and redeem vouchers.
REWARD_WRITERS = (Role.STAFF, Role.SECTION_HEAD)


def can_read_rewards(user: Any) -> bool:
    return has_role(user, *REWARD_READERS)


def can_manage_rewards(user: Any) -> bool:
    """Build a batch, exclude or restore an entitlement, redeem vouchers."""
    return has_role(user, *REWARD_WRITERS)


def can_approve_reward_batch(user: Any) -> bool:
    return has_role(user, Role.SECTION_HEAD)


def reward_batches_visible_to(user: Any) -> QuerySet[RewardBatch]:
    """Bureau roles see every batch; an enterprise user the approved batches
    that hold one of its entitlements; anyone else none. Drafts stay inside
    the bureau: their amounts may still change."""
    qs = RewardBatch.objects.all()
    if can_read_rewards(user):
        return qs
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(
            status=RewardBatch.Status.APPROVED,
            pk__in=Entitlement.objects.filter(enterprise_id=user.enterprise_id).values(
                "batch_id"
            ),
        )
    return qs.none()


def entitlements_visible_to(user: Any) -> QuerySet[Entitlement]:
    """Bureau roles see all; an enterprise user its own in approved batches."""
    qs = Entitlement.objects.all()
    if can_read_rewards(user):
        return qs
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(
            enterprise_id=user.enterprise_id,
            batch__status=RewardBatch.Status.APPROVED,
        )
    return qs.none()


def get_reward_batch_for_user(
    user: Any, year: int, *, write: bool = False
) -> RewardBatch:
    """The batch of `year`, or 404 when `user` may not see it, 403 when they
    may see but not change it."""
    batch = reward_batches_visible_to(user).filter(year=year).first()
    if batch is None:
        raise Http404
    if write and not can_manage_rewards(user):
        raise PermissionDenied
    return batch


def get_entitlement_for_user(user: Any, pk: Any, *, write: bool = False) -> Entitlement:
    entitlement = (
        entitlements_visible_to(user)
        .select_related("batch", "rule", "enterprise__org_unit")
        .filter(pk=pk)
        .first()
    )
    if entitlement is None:
        raise Http404
    if write and not can_manage_rewards(user):
        raise PermissionDenied
    return entitlement


def can_use_vouchers(user: Any) -> bool:
    """Claim, use and cancel vouchers: enterprise users, for themselves."""
    return has_role(user, Role.ENTERPRISE) and bool(user.enterprise_id)


def voucher_claims_visible_to(user: Any) -> QuerySet[VoucherClaim]:
    qs = VoucherClaim.objects.all()
    if can_read_rewards(user):
        return qs
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    return qs.none()


def can_see_vouchers(user: Any) -> bool:
    """Schemes and the provider registry: the bureau and enterprises."""
    return can_read_rewards(user) or can_use_vouchers(user)


def get_voucher_claim_for_user(
    user: Any, pk: Any, *, action: str | None = None
) -> VoucherClaim:
    """The claim, or 404 when `user` may not see it. `action` is "use",
    "cancel" (the enterprise itself; cancel also staff) or "redeem" (staff);
    403 when `user` sees the claim but may not do that."""
    claim = (
        voucher_claims_visible_to(user)
        .select_related("scheme", "enterprise", "provider")
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise Http404
    allowed = {
        None: True,
        "use": can_use_vouchers(user),
        "cancel": can_use_vouchers(user) or can_manage_rewards(user),
        "redeem": can_manage_rewards(user),
    }[action]
    if not allowed:
        raise PermissionDenied
    return claim


# --- Rewards ----------------------------------------------------------------


def reward_batch_list(*, user: Any) -> QuerySet[RewardBatch]:
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
    user: Any,
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


def reward_batch_totals(*, batch: RewardBatch) -> BatchTotals:
    """What the batch pays, in all and per rule (excluded rows apart)."""
    rows = (
        batch.entitlements.values("rule_id", "rule__name", "excluded")
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


EXPORT_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "所属街道/园区",
    "奖励项目",
    "金额（元）",
    "理由",
    "状态",
]


def reward_batch_workbook(*, batch: RewardBatch) -> bytes:
    """The batch for the finance office: one sheet of what is to be paid,
    with a total, and one sheet of the excluded rows and why."""
    from openpyxl import Workbook

    rows = batch.entitlements.select_related("rule", "enterprise__org_unit").order_by(
        "rule_id", "-amount", "enterprise__name", "id"
    )
    payable_status = (
        "已审批" if batch.status == RewardBatch.Status.APPROVED else "待审批"
    )
    book = Workbook(write_only=True)
    payable = book.create_sheet(f"{batch.year}年奖补兑现清单")
    excluded = book.create_sheet("已剔除")
    payable.append(EXPORT_HEADERS)
    excluded.append(EXPORT_HEADERS)
    total = Decimal(0)
    for e in rows:
        values = [
            e.enterprise.name,
            e.enterprise.credit_code,
            e.enterprise.org_unit.name,
            e.rule.name,
            float(e.amount),
            e.reason,
        ]
        if e.excluded:
            excluded.append([*values, f"已剔除：{e.exclusion_reason}"])
        else:
            payable.append([*values, payable_status])
            total += e.amount
    payable.append(["合计", "", "", "", float(total), "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Vouchers ---------------------------------------------------------------

_COMMITTED = ~Q(claims__status=VoucherClaim.Status.CANCELLED)
_SPENT = Q(claims__status__in=[VoucherClaim.Status.USED, VoucherClaim.Status.REDEEMED])


def voucher_scheme_list(*, user: Any) -> QuerySet[VoucherScheme]:
    """Schemes with `committed` (claimed, not cancelled), `spent` (paid by
    vouchers for services bought), `redeemed` and `claim_count`; a scheme's
    `remaining` quota: quota_total − committed."""
    if not can_see_vouchers(user):
        return VoucherScheme.objects.none()
    return (
        VoucherScheme.objects.annotate(
            committed=Sum("claims__amount", filter=_COMMITTED, default=Decimal(0)),
            spent=Sum("claims__used_amount", filter=_SPENT, default=Decimal(0)),
            redeemed=Sum(
                "claims__used_amount",
                filter=Q(claims__status=VoucherClaim.Status.REDEEMED),
                default=Decimal(0),
            ),
            claim_count=Count("claims", filter=_COMMITTED),
        )
        .annotate(
            remaining=ExpressionWrapper(
                F("quota_total") - F("committed"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        )
        .order_by("-year")
    )


def voucher_scheme_current(*, user: Any) -> VoucherScheme | None:
    """This year's scheme, with the figures of voucher_scheme_list."""
    return voucher_scheme_list(user=user).filter(year=timezone.localdate().year).first()


def voucher_claim_list(
    *,
    user: Any,
    status: str | None = None,
    year: int | None = None,
    enterprise: int | None = None,
) -> QuerySet[VoucherClaim]:
    qs = voucher_claims_visible_to(user).select_related(
        "scheme", "enterprise", "provider"
    )
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(scheme__year=year)
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    return qs.order_by("-claimed_at", "-id")


def voucher_enterprise_held(*, scheme: VoucherScheme, enterprise_id: int) -> Decimal:
    """What the enterprise holds in the scheme: its claims not cancelled."""
    return (
        scheme.claims.filter(enterprise_id=enterprise_id)
        .exclude(status=VoucherClaim.Status.CANCELLED)
        .aggregate(total=Sum("amount", default=Decimal(0)))["total"]
    )


def service_provider_list(*, user: Any, active_only: bool = True) -> QuerySet:
    if not can_see_vouchers(user):
        return ServiceProvider.objects.none()
    qs = ServiceProvider.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name")
