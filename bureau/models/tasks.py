"""Tasks handed down from above (督办任务) and the bureau's calendar of
recurring deadlines (工作日历), with the reminders already sent so that a
reminder goes out once per task (or deadline occurrence) and person."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.models import Role  # defined before bureau.models imports this module


class LineOfWork(models.TextChoices):
    """The bureau's lines of work a task or a deadline belongs to."""

    ENTERPRISES = "enterprises", _("Enterprise cultivation")
    PROJECTS = "projects", _("Projects and funding")
    STATISTICS = "statistics", _("R&D statistics")
    SCIENCE = "science", _("Science popularisation")
    CARRIERS = "carriers", _("Innovation carriers")
    TALENT = "talent", _("Talent")
    COOPERATION = "cooperation", _("Cooperation")
    GENERAL = "general", _("General affairs")


class Task(models.Model):
    """A task from a notice from above: who owns it (a section, a street, a
    person or an enterprise) and by when. Its status (待办/进行中/已完成/逾期)
    is derived from `state` and the due date (bureau.deadlines.task_status)."""

    class OwnerKind(models.TextChoices):
        SECTION = "section", _("Section")
        STREET = "street", _("Street or park")
        USER = "user", _("Person")
        ENTERPRISE = "enterprise", _("Enterprise")

    class State(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class Status(models.TextChoices):
        """What the lists show: `state` with 逾期 for an unfinished task
        past its due date."""

        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        OVERDUE = "overdue", _("Overdue")

    title = models.CharField(_("task"), max_length=200)
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("The notice's number, e.g. 杭科高〔2026〕12号."),
    )
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    description = models.TextField(_("requirements"), blank=True)
    line_of_work = models.CharField(
        _("line of work"),
        max_length=20,
        choices=LineOfWork.choices,
        default=LineOfWork.GENERAL,
    )
    owner_kind = models.CharField(
        _("owner type"), max_length=12, choices=OwnerKind.choices
    )
    owner_section = models.CharField(
        _("owning section"),
        max_length=50,
        blank=True,
        help_text=_("One of the sections of the TASK_SECTIONS setting."),
    )
    owner_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("owning street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_owned",
    )
    owner_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("owning enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    due_on = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN
    )
    result = models.TextField(_("result"), blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    attachment_text = models.TextField(_("attachment text"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="tasks_assigned",
    )
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_display(self) -> str:
        if self.owner_kind == self.OwnerKind.SECTION:
            return self.owner_section
        owner = {
            self.OwnerKind.STREET: self.owner_unit,
            self.OwnerKind.USER: self.owner_user,
            self.OwnerKind.ENTERPRISE: self.owner_enterprise,
        }.get(self.owner_kind)  # type: ignore[call-overload]
        return str(owner) if owner is not None else ""

    def clean(self) -> None:
        super().clean()
        needed = {
            self.OwnerKind.SECTION: ("owner_section", bool(self.owner_section)),
            self.OwnerKind.STREET: ("owner_unit", self.owner_unit_id is not None),
            self.OwnerKind.USER: ("owner_user", self.owner_user_id is not None),
            self.OwnerKind.ENTERPRISE: (
                "owner_enterprise",
                self.owner_enterprise_id is not None,
            ),
        }
        if self.owner_kind in needed:
            field, given = needed[self.owner_kind]  # type: ignore[index]
            if not given:
                raise ValidationError({field: _("Choose who owns the task.")})
            # Only the owner of the chosen kind is kept.
            kind = self.owner_kind
            if kind != self.OwnerKind.SECTION:
                self.owner_section = ""
            if kind != self.OwnerKind.STREET:
                self.owner_unit = None
            if kind != self.OwnerKind.USER:
                self.owner_user = None
            if kind != self.OwnerKind.ENTERPRISE:
                self.owner_enterprise = None
        if self.owner_kind == self.OwnerKind.SECTION:
            sections = list(settings.TASK_SECTIONS)
            if self.owner_section not in sections:
                raise ValidationError(
                    {
                        "owner_section": _("Choose one of: %(sections)s.")
                        % {"sections": "、".join(sections)}
                    }
                )
        if (
            self.owner_kind == self.OwnerKind.STREET
            and self.owner_unit is not None
            and not self.owner_unit.is_street_or_park
        ):
            raise ValidationError({"owner_unit": _("Choose a street or a park.")})
        if self.received_on and self.due_on and self.due_on < self.received_on:
            raise ValidationError(
                {"due_on": _("The due date is before the notice was received.")}
            )


class TaskNote(models.Model):
    """One entry of a task's progress log."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("progress"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class TaskReminder(models.Model):
    """A reminder sent about a task: one per task, person and kind."""

    class Kind(models.TextChoices):
        AHEAD = "ahead", _("Before the due date")
        DUE = "due", _("On the due date")
        OVERDUE = "overdue", _("Past the due date")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user", "kind"], name="bureau_task_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_kind_display()}"


class Deadline(models.Model):
    """A deadline that comes back every year: on a fixed day, or on a date
    set for each year (DeadlineDate) when the notice gives it."""

    class Rule(models.TextChoices):
        FIXED = "fixed", _("Same day every year")
        PER_YEAR = "per_year", _("Date set each year")

    # The roles a deadline may remind: the deadline form's and the import's.
    REMINDED_ROLES = (
        Role.STAFF,
        Role.SECTION_HEAD,
        Role.LEADER,
        Role.STREET_LIAISON,
        Role.ENTERPRISE,
    )

    name = models.CharField(_("name"), max_length=100, unique=True)
    rule = models.CharField(_("date rule"), max_length=10, choices=Rule.choices)
    month = models.PositiveSmallIntegerField(
        _("month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    day = models.PositiveSmallIntegerField(
        _("day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    line_of_work = models.CharField(
        _("line of work"),
        max_length=20,
        choices=LineOfWork.choices,
        default=LineOfWork.GENERAL,
    )
    remind_roles = models.JSONField(
        _("roles reminded"),
        default=list,
        blank=True,
        help_text=_("The roles whose users are reminded."),
    )
    remind_sections = models.CharField(
        _("sections responsible"), max_length=200, blank=True
    )
    lead_days = models.PositiveSmallIntegerField(
        _("reminder lead days"),
        default=14,
        validators=[MaxValueValidator(120)],
        help_text=_("How many days ahead the reminder goes out."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("recurring deadline")
        verbose_name_plural = _("recurring deadlines")
        ordering = ["month", "day", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from bureau.deadlines import fixed_date

        if self.rule == self.Rule.FIXED:
            if self.month is None or self.day is None:
                raise ValidationError(
                    {
                        "day": _(
                            "A deadline on the same day every year needs its month and day."
                        )
                    }
                )
            if fixed_date(2024, self.month, self.day) is None:  # a leap year
                raise ValidationError({"day": _("No such day in that month.")})
        unknown = [r for r in self.remind_roles or [] if r not in self.REMINDED_ROLES]
        if unknown:
            raise ValidationError(
                {
                    "remind_roles": _("Only these roles can be reminded: %(roles)s.")
                    % {"roles": "、".join(str(r.label) for r in self.REMINDED_ROLES)}
                }
            )


class DeadlineDate(models.Model):
    """The date of a per-year deadline in one year (e.g. 科技活动周 2026)."""

    deadline = models.ForeignKey(
        Deadline,
        verbose_name=_("deadline"),
        on_delete=models.CASCADE,
        related_name="dates",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("deadline date")
        verbose_name_plural = _("deadline dates")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "year"], name="bureau_deadline_date_year_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline} {self.date}"


class DeadlineReminder(models.Model):
    """A reminder sent about one occurrence of a deadline to one person."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders"
    )
    occurs_on = models.DateField(_("occurs on"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "occurs_on", "user"],
                name="bureau_deadline_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deadline} {self.occurs_on}"
