"""Events the bureau and the streets hold (政策宣讲, 培训, 路演, 科普 …) with
the enterprises that attended, and the 科普 bases of the district."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.lib.models import GovernmentLevel


class Event(models.Model):
    class Kind(models.TextChoices):
        POLICY = "policy", _("Policy briefing (policy express)")
        MICRO_CLASS = "micro_class", _("Innovation micro-class")
        TRAINING = "training", _("Training")
        CONTEST = "contest", _("Innovation week or competition")
        ROADSHOW = "roadshow", _("Roadshow")
        BANK = "bank", _("Bank–enterprise matchmaking")
        ACADEMIA = "academia", _("Industry–academia matchmaking")
        SCIENCE_WEEK = "science_week", _("Science and technology week")
        SCIENCE_DAY = "science_day", _("National science popularisation day")
        COUNTRYSIDE = "countryside", _("Science to the countryside")
        OTHER = "other", pgettext_lazy("event kind", "Other")

    # The kinds that count as 科普 in the work summary.
    SCIENCE_KINDS = (Kind.SCIENCE_WEEK, Kind.SCIENCE_DAY, Kind.COUNTRYSIDE)

    kind = models.CharField(_("event type"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200)
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("held by street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for an event of the bureau."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("enterprises attending"),
        blank=True,
        related_name="events",
    )
    materials = models.PositiveIntegerField(
        _("materials handed out (copies)"), default=0
    )
    trained = models.PositiveIntegerField(_("people trained (person-times)"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["kind", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The event cannot end before it starts.")}
            )


class ScienceBase(models.Model):
    """科普基地: a recognised science-popularisation base."""

    Level = GovernmentLevel

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    host = models.CharField(_("host organisation"), max_length=200)
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("street or park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recognised_on = models.DateField(_("recognition date"))
    yearly_visitors = models.PositiveIntegerField(
        _("visitors a year (person-times)"), default=0
    )

    class Meta:
        verbose_name = _("science popularisation base")
        verbose_name_plural = _("science popularisation bases")
        ordering = ["-recognised_on", "id"]

    def __str__(self) -> str:
        return self.name
