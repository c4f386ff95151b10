from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewAssignment(models.Model):
    """An expert drawn to review one application. The expert sees the files
    only after declaring no conflict of interest, and only while open."""

    application = models.ForeignKey(
        "projects.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    expert = models.ForeignKey(
        "projects.Expert",
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    declared_at = models.DateTimeField(
        _("no conflict declared at"), null=True, blank=True
    )
    declined_reason = models.CharField(
        _("conflict declared"), max_length=200, blank=True
    )
    submitted_at = models.DateTimeField(_("review submitted at"), null=True, blank=True)
    # {criterion_id: score}
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    opinion = models.TextField(_("opinion"), blank=True)
    # Set when staff give the review to another expert (declined or overdue):
    # the expert loses the assignment and it no longer counts.
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="projects_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return str(
            _("%(expert)s reviewing “%(application)s”")
            % {"expert": self.expert, "application": self.application}
        )

    @property
    def is_open(self) -> bool:
        return (
            not self.declined_reason
            and self.replaced_at is None
            and self.application.call.panel_closed_at is None
        )

    @property
    def is_active(self) -> bool:
        """Counts towards the application's reviewers: not declined, not replaced."""
        return not self.declined_reason and self.replaced_at is None

    @property
    def due_on(self) -> datetime:
        return self.assigned_at + timedelta(days=settings.REVIEW_DUE_DAYS)

    @property
    def is_overdue(self) -> bool:
        return (
            self.is_active
            and self.submitted_at is None
            and timezone.now() > self.due_on
        )

    @property
    def is_replaceable(self) -> bool:
        """Declined, or overdue without a score, and not replaced yet."""
        return self.replaced_at is None and (
            bool(self.declined_reason) or self.is_overdue
        )


class PanelEvent(models.Model):
    """The record of a review panel being closed (with the applications that
    lacked a review then), closed early by force, or re-opened, with the
    reason given."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("Panel closed")
        FORCED_CLOSE = "forced_close", _("Panel closed before the call's deadline")
        REOPEN = "reopen", _("Panel re-opened")

    call = models.ForeignKey(
        "projects.Call",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="panel_events",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The titles of the applications still missing a review when closed.
    missing_reviews = models.JSONField(
        _("applications missing a review"), default=list, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review panel event")
        verbose_name_plural = _("review panel events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind}"
