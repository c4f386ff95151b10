"""Reads of innovation vouchers (创新券): schemes, claims and providers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from bureau.permissions import AnyUser
from projects.models import ServiceProvider, VoucherClaim, VoucherScheme
from projects.permissions import can_see_vouchers, voucher_claims_visible_to
from projects.selectors.rewards import ListTotal, search_q, sort_order

_COMMITTED = ~Q(claims__status=VoucherClaim.Status.CANCELLED)
_SPENT = Q(claims__status__in=[VoucherClaim.Status.USED, VoucherClaim.Status.REDEEMED])


def voucher_scheme_list(*, user: AnyUser) -> QuerySet[VoucherScheme]:
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


def voucher_scheme_current(*, user: AnyUser) -> VoucherScheme | None:
    """This year's scheme, with the figures of voucher_scheme_list."""
    return voucher_scheme_list(user=user).filter(year=timezone.localdate().year).first()


@dataclass(frozen=True)
class ClaimFilters:
    """What the claims list narrows by: `q` a part of the enterprise's name
    or credit code, `street` an org unit id, `year` the scheme's year,
    `status` a VoucherClaim.Status value, `sort` a key of CLAIM_SORTS ("-"
    first for descending)."""

    q: str = ""
    year: int | None = None
    street: int | None = None
    status: str = ""
    sort: str = ""


CLAIM_ORDER = ("-claimed_at", "-id")
CLAIM_SORTS: dict[str, tuple[str, ...]] = {
    "claimed_at": ("claimed_at", "id"),
    "enterprise": ("enterprise__name", "id"),
    "street": ("enterprise__org_unit__name", "enterprise__name", "id"),
    "amount": ("amount", "id"),
    "service_fee": ("service_fee", "id"),
    "used_amount": ("used_amount", "id"),
}


def voucher_claim_list(
    *,
    user: AnyUser,
    status: str | None = None,
    year: int | None = None,
    enterprise: int | None = None,
    filters: ClaimFilters | None = None,
) -> QuerySet[VoucherClaim]:
    qs = voucher_claims_visible_to(user).select_related(
        "scheme", "enterprise__org_unit", "provider"
    )
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(scheme__year=year)
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    if filters is None:
        return qs.order_by(*CLAIM_ORDER)
    qs = qs.filter(search_q(filters.q))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year is not None:
        qs = qs.filter(scheme__year=filters.year)
    if filters.street is not None:
        qs = qs.filter(enterprise__org_unit_id=filters.street)
    return qs.order_by(*sort_order(filters.sort, CLAIM_SORTS, CLAIM_ORDER))


def voucher_claim_list_total(claims: QuerySet[VoucherClaim]) -> ListTotal:
    """How many claims a filtered list holds and their vouchers' amount
    (cancelled ones count but add nothing)."""
    row = claims.order_by().aggregate(
        n=Count("id"),
        amount=Sum(
            "amount",
            filter=~Q(status=VoucherClaim.Status.CANCELLED),
            default=Decimal(0),
        ),
    )
    return ListTotal(row["n"], row["amount"])


def voucher_scheme_years(*, user: AnyUser) -> list[int]:
    if not can_see_vouchers(user):
        return []
    return list(VoucherScheme.objects.order_by("-year").values_list("year", flat=True))


def voucher_enterprise_held(*, scheme: VoucherScheme, enterprise_id: int) -> Decimal:
    """What the enterprise holds in the scheme: its claims not cancelled."""
    return (
        scheme.claims.filter(enterprise_id=enterprise_id)
        .exclude(status=VoucherClaim.Status.CANCELLED)
        .aggregate(total=Sum("amount", default=Decimal(0)))["total"]
    )


def service_provider_list(
    *, user: AnyUser, active_only: bool = True
) -> QuerySet[ServiceProvider]:
    if not can_see_vouchers(user):
        return ServiceProvider.objects.none()
    qs = ServiceProvider.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name")
