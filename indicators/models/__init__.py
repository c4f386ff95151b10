from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from indicators.calc import ComputedSource


class Indicator(models.Model):
    """An indicator the bureau is judged on (RULES §5.1). A ratio indicator
    is numerator ÷ denominator × factor, the two aggregated separately first."""

    class Kind(models.TextChoices):
        RAW = "raw", _("Raw value")
        RATIO = "ratio", _("Ratio of two indicators")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum over periods")
        LAST = "last", _("Last value (stock)")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported or entered")
        NEW_HNTE = "new_hnte", _("Computed: newly certified high-tech enterprises")
        TECH_SME_COUNT = (
            "tech_sme_count",
            _("Computed: tech-based SMEs entered this year"),
        )
        PROJECT_FUNDS = (
            "project_funds",
            _("Computed: funds won from higher-level programmes"),
        )
        TECH_LOANS = "tech_loans", _("Computed: tech loans granted")
        UPWARD_FUNDS = (
            "upward_funds",
            _("Computed: funds from above by street"),
        )
        UPWARD_RECOMMENDED = (
            "upward_recommend",
            _("Computed: applications recommended upward"),
        )
        UPWARD_APPROVED = (
            "upward_approved",
            _("Computed: applications approved upward"),
        )
        CONTRACT_OUT_AMOUNT = (
            "contract_out_amt",
            _("Computed: technology contract amount, output"),
        )
        CONTRACT_IN_AMOUNT = (
            "contract_in_amt",
            _("Computed: technology contract amount, absorbed"),
        )
        CONTRACT_OUT_COUNT = (
            "contract_out_n",
            _("Computed: technology contracts registered, output"),
        )
        CONTRACT_IN_COUNT = (
            "contract_in_n",
            _("Computed: technology contracts registered, absorbed"),
        )
        RD_REPORTING = "rd_reporting", _("Computed: units reporting R&D spending")
        RD_NEW_REPORTING = (
            "rd_new_reporting",
            _("Computed: units reporting R&D spending for the first time"),
        )
        RD_ABOVE_ACTIVE = (
            "rd_above_active",
            _("Computed: above-size enterprises with R&D spending"),
        )
        RD_ABOVE_UNITS = (
            "rd_above_units",
            _("Computed: above-size enterprises on the R&D ledger"),
        )
        RD_INSTITUTION_COVERAGE = (
            "rd_inst_coverage",
            _("Computed: share of 规上 enterprises with an R&D institution"),
        )

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(
        _("unit"),
        max_length=20,
        help_text=_("The unit of the figures, e.g. 万元, 亿元, %, 件 or 家."),
    )
    kind = models.CharField(
        _("kind"), max_length=5, choices=Kind.choices, default=Kind.RAW
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    factor = models.DecimalField(
        _("factor"), max_digits=12, decimal_places=4, default=Decimal(1)
    )
    aggregation = models.CharField(
        _("aggregation"),
        max_length=4,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    ytd = models.BooleanField(
        _("year-to-date values"),
        default=False,
        help_text=_(
            "Each period's value already covers the year so far; never summed."
        ),
    )
    direction = models.CharField(
        _("direction"),
        max_length=6,
        choices=Direction.choices,
        default=Direction.HIGHER,
    )
    district_only = models.BooleanField(
        _("district level only"),
        default=False,
        help_text=_("No values for streets and parks."),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.IMPORT
    )
    is_headline = models.BooleanField(_("on the dashboard"), default=False)
    # 序时进度: cumulative share of the year's target due by the end of each
    # month (12 fractions); empty means linear (month/12).
    schedule = models.JSONField(_("time-elapsed schedule"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.RATIO and not (
            self.numerator_id and self.denominator_id
        ):
            raise ValidationError(
                _("A ratio indicator needs a numerator and a denominator.")
            )
        if self.kind == self.Kind.RAW and (self.numerator_id or self.denominator_id):
            raise ValidationError(
                _("Only a ratio indicator has a numerator and a denominator.")
            )
        declared = self.declared_source
        if declared is not None:
            wanted = self.Aggregation.SUM if declared.flow else self.Aggregation.LAST
            if self.kind != self.Kind.RAW or self.aggregation != wanted or self.ytd:
                raise ValidationError(
                    {
                        "aggregation": _(
                            "This computed indicator is a %(nature)s: "
                            "aggregation must be “%(wanted)s”."
                        )
                        % {
                            "nature": _("flow") if declared.flow else _("stock"),
                            "wanted": self.Aggregation(wanted).label,
                        }
                    }
                )
        if self.schedule:
            if len(self.schedule) != 12 or any(
                not 0 <= Decimal(str(x)) <= 1 for x in self.schedule
            ):
                raise ValidationError(
                    {"schedule": _("Give 12 cumulative shares between 0 and 1.")}
                )

    @property
    def declared_source(self) -> ComputedSource | None:
        """The declaration of a computed indicator's source (flow or stock,
        default schedule); None for an imported one."""
        from indicators.calc import COMPUTED_SOURCES

        return COMPUTED_SOURCES.get(self.source)

    def schedule_share(self, month: int) -> Decimal:
        """The share of the year's target due by the end of `month` (1–12):
        the indicator's schedule, else its computed source's, else linear."""
        if month <= 0:
            return Decimal(0)
        declared = self.declared_source
        schedule = self.schedule or (declared.schedule if declared else ())
        if schedule:
            return Decimal(str(schedule[min(month, 12) - 1]))
        return Decimal(min(month, 12)) / 12


class ImportBatch(models.Model):
    """One uploaded workbook of values: kept so it can be read and undone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    file = models.FileField(upload_to="private/indicator-imports/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("values created"), default=0)
    replaced = models.PositiveIntegerField(_("values replaced"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator import")
        verbose_name_plural = _("indicator imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class DataValue(models.Model):
    """The value of an indicator for an org unit and a period."""

    class PeriodType(models.TextChoices):
        YEAR = "Y", _("Year")
        QUARTER = "Q", _("Quarter")
        MONTH = "M", _("Month")

    class Source(models.TextChoices):
        IMPORT = "import", _("Import")
        MANUAL = "manual", _("Manual entry")
        COMPUTED = "computed", _("Computed")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_type = models.CharField(
        _("period type"), max_length=1, choices=PeriodType.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(_("quarter or month"), default=0)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="values",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "period_type", "year", "period"],
                name="indicators_value_one_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_type="Y", period=0)
                | Q(period_type="Q", period__gte=1, period__lte=4)
                | Q(period_type="M", period__gte=1, period__lte=12),
                name="indicators_value_period_in_range",
            ),
        ]
        indexes = [models.Index(fields=["year", "indicator", "org_unit"])]

    def __str__(self) -> str:
        # Shown in the audit log: the indicator's and the unit's names.
        return f"{self.indicator.name} · {self.org_unit.name} · {self.period_text}"

    @property
    def period_text(self) -> str:
        """The period as a Chinese report writes it: 2025年, 2025年第3季度,
        2025年7月."""
        values = {"year": self.year, "period": self.period}
        if self.period_type == self.PeriodType.YEAR:
            return gettext("year %(year)s") % values
        if self.period_type == self.PeriodType.QUARTER:
            from bureau.lib.periods import quarter_label

            return quarter_label(self.year, self.period)
        return gettext("%(year)s-%(period)02d") % values

    @property
    def period_label(self) -> str:
        if self.period_type == self.PeriodType.YEAR:
            return str(self.year)
        if self.period_type == self.PeriodType.QUARTER:
            return f"{self.year}Q{self.period}"
        return f"{self.year}-{self.period:02d}"


class ReplacedValue(models.Model):
    """What an import overwrote, so rolling the batch back restores it."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="replaced_values"
    )
    data_value = models.ForeignKey(
        DataValue, on_delete=models.CASCADE, related_name="+"
    )
    old_value = models.DecimalField(max_digits=20, decimal_places=4)
    old_source = models.CharField(max_length=8)
    old_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.data_value_id} was {self.old_value}"


class Target(models.Model):
    """An annual target of an org unit. A change mid-year adds a version; the
    highest version is in force."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "org_unit", "year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "year", "version"],
                name="indicators_target_version_once",
            )
        ]

    def __str__(self) -> str:
        # Shown in the audit log: the indicator's and the unit's names.
        return f"{self.indicator.name} · {self.org_unit.name} · " + gettext(
            "year %(year)s"
        ) % {"year": self.year}


# The ledgers' models live in their own modules; imported last so that the
# app's models are all registered when Django loads this package.
from indicators.models.contracts import Achievement, TechContract  # noqa: E402
from indicators.models.groups import ComparisonGroup  # noqa: E402
from indicators.models.rdstats import RDReportingUnit  # noqa: E402
from indicators.models.value_groups import ValueGroup  # noqa: E402

__all__ = [
    "Achievement",
    "ComparisonGroup",
    "DataValue",
    "ImportBatch",
    "Indicator",
    "RDReportingUnit",
    "ReplacedValue",
    "Target",
    "TechContract",
    "ValueGroup",
]
