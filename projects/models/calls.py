from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.lib.models import GovernmentLevel


class Programme(models.Model):
    Level = GovernmentLevel

    class Kind(models.TextChoices):
        GRANT = "grant", _("Competitive grant")
        REWARD = "reward", _("Policy reward")
        VOUCHER = "voucher", _("Innovation vouchers")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    midterm_threshold = models.DecimalField(
        _("mid-term check above"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Projects with an approved amount above this get a mid-term check."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """申报通知/指南: one round of a programme."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Accepting applications")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    eligible_tiers = models.ManyToManyField(
        "enterprises.Tier",
        verbose_name=_("eligible tiers"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to open the call to every enterprise."),
    )
    precheck_tier = models.ForeignKey(
        "enterprises.Tier",
        verbose_name=_("must meet the conditions of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The eligibility engine checks the applicant against this tier first."
        ),
    )
    field = models.ForeignKey(
        "projects.ProfessionalField",
        verbose_name=_("professional field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Reviewers are drawn from experts in this field or its parent; "
            "leave empty for every field."
        ),
    )
    required_attachments = models.JSONField(
        _("required attachment types"),
        default=list,
        blank=True,
        help_text=_('A list of names, e.g. ["营业执照", "项目可行性报告"].'),
    )
    budget_ceiling = models.DecimalField(
        _("budget ceiling"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    max_request = models.DecimalField(
        _("most one application may request"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    panel_closed_at = models.DateTimeField(
        _("review panel closed at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="projects_call_closes_after_opening",
                violation_error_message=_("The call must close after it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> str:
        if self.published_at is None:
            return self.Status.DRAFT
        if timezone.now() < self.closes_at:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_accepting(self) -> bool:
        now = timezone.now()
        return self.published_at is not None and self.opens_at <= now < self.closes_at


class RubricCriterion(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name
