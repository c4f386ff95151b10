from __future__ import annotations

from django.db import models
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
            not self.declined_reason and self.application.call.panel_closed_at is None
        )
