"""Innovation vouchers (创新券, RULES §8): an enterprise claims a voucher
(申领), spends it on a service from a registered provider (申请使用) and the
bureau redeems it (兑付). Every write is atomic and audited."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import AuditEntry, audit_many, audited_save, snapshot
from bureau.lib.exceptions import ApplicationError
from bureau.models import Role, User
from bureau.permissions import has_role
from projects.models import ServiceProvider, VoucherClaim, VoucherScheme
from projects.permissions import can_manage_rewards

if TYPE_CHECKING:
    from enterprises.models import Enterprise

CLAIM_FIELDS = (
    "scheme",
    "enterprise",
    "amount",
    "status",
    "provider",
    "service",
    "service_fee",
    "used_amount",
    "used_at",
    "redeemed_at",
)
CENT = Decimal("0.01")


def yuan(value: Decimal) -> str:
    """100000 → "100,000"; 12345.5 → "12,345.50" (for messages)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def voucher_payment(
    *, scheme: VoucherScheme, service_fee: Decimal, limit: Decimal
) -> Decimal:
    """What a voucher pays towards `service_fee`: all of a fee below the
    scheme's threshold, the co-pay share above it, never more than `limit`.
    A fee exactly at the threshold is paid in full only when
    settings.VOUCHER_FULL_PAY_AT_THRESHOLD says so (RULES §8 [U]: "以下"
    includes the number, "不满" excludes it, RULES §0.2)."""
    if scheme.pays_in_full(service_fee):
        share = service_fee
    else:
        share = (service_fee * scheme.copay_ratio).quantize(CENT, ROUND_HALF_UP)
    return min(share, limit)


def _refuse_state(claim: VoucherClaim, *allowed: str) -> None:
    if claim.status not in allowed:
        raise ApplicationError(
            _("This voucher is %(status)s; that cannot be done now.")
            % {"status": claim.get_status_display()},
            code="invalid_state",
            extra={"status": claim.status},
        )


def _locked(claim: VoucherClaim) -> VoucherClaim:
    return (
        VoucherClaim.objects.select_for_update(of=("self",))
        .select_related("scheme", "enterprise")
        .get(pk=claim.pk)
    )


@transaction.atomic
def voucher_claim(
    *, scheme: VoucherScheme, enterprise: Enterprise, by: User
) -> VoucherClaim:
    """Claim one voucher of `scheme.amount_per_claim`, within the enterprise's
    annual cap and the scheme's remaining quota."""
    # The lock serialises claims on one scheme, so two claims cannot both
    # fit into the last of the quota or of an enterprise's cap.
    scheme = VoucherScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.year != timezone.localdate().year:
        raise ApplicationError(
            _("The %(year)s vouchers are closed; claim from this year's scheme.")
            % {"year": scheme.year},
            code="scheme_closed",
        )
    amount = scheme.amount_per_claim
    active = scheme.claims.exclude(status=VoucherClaim.Status.CANCELLED)
    held = active.filter(enterprise=enterprise).aggregate(
        total=Sum("amount", default=Decimal(0))
    )["total"]
    if held + amount > scheme.annual_cap_per_enterprise:
        raise ApplicationError(
            _(
                "An enterprise may hold at most %(cap)s yuan of vouchers a year; "
                "it already holds %(held)s yuan, so another %(amount)s yuan "
                "would exceed the cap."
            )
            % {
                "cap": yuan(scheme.annual_cap_per_enterprise),
                "held": yuan(held),
                "amount": yuan(amount),
            },
            code="annual_cap_reached",
        )
    committed = active.aggregate(total=Sum("amount", default=Decimal(0)))["total"]
    remaining = scheme.quota_total - committed
    if amount > remaining:
        raise ApplicationError(
            _(
                "The %(year)s voucher quota of %(quota)s yuan has %(remaining)s "
                "yuan left, not enough for a claim of %(amount)s yuan."
            )
            % {
                "year": scheme.year,
                "quota": yuan(scheme.quota_total),
                "remaining": yuan(remaining),
                "amount": yuan(amount),
            },
            code="quota_exhausted",
        )
    return audited_save(
        VoucherClaim(scheme=scheme, enterprise=enterprise, amount=amount),
        by=by,
        action="voucher.claim",
        fields=CLAIM_FIELDS,
        message=str(enterprise),
    )


@transaction.atomic
def voucher_use(
    *,
    claim: VoucherClaim,
    provider: ServiceProvider,
    service: str,
    service_fee: Decimal,
    by: User,
) -> VoucherClaim:
    """Spend a claimed voucher on a service bought from an active provider."""
    claim = _locked(claim)
    _refuse_state(claim, VoucherClaim.Status.CLAIMED)
    errors: dict[str, str] = {}
    service = service.strip()
    if not service:
        errors["service"] = _("Say which service was bought.")
    if service_fee is None or service_fee <= 0:
        errors["service_fee"] = _("The service fee must be above zero.")
    if errors:
        raise ValidationError(errors)
    provider = ServiceProvider.objects.get(pk=provider.pk)
    if not provider.is_active:
        raise ApplicationError(
            _("%(provider)s is not an active voucher service provider.")
            % {"provider": provider.name},
            code="provider_inactive",
        )
    before = snapshot(claim, CLAIM_FIELDS)
    claim.provider = provider
    claim.service = service
    claim.service_fee = service_fee
    claim.used_amount = voucher_payment(
        scheme=claim.scheme, service_fee=service_fee, limit=claim.amount
    )
    claim.status = VoucherClaim.Status.USED
    claim.used_at = timezone.now()
    return audited_save(
        claim,
        by=by,
        action="voucher.use",
        fields=CLAIM_FIELDS,
        before=before,
        update_fields=[
            "provider",
            "service",
            "service_fee",
            "used_amount",
            "status",
            "used_at",
        ],
    )


@transaction.atomic
def voucher_redeem(*, claim: VoucherClaim, by: User) -> VoucherClaim:
    """The bureau pays the provider what the voucher covered (兑付)."""
    if not can_manage_rewards(by):
        raise PermissionDenied
    claim = _locked(claim)
    _refuse_state(claim, VoucherClaim.Status.USED)
    before = snapshot(claim, CLAIM_FIELDS)
    claim.status = VoucherClaim.Status.REDEEMED
    claim.redeemed_at = timezone.now()
    return audited_save(
        claim,
        by=by,
        action="voucher.redeem",
        fields=CLAIM_FIELDS,
        before=before,
        validate=False,
        update_fields=["status", "redeemed_at"],
    )


@transaction.atomic
def vouchers_redeem(*, ids: Sequence[int], by: User) -> list[VoucherClaim]:
    """Redeem several used vouchers at once (兑付): all or none; a claim that
    is not used refuses the lot, naming it."""
    if not can_manage_rewards(by):
        raise PermissionDenied
    claims = list(
        VoucherClaim.objects.select_for_update(of=("self",))
        .select_related("scheme", "enterprise", "provider")
        .filter(pk__in=set(ids))
        .order_by("enterprise__name", "id")
    )
    if not claims:
        raise ApplicationError(
            _("Choose at least one voucher to redeem."), code="nothing_chosen"
        )
    refused = [
        f"{c.enterprise.name}（{c.get_status_display()}）"
        for c in claims
        if c.status != VoucherClaim.Status.USED
    ]
    if refused:
        raise ApplicationError(
            _("Only used vouchers are redeemed; these are not: %(items)s.")
            % {"items": "、".join(refused)},
            code="invalid_state",
        )
    now = timezone.now()
    entries: list[AuditEntry] = []
    for claim in claims:
        before = snapshot(claim, CLAIM_FIELDS)
        claim.status = VoucherClaim.Status.REDEEMED
        claim.redeemed_at = now
        entries.append(
            AuditEntry(
                by=by,
                action="voucher.redeem",
                target=claim,
                before=before,
                after=snapshot(claim, CLAIM_FIELDS),
            )
        )
    VoucherClaim.objects.bulk_update(claims, ["status", "redeemed_at"])
    audit_many(entries)
    return claims


@transaction.atomic
def voucher_cancel(*, claim: VoucherClaim, by: User, reason: str = "") -> VoucherClaim:
    """Void a voucher, which frees its amount in the cap and the quota. An
    enterprise cancels its unused vouchers; the bureau may also void a used
    one before redemption (a service not delivered, say)."""
    claim = _locked(claim)
    if has_role(by, Role.ENTERPRISE):
        _refuse_state(claim, VoucherClaim.Status.CLAIMED)
    else:
        _refuse_state(claim, VoucherClaim.Status.CLAIMED, VoucherClaim.Status.USED)
    before = snapshot(claim, CLAIM_FIELDS)
    claim.status = VoucherClaim.Status.CANCELLED
    return audited_save(
        claim,
        by=by,
        action="voucher.cancel",
        fields=CLAIM_FIELDS,
        before=before,
        message=reason.strip(),
        validate=False,
        update_fields=["status"],
    )
