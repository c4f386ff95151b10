from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RewardRule(models.Model):
    """A policy reward (奖补兑现) computed from enterprise data. What it pays
    is data: a fixed amount, or tiers by rank."""

    class Kind(models.TextChoices):
        NEW_TIER = "new_tier", _("Reward for newly recognised tier enterprises")
        RD_GROWTH_TOP = (
            "rd_growth_top",
            _("Reward for the top N in R&D spending growth"),
        )
        NEW_RD_INSTITUTION = (
            "new_rd_institution",
            _("Reward for newly recognised R&D institutions"),
        )

    programme = models.ForeignKey(
        "projects.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="reward_rules",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # new_tier: the tier code; new_rd_institution: the institution level.
    target = models.CharField(
        _("tier code or institution level"), max_length=30, blank=True
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    # rd_growth_top: [{"up_to_rank": 3, "amount": "300000"}, …], best first.
    tiers = models.JSONField(_("amount tiers by rank"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reward rule")
        verbose_name_plural = _("reward rules")
        ordering = ["programme", "id"]

    def __str__(self) -> str:
        return self.name


class RewardBatch(models.Model):
    """The entitlements of one year, built from data, reviewed and approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reward batch")
        verbose_name_plural = _("reward batches")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("Reward list of %(year)s") % {"year": self.year})


class Entitlement(models.Model):
    class State(models.TextChoices):
        """Where an entitlement stands (from its batch, exclusion and payment;
        not a stored field)."""

        PENDING = "pending", pgettext_lazy("entitlement state", "Awaiting approval")
        UNPAID = "unpaid", pgettext_lazy("entitlement state", "Approved, to pay")
        PAID = "paid", pgettext_lazy("entitlement state", "Paid")
        EXCLUDED = "excluded", pgettext_lazy("entitlement state", "Excluded")

    batch = models.ForeignKey(
        RewardBatch, on_delete=models.CASCADE, related_name="entitlements"
    )
    rule = models.ForeignKey(RewardRule, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="entitlements",
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    excluded = models.BooleanField(_("excluded by staff"), default=False)
    exclusion_reason = models.CharField(_("why excluded"), max_length=200, blank=True)
    # Set when staff record that the finance office paid it (已发放); only an
    # entitlement of an approved batch that is not excluded is paid.
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["rule", "-amount", "id"]
        constraints = [
            # Rebuilding a year's batch never duplicates an entitlement.
            models.UniqueConstraint(
                fields=["batch", "rule", "enterprise"], name="projects_entitlement_once"
            )
        ]

    def __str__(self) -> str:
        from bureau.lib.money import wan_with_unit

        return f"{self.enterprise} {wan_with_unit(self.amount)}"

    @property
    def state(self) -> str:
        if self.excluded:
            return self.State.EXCLUDED
        if self.paid_at is not None:
            return self.State.PAID
        if self.batch.status == RewardBatch.Status.APPROVED:
            return self.State.UNPAID
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class VoucherScheme(models.Model):
    """创新券 of one year (RULES §8): amounts, caps and the co-pay rule."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    quota_total = models.DecimalField(_("total quota"), max_digits=14, decimal_places=2)
    amount_per_claim = models.DecimalField(
        _("amount per claim"), max_digits=12, decimal_places=2, default=Decimal("20000")
    )
    annual_cap_per_enterprise = models.DecimalField(
        _("annual cap per enterprise"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("100000"),
    )
    full_pay_below = models.DecimalField(
        _("vouchers pay in full below"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("10000"),
    )
    copay_ratio = models.DecimalField(
        _("voucher share above that"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        help_text=_(
            "RULES §8 [U]: the share of a fee at or above the threshold the voucher covers."
        ),
    )

    class Meta:
        verbose_name = _("voucher scheme")
        verbose_name_plural = _("voucher schemes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年创新券"


class ServiceProvider(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=50, help_text=_("University, institute, testing body…")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VoucherClaim(models.Model):
    class Status(models.TextChoices):
        CLAIMED = "claimed", pgettext_lazy("voucher status", "Claimed")
        USED = "used", pgettext_lazy("voucher status", "Used")
        REDEEMED = "redeemed", pgettext_lazy("voucher status", "Redeemed")
        CANCELLED = "cancelled", pgettext_lazy("voucher status", "Cancelled")

    scheme = models.ForeignKey(
        VoucherScheme, on_delete=models.PROTECT, related_name="claims"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="voucher_claims",
    )
    amount = models.DecimalField(_("voucher amount"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED
    )
    provider = models.ForeignKey(
        ServiceProvider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    service = models.CharField(_("service bought"), max_length=200, blank=True)
    service_fee = models.DecimalField(
        _("service fee"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    used_amount = models.DecimalField(
        _("paid by voucher"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher claim")
        verbose_name_plural = _("voucher claims")
        ordering = ["-claimed_at", "id"]

    def __str__(self) -> str:
        from bureau.lib.money import wan_with_unit

        return f"{self.enterprise} {wan_with_unit(self.amount)}"
