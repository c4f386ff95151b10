"""The staff roster of an enterprise for one year (RULES §2.3, §3.4): one
row per person, names and ID numbers encrypted; enterprises/staff_rules.py
derives the annual figures from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.lib.fields import EncryptedTextField
from enterprises import staff_rules


class StaffRoster(models.Model):
    """The roster an enterprise handed in for one year; a new import for
    the same year replaces its people."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="staff_rosters",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("staff roster")
        verbose_name_plural = _("staff rosters")
        ordering = ["-year", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="enterprises_staffroster_one_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class RosterPerson(models.Model):
    class Kind(models.TextChoices):
        EMPLOYED = staff_rules.EMPLOYED, _("Employed")
        PART_TIME = staff_rules.PART_TIME, _("Part-time")
        TEMPORARY = staff_rules.TEMPORARY, _("Temporary")

    class Education(models.TextChoices):
        DOCTORATE = "doctorate", _("Doctorate")
        MASTER = "master", _("Master's degree")
        BACHELOR = "bachelor", _("Bachelor's degree")
        COLLEGE = "college", _("College diploma")
        OTHER = "other", _("Below college")

    roster = models.ForeignKey(
        StaffRoster,
        verbose_name=_("staff roster"),
        on_delete=models.CASCADE,
        related_name="people",
    )
    name = EncryptedTextField(_("full name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), max_length=30, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(
        _("ID number"), max_length=30, blank=True, editable=False
    )
    kind = models.CharField(
        _("employment"), max_length=10, choices=Kind.choices, default=Kind.EMPLOYED
    )
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    is_tech = models.BooleanField(_("S&T staff"), default=False)
    is_rd = models.BooleanField(_("R&D staff"), default=False)
    start_on = models.DateField(_("start date"), null=True, blank=True)
    end_on = models.DateField(_("end date"), null=True, blank=True)
    days_worked = models.PositiveSmallIntegerField(
        _("days worked in the year"), null=True, blank=True
    )
    months_worked = models.PositiveSmallIntegerField(
        _("months worked in the year"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("person on the roster")
        verbose_name_plural = _("people on the roster")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id_number_masked or str(self.pk)

    def facts(self) -> staff_rules.PersonFacts:
        return staff_rules.PersonFacts(
            kind=self.kind,
            is_tech=self.is_tech,
            is_rd=self.is_rd,
            start_on=self.start_on,
            end_on=self.end_on,
            days_worked=self.days_worked,
            months_worked=self.months_worked,
        )
