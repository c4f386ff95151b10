"""The R&D statistics ledger (研发经费投入统计台账): per year, the units
expected to report R&D spending (应统尽统) and how far each has got."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RDReportingUnit(models.Model):
    """A unit expected to report its R&D spending for `year`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not reported")
        REPORTED = "reported", _("Reported")
        VERIFIED = "verified", _("Verified")
        NO_ACTIVITY = "no_activity", _("No R&D activity")

    # The statuses that count as having reported (出报).
    REPORTING = (Status.REPORTED, Status.VERIFIED)

    year = models.PositiveSmallIntegerField(_("year"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("registry organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_name = models.CharField(_("unit name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True
    )
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("street or park"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_above_scale = models.BooleanField(_("above designated size"), default=False)
    last_year_amount = models.DecimalField(
        _("last year's R&D spending (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    amount = models.DecimalField(
        _("R&D spending reported (yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("R&D statistics unit")
        verbose_name_plural = _("R&D statistics ledger")
        ordering = ["year", "org_unit", "unit_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit_name"],
                name="indicators_rdunit_name_once_a_year",
                violation_error_message=_(
                    "This unit is already on the ledger of that year."
                ),
            ),
            models.UniqueConstraint(
                fields=["year", "credit_code"],
                condition=~Q(credit_code=""),
                name="indicators_rdunit_code_once_a_year",
                violation_error_message=_(
                    "A unit with this credit code is already on the ledger of "
                    "that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="indicators_rdunit_amount_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["year", "org_unit", "status"])]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_name}"

    @property
    def is_reporting(self) -> bool:
        return self.status in self.REPORTING
