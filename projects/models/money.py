from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Contract(models.Model):
    """任务书: what the approved project will deliver, when, for how much."""

    application = models.OneToOneField(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="contract",
    )
    number = models.CharField(_("contract number"), max_length=50, blank=True)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    deliverables = models.TextField(_("deliverables"))
    budget_total = models.DecimalField(
        _("total budget"), max_digits=14, decimal_places=2
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.number or f"任务书{self.application_id}"


class Milestone(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due date"))
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Disbursement(models.Model):
    """A tranche of the approved amount, tied to a milestone."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PAID = "paid", _("Paid")
        WITHHELD = "withheld", _("Withheld")

    application = models.ForeignKey(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    planned_on = models.DateField(_("planned for"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        from bureau.lib.money import wan_with_unit

        return str(
            _("Disbursement of %(amount)s") % {"amount": wan_with_unit(self.amount)}
        )
