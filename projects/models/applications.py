from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Application(models.Model):
    """An enterprise's application to a call, moved through the states of
    DESIGN §5 only by projects.workflow."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("application state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
        RETURNED = (
            "returned",
            pgettext_lazy("application state", "Returned for revision"),
        )
        WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")
        UNDER_REVIEW = (
            "under_review",
            pgettext_lazy("application state", "Under review"),
        )
        REJECTED = "rejected", pgettext_lazy("application state", "Rejected")
        APPROVED = "approved", pgettext_lazy("application state", "Approved")
        CONTRACTED = "contracted", pgettext_lazy("application state", "Contracted")
        MIDTERM_PASSED = (
            "midterm_passed",
            pgettext_lazy("application state", "Mid-term check passed"),
        )
        ACCEPTED = "accepted", pgettext_lazy("application state", "Accepted")
        FAILED_ACCEPTANCE = (
            "failed_acceptance",
            pgettext_lazy("application state", "Failed acceptance"),
        )
        CLOSED = "closed", pgettext_lazy("application state", "Closed")
        TERMINATED = "terminated", pgettext_lazy("application state", "Terminated")

    call = models.ForeignKey(
        "projects.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"))
    content = models.TextField(_("project content"), blank=True)
    field = models.ForeignKey(
        "projects.ProfessionalField",
        verbose_name=_("professional field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_amount = models.DecimalField(
        _("requested amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    approved_amount = models.DecimalField(
        _("approved amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.DRAFT,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("state changed at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    rectification_used = models.BooleanField(_("rectification used"), default=False)
    # 多头申报: the same project filed in overlapping calls (flagged to staff).
    duplicate_of = models.ManyToManyField(
        "self", verbose_name=_("possible duplicates"), blank=True, symmetrical=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["call", "state"]),
            models.Index(fields=["enterprise", "state"]),
            # The lists' order: newest first.
            models.Index(
                fields=["-created_at", "-id"], name="projects_app_newest_first"
            ),
            # The same order within each filter of the list (state, call,
            # enterprise), so a filtered page is an index range, not a sort.
            models.Index(
                fields=["state", "-created_at", "-id"],
                name="projects_app_state_newest",
            ),
            models.Index(
                fields=["call", "-created_at", "-id"], name="projects_app_call_newest"
            ),
            models.Index(
                fields=["enterprise", "-created_at", "-id"],
                name="projects_app_ent_newest",
            ),
            # The work queue's order within its states.
            models.Index(
                fields=["state", "state_changed_at", "id"],
                name="projects_app_queue_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class Transition(models.Model):
    """One move of an application: who, when, from and to, and why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=Application.State.choices
    )
    to_state = models.CharField(
        _("to"), max_length=20, choices=Application.State.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment costs")
        MATERIALS = "materials", _("Materials costs")
        TESTING = "testing", _("Testing, assay and processing costs")
        FUEL = "fuel", _("Fuel and power costs")
        TRAVEL = "travel", _("Travel, meeting and international exchange costs")
        PUBLICATION = (
            "publication",
            _("Publication, literature, information and IP costs"),
        )
        LABOUR = "labour", _("Labour costs")
        EXPERT = "expert", _("Expert consultation fees")
        OTHER = "other", _("Other costs")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class TeamMember(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="team_members"
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role in the project"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Attachment, filename: str) -> str:
    import uuid

    return f"private/applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """Stored outside the web root under a random name; served only by a view
    that checks the caller may see the application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("attachment type"), max_length=100)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"
