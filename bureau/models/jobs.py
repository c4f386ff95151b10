"""Background jobs: work too long for a web request (a large Excel export,
the Word work summary, an import) run by a Celery worker while the page
polls its progress; the result is a file kept for its owner until it
expires, or a result to show (an import's counts or its refused cells)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("started by"),
    )
    # A kind registered by an app (bureau.services.jobs.register_job_kind).
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    # What the job works on: the list's filters as the page had them
    # ({name: [values]}), or the year of a summary.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    # The uploaded file an import job reads (kept only while the job is).
    upload = models.FileField(upload_to="private/job-uploads/", blank=True)
    # The file produced, under MEDIA_ROOT/exports in the default storage (so
    # object storage serves it when MEDIA_STORAGE_URL is set).
    file = models.FileField(upload_to="exports/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # What a finished job has to say: an import's counts, or its refused
    # cells [{row, column, message}].
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["owner", "-created_at"], name="bureau_job_owner_recent"
            ),
            models.Index(fields=["expires_at"], name="bureau_job_expires"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
