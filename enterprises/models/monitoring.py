from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringReport(models.Model):
    """The quarterly monitoring (季度监测) outcome for one street or park.
    Re-running the quarter replaces its reports; it never adds more."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    org_unit = models.ForeignKey(
        "bureau.OrgUnit", verbose_name=_("street or park"), on_delete=models.PROTECT
    )
    enterprises_monitored = models.PositiveIntegerField(_("enterprises monitored"))
    filed_on_time = models.PositiveIntegerField(_("filed on time"))
    filed_late = models.PositiveIntegerField(_("filed late"))
    missing = models.PositiveIntegerField(_("missing"))
    decliners = models.PositiveIntegerField(_("revenue declining"))
    expiring = models.PositiveIntegerField(_("certificates expiring"))
    # One entry per enterprise needing attention: {"id", "name", "flags": [...],
    # "revenue_yoy": "0.12"|null, "expires_on": "2026-03-01"|null}
    details = models.JSONField(_("details"), default=list)
    generated_at = models.DateTimeField(_("generated at"), auto_now=True)

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-year", "-quarter", "org_unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "org_unit"],
                name="enterprises_monitoringreport_one_per_unit",
            )
        ]

    def __str__(self) -> str:
        from bureau.lib.periods import quarter_label

        return f"{quarter_label(self.year, self.quarter)} {self.org_unit}"


class AssessmentCriterion(models.Model):
    """One yearly assessment (年度考核) criterion of a tier, kept in data
    because the district writes its own rules (RULES §6.4 [U])."""

    class Metric(models.TextChoices):
        REVENUE_GROWTH = "revenue_growth", _("Revenue growth")
        RD_RATIO = "rd_ratio", _("R&D / sales revenue")
        RD_GROWTH = "rd_growth", _("R&D growth")
        IP_CLASS1 = "ip_class1", _("Class Ⅰ IP held")
        QUARTERLY_FILED = "quarterly_filed", _("Quarterly reports filed")

    tier = models.ForeignKey(
        "enterprises.Tier", verbose_name=_("tier"), on_delete=models.PROTECT
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4)
    points = models.PositiveSmallIntegerField(_("points when met"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["tier", "metric"]

    def __str__(self) -> str:
        return f"{self.tier} {self.get_metric_display()} ≥ {self.threshold}"


class EchelonAssessment(models.Model):
    """The yearly assessment of one district-tier enterprise and its outcome."""

    class Outcome(models.TextChoices):
        KEEP = "keep", _("Keep echelon")
        PROMOTE = "promote", _("Promote")
        DEMOTE = "demote", _("Move down")
        DROP = "drop", _("Drop from the tier")

    certification = models.ForeignKey(
        "enterprises.Certification",
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("assessed year"))
    score = models.PositiveSmallIntegerField(_("score"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    echelon_before = models.PositiveSmallIntegerField(_("echelon before"), null=True)
    echelon_after = models.PositiveSmallIntegerField(_("echelon after"), null=True)
    reason = models.CharField(_("reason"), max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("echelon assessment")
        verbose_name_plural = _("echelon assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "year"],
                name="enterprises_assessment_one_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification} {self.year} {self.outcome}"


class EligibilitySnapshot(models.Model):
    """The latest pre-assessment of an enterprise against the next tier up,
    refreshed nightly, so "closest to qualifying" lists read one table."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    tier = models.ForeignKey(
        "enterprises.Tier",
        verbose_name=_("tier"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    computed_on = models.DateField(_("computed on"))
    # None: nothing missed but something pending (待核实).
    eligible = models.BooleanField(_("eligible"), null=True)
    failed_count = models.PositiveSmallIntegerField(_("conditions missed"))
    pending_count = models.PositiveSmallIntegerField(_("conditions pending"), default=0)
    gap_score = models.DecimalField(_("gap"), max_digits=8, decimal_places=4)
    # [{"code", "message"}] of the missed and pending conditions.
    failed = models.JSONField(_("missed conditions"), default=list)

    class Meta:
        verbose_name = _("eligibility snapshot")
        verbose_name_plural = _("eligibility snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tier"], name="enterprises_snapshot_one_per_tier"
            )
        ]
        indexes = [models.Index(fields=["tier", "failed_count", "gap_score"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.tier_id}"
