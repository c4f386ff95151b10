"""Projects won from higher levels (向上争取项目): the bureau recommends
applications to a city, provincial or national programme, records what the
higher level decided, and follows the running project through its mid-term
check and acceptance; and the reserve (储备库) of projects enterprises plan
to apply for."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.lib.models import GovernmentLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _money(label: StrOrPromise, **extra: Any) -> models.DecimalField:
    """An amount in 元, never negative."""
    return models.DecimalField(
        label,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        **extra,
    )


class Recommendation(models.Model):
    """推荐上报: one recommendation list sent upward for a call, under the
    bureau's document number."""

    call = models.ForeignKey(
        "projects.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    document_number = models.CharField(
        _("recommendation document number"), max_length=100, unique=True
    )
    recommended_on = models.DateField(_("recommended on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation list")
        verbose_name_plural = _("recommendation lists")
        ordering = ["-recommended_on", "-id"]

    def __str__(self) -> str:
        return self.document_number


class UpwardProject(models.Model):
    """One application recommended upward, then approved (在研) or not, then
    checked at mid-term and accepted."""

    class State(models.TextChoices):
        RECOMMENDED = "recommended", pgettext_lazy("upward", "Recommended upward")
        APPROVED = "approved", pgettext_lazy("upward", "Approved, running")
        NOT_APPROVED = "not_approved", pgettext_lazy("upward", "Not approved")
        ACCEPTED = "accepted", pgettext_lazy("upward", "Accepted")
        FAILED = "failed", pgettext_lazy("upward", "Failed acceptance")

    class Outcome(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("upward outcome", "Approved")
        NOT_APPROVED = "not_approved", pgettext_lazy("upward outcome", "Not approved")

    class MidtermResult(models.TextChoices):
        GOOD = "good", pgettext_lazy("midterm", "Good")
        PASS = "pass", pgettext_lazy("midterm", "Pass")
        RECTIFY = "rectify", pgettext_lazy("midterm", "Rectification required")

    class AcceptanceResult(models.TextChoices):
        PASSED = "passed", pgettext_lazy("acceptance", "Passed")
        FAILED = "failed", pgettext_lazy("acceptance", "Not passed")
        POSTPONED = "postponed", pgettext_lazy("acceptance", "Postponed")

    application = models.OneToOneField(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="upward",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation list"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    state = models.CharField(
        _("state"),
        max_length=14,
        choices=State.choices,
        default=State.RECOMMENDED,
        db_index=True,
    )
    # 立项 or not, as the higher level decided.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    higher_document_number = models.CharField(
        _("higher-level document number"), max_length=100, blank=True
    )
    funds_from_above = _money(_("funds from above"), null=True, blank=True)
    local_match = _money(_("district matching funds"), null=True, blank=True)
    # 中期检查
    midterm_on = models.DateField(_("mid-term check date"), null=True, blank=True)
    midterm_result = models.CharField(
        _("mid-term check result"),
        max_length=8,
        choices=MidtermResult.choices,
        blank=True,
    )
    # 验收 and the results reported at acceptance.
    acceptance_on = models.DateField(_("acceptance date"), null=True, blank=True)
    acceptance_result = models.CharField(
        _("acceptance result"),
        max_length=10,
        choices=AcceptanceResult.choices,
        blank=True,
    )
    new_output_value = _money(_("new output value"), null=True, blank=True)
    new_jobs = models.PositiveIntegerField(_("new jobs"), null=True, blank=True)
    patents_filed = models.PositiveIntegerField(
        _("patents filed"), null=True, blank=True
    )
    patents_granted = models.PositiveIntegerField(
        _("patents granted"), null=True, blank=True
    )
    other_results = models.TextField(_("other results"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("higher-level project")
        verbose_name_plural = _("higher-level projects")
        ordering = ["-recommendation__recommended_on", "-id"]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def is_running(self) -> bool:
        return self.state == self.State.APPROVED


class ReserveProject(models.Model):
    """储备库: a project an enterprise plans to apply for upward, promoted to
    an application when a call of the target programme opens."""

    class Status(models.TextChoices):
        RESERVE = "reserve", pgettext_lazy("reserve", "In reserve")
        PROMOTED = "promoted", pgettext_lazy("reserve", "Promoted to application")
        DROPPED = "dropped", pgettext_lazy("reserve", "Dropped")

    Level = GovernmentLevel

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="reserve_projects",
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"))
    target_level = models.CharField(
        _("target level"), max_length=12, choices=Level.choices
    )
    target_programme = models.ForeignKey(
        "projects.Programme",
        verbose_name=_("target programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected_year = models.PositiveSmallIntegerField(_("expected year"))
    planned_amount = _money(_("planned request"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.RESERVE,
        db_index=True,
    )
    application = models.OneToOneField(
        "projects.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reserve",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reserve project")
        verbose_name_plural = _("reserve projects")
        ordering = ["expected_year", "-id"]

    def __str__(self) -> str:
        return self.title
