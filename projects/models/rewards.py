from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.lib.models import GovernmentLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RewardRule(models.Model):
    """A policy reward (奖补兑现) computed from enterprise data. What it pays
    is data (RULES §11.7 [U]: every district words its own policy):

    - new_tier: a fixed amount for an award of the tier `target` in the
      year, first awards, renewals or both (`award_round`);
    - new_rd_institution: a fixed amount for an R&D institution of level
      `target` recognised in the year;
    - rate: `rate` × a figure of the year (its total or its increment on the
      year before), at most `cap` and at least `minimum_amount`, optionally
      for the top `top_n` by that base only ("按增量的5%给予奖励，最高300万元");
    - ranking: the top N by a figure's total, increment or growth rate, paid
      by rank bands (`tiers`) ("研发投入增长前10名").

    Figure rules count only enterprises whose figure of the year reaches
    `minimum_current` and, for increments and growth, whose figure of the
    year before reaches `minimum_previous` (so 1万→10万 cannot outrank
    5000万→6000万); `target`, when given, limits them to the holders of that
    tier at the end of the year ("科技型中小企业研发投入前20名")."""

    class Kind(models.TextChoices):
        NEW_TIER = "new_tier", _("Reward for tier awards")
        NEW_RD_INSTITUTION = (
            "new_rd_institution",
            _("Reward for newly recognised R&D institutions"),
        )
        RATE = "rate", _("Reward at a rate of a figure")
        RANKING = "ranking", _("Reward for the top N of a ranking")

    class AwardRound(models.TextChoices):
        FIRST = "first", _("First awards only")
        RENEWAL = "renewal", _("Renewals only")
        ALL = "all", _("First awards and renewals")

    class Figure(models.TextChoices):
        # The values are enterprises.selectors.ANNUAL_FIGURES and the
        # figures other apps register there (the technology contracts:
        # indicators.selectors.reward_figures).
        RD = "rd_incurred", _("R&D expense")
        RD_SUPER_DEDUCTION = (
            "rd_super_deduction",
            _("R&D expense under the super-deduction scope"),
        )
        MAIN_REVENUE = "main_business_revenue", _("main business revenue")
        TAX = "tax_paid", _("tax paid (fourth-quarter report)")
        CONTRACTS_ABSORBED = (
            "tech_contract_absorbed",
            _("technology contracts absorbed (bought; technical transaction amount)"),
        )
        CONTRACTS_OUTPUT = (
            "tech_contract_output",
            _("technology contracts output (sold; technical transaction amount)"),
        )

    class Base(models.TextChoices):
        TOTAL = "total", _("The year's total")
        INCREMENT = "increment", _("Increase on the year before")
        GROWTH = "growth", _("Growth rate on the year before")

    programme = models.ForeignKey(
        "projects.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="reward_rules",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # new_tier: the tier code; new_rd_institution: the institution level;
    # rate and ranking: a tier code whose holders alone count, or blank.
    target = models.CharField(
        _("tier code or institution level"), max_length=30, blank=True
    )
    award_round = models.CharField(
        _("first awards or renewals"),
        max_length=10,
        choices=AwardRound.choices,
        default=AwardRound.FIRST,
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    figure = models.CharField(
        _("figure"), max_length=24, choices=Figure.choices, blank=True
    )
    base = models.CharField(_("base"), max_length=10, choices=Base.choices, blank=True)
    rate = models.DecimalField(
        _("rate"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("A fraction: 0.05 for 5%."),
    )
    cap = models.DecimalField(
        _("cap per enterprise"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    minimum_amount = models.DecimalField(
        _("minimum amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    minimum_current = models.DecimalField(
        _("figure of the year at least"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    minimum_previous = models.DecimalField(
        _("figure of the year before at least"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    top_n = models.PositiveSmallIntegerField(
        _("only the top N"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    # ranking: [{"up_to_rank": 3, "amount": "300000"}, …], best first.
    tiers = models.JSONField(_("amount tiers by rank"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # What each kind reads (the form shows these; the service clears the
    # rest), and which of them a rule of that kind cannot do without.
    FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
        Kind.NEW_TIER: ("target", "award_round", "amount"),
        Kind.NEW_RD_INSTITUTION: ("target", "amount"),
        Kind.RATE: (
            "figure",
            "base",
            "target",
            "rate",
            "cap",
            "minimum_amount",
            "minimum_current",
            "minimum_previous",
            "top_n",
        ),
        Kind.RANKING: (
            "figure",
            "base",
            "target",
            "minimum_current",
            "minimum_previous",
            "tiers",
        ),
    }
    REQUIRED = ("award_round", "amount", "figure", "base", "rate", "tiers")

    class Meta:
        verbose_name = _("reward rule")
        verbose_name_plural = _("reward rules")
        ordering = ["programme", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Each kind has what it needs, and nothing contradicts itself."""
        errors: dict[str, Any] = {}
        required = _("This reward rule needs it.")
        for name in self.FIELDS_BY_KIND.get(self.kind, ()):
            if name in self.REQUIRED and getattr(self, name) in (None, "", []):
                errors[name] = required
        if self.kind in (self.Kind.NEW_TIER, self.Kind.NEW_RD_INSTITUTION):
            if not self.target:
                errors["target"] = required
            if self.amount is not None and self.amount <= 0:
                errors["amount"] = _("The amount must be above zero.")
        if self.kind == self.Kind.RATE:
            if self.base == self.Base.GROWTH:
                errors["base"] = _(
                    "A rate applies to a total or an increase, not to a growth rate."
                )
            if self.rate is not None and self.rate <= 0:
                errors["rate"] = _("The rate must be above zero.")
            if (
                self.cap is not None
                and self.minimum_amount is not None
                and self.minimum_amount > self.cap
            ):
                errors["minimum_amount"] = _(
                    "The minimum amount is above the cap per enterprise."
                )
        if self.target and "target" not in errors and not self._target_exists():
            errors["target"] = _("There is no tier or level “%(code)s”.") % {
                "code": self.target
            }
        if self.kind == self.Kind.RANKING and self.tiers:
            if problem := tiers_problem(self.tiers):
                errors["tiers"] = problem
        if (
            self.is_figure_rule
            and self.base == self.Base.TOTAL
            and self.minimum_previous is not None
        ):
            errors["minimum_previous"] = _(
                "The year before counts only for an increase or a growth rate."
            )
        if errors:
            raise ValidationError(errors)

    def _target_exists(self) -> bool:
        """The tier or institution level named exists (a mistyped code would
        silently pay nobody)."""
        if self.kind == self.Kind.NEW_RD_INSTITUTION:
            return self.target in GovernmentLevel.values
        from enterprises.selectors import tier_choices

        return tier_choices(include_inactive=True).filter(code=self.target).exists()

    @property
    def is_figure_rule(self) -> bool:
        return self.kind in (self.Kind.RATE, self.Kind.RANKING)

    @property
    def last_rank(self) -> int:
        """The last rank a ranking rule pays (0 without bands)."""
        return max((int(t["up_to_rank"]) for t in self.tiers), default=0)


def tiers_problem(tiers: Any) -> StrOrPromise | None:
    """What is wrong with rank bands, or None: a list of {"up_to_rank",
    "amount"}, ranks whole and rising from 1, amounts above zero."""
    if not isinstance(tiers, list):
        return _("The rank bands are a list.")
    last = 0
    for tier in tiers:
        try:
            rank = int(tier["up_to_rank"])
            amount = Decimal(str(tier["amount"]))
        except (KeyError, TypeError, ValueError, ArithmeticError):
            return _("Each rank band has a last rank and an amount.")
        if rank <= last:
            return _(
                "The last ranks of the bands must rise: %(rank)d follows %(last)d."
            ) % {
                "rank": rank,
                "last": last,
            }
        if not amount.is_finite() or amount <= 0:
            return _("Each band's amount must be above zero.")
        last = rank
    return None


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
            "RULES §8 [U]: the share of a fee above the full-pay threshold the voucher covers."
        ),
    )

    class Meta:
        verbose_name = _("voucher scheme")
        verbose_name_plural = _("voucher schemes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年创新券"

    @property
    def full_pay_at_threshold(self) -> bool:
        """Whether a fee exactly at `full_pay_below` is paid in full (RULES §8
        [U]; settings.VOUCHER_FULL_PAY_AT_THRESHOLD, read at call time)."""
        return bool(settings.VOUCHER_FULL_PAY_AT_THRESHOLD)

    def pays_in_full(self, service_fee: Decimal) -> bool:
        """Whether the voucher pays all of `service_fee` (no co-payment)."""
        if self.full_pay_at_threshold:
            return service_fee <= self.full_pay_below
        return service_fee < self.full_pay_below


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
