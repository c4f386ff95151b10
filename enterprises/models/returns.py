from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NON_NEGATIVE = [MinValueValidator(Decimal(0))]


def money(label: StrOrPromise, **kwargs: Any) -> models.DecimalField:
    """An amount in yuan, never negative unless said otherwise."""
    kwargs.setdefault("validators", NON_NEGATIVE)
    kwargs.setdefault("default", Decimal(0))
    return models.DecimalField(label, max_digits=18, decimal_places=2, **kwargs)


def headcount(label: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        validators=NON_NEGATIVE,
    )


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


class Filing(models.Model):
    """What annual returns and quarterly reports share: the workflow."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FilingStatus.choices,
        default=FilingStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in (FilingStatus.DRAFT, FilingStatus.RETURNED)


class AnnualReturn(Filing):
    """One accounting year of an enterprise: the figures the eligibility
    rules need (RULES §2.3–§2.4, §3.4)."""

    RD_INTERNAL_FIELDS = (
        "rd_personnel",
        "rd_direct",
        "rd_depreciation",
        "rd_amortisation",
        "rd_design",
        "rd_trials",
        "rd_other",
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="annual_returns",
    )
    year = models.PositiveSmallIntegerField(_("accounting year"))
    # Income (RULES §2.3)
    main_business_revenue = money(_("main business revenue"))
    other_business_revenue = money(_("other business revenue"))
    total_income = money(_("total income (收入总额)"))
    non_taxable_income = money(_("non-taxable income"))
    hightech_income = money(_("high-tech product and service income"))
    # R&D by the eight categories of RULES §2.4; category 7 (entrusted) split
    # into domestic and overseas, as amounts actually incurred.
    rd_personnel = money(_("R&D: personnel"))
    rd_direct = money(_("R&D: direct inputs"))
    rd_depreciation = money(_("R&D: depreciation and deferred expenses"))
    rd_amortisation = money(_("R&D: amortisation of intangibles"))
    rd_design = money(_("R&D: design"))
    rd_trials = money(_("R&D: equipment commissioning and trials"))
    rd_other = money(_("R&D: other"))
    rd_entrusted_domestic = money(_("R&D entrusted to domestic parties"))
    rd_entrusted_overseas = money(_("R&D entrusted overseas"))
    rd_super_deduction = money(
        _("R&D under the super-deduction scope"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "For the tech-SME evaluation (RULES §3.4); blank: use the HNTE scope."
        ),
    )
    total_cost_expense = money(
        _("total costs and expenses"), null=True, blank=True, default=None
    )
    # Staff (annual averages, RULES §2.3)
    staff_total = headcount(_("staff (annual average)"))
    tech_staff = headcount(_("S&T staff (annual average)"))
    # Assets
    total_assets = money(_("total assets"))
    net_assets = money(_("net assets"), validators=[])
    profit = money(_("total profit"), validators=[])
    # IP (valid items held at year end) and transfers
    ip_invention = models.PositiveIntegerField(_("invention patents"), default=0)
    ip_other_class1 = models.PositiveIntegerField(
        _("other Class Ⅰ IP"),
        default=0,
        help_text=_("Plant varieties, new drugs, IC layouts…"),
    )
    ip_utility = models.PositiveIntegerField(_("utility model patents"), default=0)
    ip_design = models.PositiveIntegerField(_("design patents"), default=0)
    ip_software = models.PositiveIntegerField(_("software copyrights"), default=0)
    tech_transfers = models.PositiveIntegerField(_("technology transfers"), default=0)

    class Meta:
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")
        ordering = ["-year", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="enterprises_annualreturn_one_per_year",
                violation_error_message=_(
                    "This enterprise already has a return for that year."
                ),
            )
        ]
        indexes = [
            # The home page's queues: the newest returns in a state.
            models.Index(
                fields=["status", "-submitted_at", "-id"], name="annual_state_newest_id"
            )
        ]

    def __str__(self) -> str:
        return str(
            _("%(enterprise)s, return for %(year)s")
            % {"enterprise": self.enterprise, "year": self.year}
        )

    @property
    def sales_revenue(self) -> Decimal:
        """销售收入 = 主营业务收入 + 其他业务收入."""
        return self.main_business_revenue + self.other_business_revenue

    @property
    def rd_internal(self) -> Decimal:
        return sum((getattr(self, f) for f in self.RD_INTERNAL_FIELDS), Decimal(0))

    @property
    def rd_incurred(self) -> Decimal:
        """All R&D actually incurred (entrusted at full amount)."""
        return (
            self.rd_internal + self.rd_entrusted_domestic + self.rd_entrusted_overseas
        )

    @property
    def ip_class1(self) -> int:
        return self.ip_invention + self.ip_other_class1

    @property
    def ip_class2(self) -> int:
        return self.ip_utility + self.ip_design + self.ip_software

    @property
    def warnings(self) -> list[str]:
        """Figures that are unusual but possible, to be checked rather than
        refused: a start-up's R&D can exceed its sales."""
        from bureau.lib.money import wan_with_unit

        found = []
        if self.rd_incurred > self.sales_revenue:
            found.append(
                str(
                    _(
                        "R&D expense (%(rd)s) is above sales revenue (%(sales)s): "
                        "accepted, as it is for many start-ups; please check the "
                        "figures."
                    )
                    % {
                        "rd": wan_with_unit(self.rd_incurred),
                        "sales": wan_with_unit(self.sales_revenue),
                    }
                )
            )
        return found

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.tech_staff > self.staff_total:
            errors["tech_staff"] = _("S&T staff cannot exceed total staff.")
        if self.non_taxable_income > self.total_income:
            errors["non_taxable_income"] = _(
                "Non-taxable income cannot exceed total income."
            )
        if self.hightech_income > self.total_income:
            errors["hightech_income"] = _(
                "High-tech income cannot exceed total income."
            )
        if self.net_assets > self.total_assets:
            errors["net_assets"] = _("Net assets cannot exceed total assets.")
        from django.utils import timezone

        if self.year and self.year >= timezone.localdate().year:
            errors["year"] = _("That accounting year has not ended yet.")
        if errors:
            raise ValidationError(errors)


QUARTERS = [
    (1, _("First quarter")),
    (2, _("Second quarter")),
    (3, _("Third quarter")),
    (4, _("Fourth quarter")),
]


class QuarterlyReport(Filing):
    """季度监测: year-to-date figures at the end of a quarter."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="quarterly_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    revenue_ytd = money(_("revenue, year to date"))
    profit_ytd = money(_("profit, year to date"), validators=[])
    tax_ytd = money(_("tax paid, year to date"))
    rd_ytd = money(_("R&D expense, year to date"))
    exports_ytd = money(_("exports, year to date"))
    staff = headcount(_("staff at quarter end"))

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "quarter"],
                name="enterprises_quarterlyreport_one_per_quarter",
                violation_error_message=_(
                    "This enterprise already has a report for that quarter."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "status"]),
            # The home page's queues: the newest reports in a state.
            models.Index(
                fields=["status", "-submitted_at", "-id"],
                name="quarterly_state_newest_id",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("%(enterprise)s, report for %(period)s")
            % {"enterprise": self.enterprise, "period": self.period_display}
        )

    @property
    def period(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def period_display(self) -> str:
        """2026年第三季度"""
        return self.period_label(self.year, self.quarter)

    @staticmethod
    def period_label(year: int, quarter: int) -> str:
        from bureau.lib.periods import quarter_label

        return quarter_label(year, quarter)

    @staticmethod
    def quarter_end(year: int, quarter: int) -> date:
        month = quarter * 3
        return date(year, month, {3: 31, 6: 30, 9: 30, 12: 31}[month])

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        from django.utils import timezone

        if (
            self.year
            and self.quarter
            and self.quarter_end(self.year, self.quarter) >= timezone.localdate()
        ):
            errors["quarter"] = _("That quarter has not ended yet.")
        if self.revenue_ytd > 0 and self.rd_ytd > self.revenue_ytd:
            errors["rd_ytd"] = _("R&D expense is above revenue.")
        if self.exports_ytd > self.revenue_ytd:
            errors["exports_ytd"] = _("Exports are above revenue.")
        if errors:
            raise ValidationError(errors)
