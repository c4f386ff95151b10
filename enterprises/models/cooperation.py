"""Cooperation with universities and institutes (校地/校企/院地合作), the
follow-up visits that keep an agreement alive, and innovation alliances and
consortia (创新联合体, 产业技术创新联盟)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.lib.models import GovernmentLevel


class Agreement(models.Model):
    """A cooperation agreement. The parties on our side are the district
    itself and/or registry organisations; the partner is a university or
    institute, in the registry or (when outside the district) by name."""

    class Kind(models.TextChoices):
        UNIVERSITY_DISTRICT = "univ_district", _("University–district")
        UNIVERSITY_ENTERPRISE = "univ_enterprise", _("University–enterprise")
        INSTITUTE_DISTRICT = "inst_district", _("Institute–district")
        INSTITUTE_ENTERPRISE = "inst_enterprise", _("Institute–enterprise")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    district_is_party = models.BooleanField(
        _("signed by the district"),
        default=False,
        help_text=_("The district government or the bureau is a party."),
    )
    parties = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("parties in the district"),
        blank=True,
        related_name="agreements",
    )
    partner = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("partner in the registry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_agreements",
    )
    partner_name = models.CharField(
        _("partner outside the registry"),
        max_length=200,
        blank=True,
        help_text=_("The university or institute's name when it is not registered."),
    )
    signed_on = models.DateField(_("signing date"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    content = models.TextField(_("content"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    platforms = models.ManyToManyField(
        "enterprises.RDInstitution",
        verbose_name=_("co-built platforms"),
        blank=True,
        related_name="agreements",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(term_ends_on__gte=models.F("signed_on")),
                name="enterprises_agreement_term_after_signing",
                violation_error_message=_("The term ends before the signing date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def partner_display(self) -> str:
        return self.partner.name if self.partner is not None else self.partner_name

    def clean(self) -> None:
        if not self.partner_id and not self.partner_name.strip():
            raise ValidationError(
                {
                    "partner_name": _(
                        "Choose the partner in the registry or type its name."
                    )
                }
            )
        if self.partner_id and self.partner_name.strip():
            raise ValidationError(
                {
                    "partner_name": _(
                        "Leave the name empty when the partner is chosen "
                        "from the registry."
                    )
                }
            )


class CooperationVisit(models.Model):
    """A follow-up visit (回访, 对接) on an agreement and what came of it."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("cooperation agreement"),
        on_delete=models.CASCADE,
        related_name="visits",
    )
    visited_on = models.DateField(_("visit date"))
    visitors = models.CharField(_("who went"), max_length=200)
    outcome = models.TextField(_("outcome"), blank=True)
    projects = models.PositiveSmallIntegerField(_("projects"), default=0)
    platforms = models.PositiveSmallIntegerField(_("platforms"), default=0)
    talents = models.PositiveSmallIntegerField(_("talents"), default=0)
    achievements = models.PositiveSmallIntegerField(_("achievements"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation follow-up visit")
        verbose_name_plural = _("cooperation follow-up visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.visited_on}"


class Alliance(models.Model):
    """An innovation consortium (创新联合体) or industry technology
    innovation alliance (产业技术创新联盟): a lead and its members."""

    class Kind(models.TextChoices):
        CONSORTIUM = "consortium", _("Innovation consortium")
        ALLIANCE = "alliance", _("Industry technology innovation alliance")

    Level = GovernmentLevel

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("An alliance with this name already exists.")},
    )
    lead = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_alliances",
    )
    members = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("members"),
        blank=True,
        related_name="alliances",
    )
    outside_members = models.TextField(
        _("members outside the district"),
        blank=True,
        help_text=_("One name a line: universities or firms not in the registry."),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    founded_on = models.DateField(_("founding date"))
    field = models.CharField(_("field"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["-founded_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def outside_member_names(self) -> list[str]:
        return [
            line.strip() for line in self.outside_members.splitlines() if line.strip()
        ]
