"""Technology contracts registered by the technology market office, and the
achievements (科技成果) in transfer or pilot production."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TechContract(models.Model):
    """One registered technology contract. Its direction is our district's:
    输出 when the seller is a registry organisation, 吸纳 when the buyer is;
    a contract between two of ours counts both ways."""

    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("Technology development")
        TRANSFER = "transfer", _("Technology transfer")
        LICENSE = "license", _("Technology licensing")
        CONSULTING = "consulting", _("Technology consulting")
        SERVICE = "service", _("Technology service")

    class Direction(models.TextChoices):
        OUTFLOW = "out", _("Output (seller in the district)")
        INFLOW = "in", _("Absorbed (buyer in the district)")
        BOTH = "both", _("Both parties in the district")

    registration_number = models.CharField(
        _("registration number"),
        max_length=40,
        unique=True,
        error_messages={
            "unique": _("A contract with this registration number already exists.")
        },
    )
    name = models.CharField(_("contract name"), max_length=200)
    kind = models.CharField(_("contract kind"), max_length=12, choices=Kind.choices)
    seller = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("seller (registry)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seller_name = models.CharField(_("seller"), max_length=200)
    seller_credit_code = models.CharField(
        _("seller's credit code"), max_length=18, blank=True
    )
    buyer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("buyer (registry)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_credit_code = models.CharField(
        _("buyer's credit code"), max_length=18, blank=True
    )
    buyer_location = models.CharField(
        _("buyer's location"),
        max_length=100,
        blank=True,
        help_text=_("Province and city, e.g. 浙江省杭州市."),
    )
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices
    )
    # The streets of the parties in the district (derived with the direction).
    seller_street = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("seller's street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer_street = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("buyer's street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"), max_digits=16, decimal_places=2
    )
    transaction_amount = models.DecimalField(
        _("technical transaction amount (yuan)"), max_digits=16, decimal_places=2
    )
    registered_on = models.DateField(_("registration date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        ordering = ["-registered_on", "-id"]
        indexes = [models.Index(fields=["registered_on", "direction"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_amount__gte=0)
                & Q(transaction_amount__gte=0)
                & Q(transaction_amount__lte=models.F("contract_amount")),
                name="indicators_contract_amounts_valid",
                violation_error_message=_(
                    "The technical transaction amount cannot exceed the contract "
                    "amount."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.name}"

    def clean(self) -> None:
        if (
            self.contract_amount is not None
            and self.transaction_amount is not None
            and self.transaction_amount > self.contract_amount
        ):
            raise ValidationError(
                {
                    "transaction_amount": _(
                        "The technical transaction amount cannot exceed the "
                        "contract amount."
                    )
                }
            )


class Achievement(models.Model):
    """A scientific or technological achievement (科技成果) the bureau follows
    through transfer, pilot production (中试) and industrialisation."""

    class Stage(models.TextChoices):
        WAITING = "waiting", _("Awaiting transfer")
        TRANSFERRING = "transferring", _("Being transferred")
        PILOT = "pilot", _("Pilot production")
        INDUSTRIALISED = "industrialised", _("Industrialised")

    class Way(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        LICENSE = "license", _("Licensing")
        EQUITY = "equity", _("Equity investment")
        SELF = "self", _("Own implementation")
        JOINT = "joint", _("Joint implementation")

    title = models.CharField(_("achievement"), max_length=200)
    owner = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    field = models.CharField(
        _("technical field"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 新材料, 电子信息, 生物医药."),
    )
    stage = models.CharField(
        _("stage"), max_length=14, choices=Stage.choices, default=Stage.WAITING
    )
    way = models.CharField(
        _("way of transfer"), max_length=10, choices=Way.choices, blank=True
    )
    contracts = models.ManyToManyField(
        TechContract,
        verbose_name=_("linked contracts"),
        blank=True,
        related_name="achievements",
    )
    new_output_value = models.DecimalField(
        _("new output value (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    jobs = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    patents = models.PositiveIntegerField(_("patents"), null=True, blank=True)
    started_on = models.DateField(_("transfer started on"), null=True, blank=True)
    pilot_on = models.DateField(_("pilot started on"), null=True, blank=True)
    industrialised_on = models.DateField(_("industrialised on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.new_output_value is not None and self.new_output_value < 0:
            raise ValidationError(
                {"new_output_value": _("The output value cannot be negative.")}
            )
        if self.stage == self.Stage.INDUSTRIALISED and self.industrialised_on is None:
            raise ValidationError(
                {"industrialised_on": _("Give the date it was industrialised.")}
            )
        if (
            self.started_on
            and self.industrialised_on
            and self.industrialised_on < self.started_on
        ):
            raise ValidationError(
                {"industrialised_on": _("This date is before the transfer started.")}
            )
