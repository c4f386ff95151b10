"""The IP register and the technology-transfer register of an enterprise
(RULES §2.3, §2.5, §3.2); the rules that read them are enterprises/ip_rules.py."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises import ip_rules


class IPItem(models.Model):
    """One item of intellectual property the enterprise holds or applied for."""

    class Type(models.TextChoices):
        INVENTION = "invention", _("Invention patent")
        DEFENCE_PATENT = "defence_patent", _("Defence patent")
        UTILITY = "utility", _("Utility model patent")
        DESIGN = "design", _("Design patent")
        SOFTWARE = "software", _("Software copyright")
        IC_LAYOUT = "ic_layout", _("IC layout design")
        PLANT_VARIETY = "plant_variety", _("New plant variety")
        CROP_VARIETY = "crop_variety", _("National crop variety")
        NEW_DRUG = "new_drug", _("National new drug")
        TCM_VARIETY = "tcm_variety", _("National first-grade protected TCM variety")
        TRADEMARK = "trademark", _("Trademark")
        OTHER = "other", pgettext_lazy("IP type", "Other")

    class Class(models.TextChoices):
        CLASS_1 = ip_rules.CLASS_1, _("Class Ⅰ")
        CLASS_2 = ip_rules.CLASS_2, _("Class Ⅱ")
        NOT_COUNTED = ip_rules.NOT_COUNTED, _("Not counted")

    class Status(models.TextChoices):
        PENDING = "pending", _("Application pending")
        GRANTED = ip_rules.GRANTED, _("Granted")
        LAPSED = "lapsed", _("Lapsed")
        TRANSFERRED = "transferred", _("Transferred out")

    class Ownership(models.TextChoices):
        OWN_RD = ip_rules.OWN_RD, _("Own R&D")
        TRANSFER = "transfer", _("Acquired by transfer")
        GIFT = "gift", _("Received as a gift")
        MERGER = "merger", _("Acquired by merger")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="ip_items",
    )
    ip_type = models.CharField(_("IP type"), max_length=20, choices=Type.choices)
    ip_class = models.CharField(
        _("IP class"),
        max_length=1,
        choices=Class.choices,
        blank=True,
        editable=False,
        help_text=_("Derived from the type (RULES §2.3)."),
    )
    number = models.CharField(_("application or registration number"), max_length=50)
    title = models.CharField(_("name of the IP"), max_length=200)
    applied_on = models.DateField(_("application date"), null=True, blank=True)
    granted_on = models.DateField(_("grant date"), null=True, blank=True)
    expires_on = models.DateField(
        _("protection ends"),
        null=True,
        blank=True,
        help_text=_("The last day of legal protection, if known."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.GRANTED
    )
    ownership = models.CharField(
        _("how obtained"),
        max_length=10,
        choices=Ownership.choices,
        default=Ownership.OWN_RD,
    )
    hnte_used_year = models.PositiveSmallIntegerField(
        _("used for a 高企 application in"),
        null=True,
        blank=True,
        help_text=_("The year of the 高企 application that already used it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("IP item")
        verbose_name_plural = _("IP items")
        ordering = ["-granted_on", "-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "ip_type", "number"],
                name="enterprises_ipitem_one_per_number",
                violation_error_message=_(
                    "This enterprise already has an item of this type with that number."
                ),
            )
        ]
        indexes = [models.Index(fields=["enterprise", "status"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.ip_class = ip_rules.ip_class_of(self.ip_type)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        self.ip_class = ip_rules.ip_class_of(self.ip_type)
        errors: dict[str, object] = {}
        if self.status == self.Status.GRANTED and self.granted_on is None:
            errors["granted_on"] = _("A granted item needs its grant date.")
        if self.applied_on and self.granted_on and self.granted_on < self.applied_on:
            errors["granted_on"] = _("The grant date is before the application date.")
        if self.granted_on and self.expires_on and self.expires_on < self.granted_on:
            errors["expires_on"] = _("Protection cannot end before the grant date.")
        if self.hnte_used_year and self.granted_on:
            if self.hnte_used_year < self.granted_on.year:
                errors["hnte_used_year"] = _(
                    "An application cannot have used the item before its grant."
                )
        if errors:
            raise ValidationError(errors)

    def facts(self) -> ip_rules.IPFacts:
        return ip_rules.IPFacts(
            ip_class=self.ip_class,
            status=self.status,
            granted_on=self.granted_on,
            expires_on=self.expires_on,
            ownership=self.ownership,
            hnte_used_year=self.hnte_used_year,
        )


class TechTransfer(models.Model):
    """One conversion of a technology result (成果转化) in a year. A result
    converted in several years or by several contracts has several rows
    with the same title; it counts once (RULES §2.5)."""

    class Way(models.TextChoices):
        OWN_USE = "own_use", _("Used in own products or processes")
        TRANSFER = "transfer", _("Transferred")
        LICENCE = "licence", _("Licensed")
        JOINT = "joint", _("Jointly commercialised")
        EQUITY = "equity", _("Contributed as equity")
        OTHER = "other", pgettext_lazy("transfer way", "Other")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="tech_transfer_records",
    )
    title = models.CharField(_("technology result"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    way = models.CharField(_("way of conversion"), max_length=10, choices=Way.choices)
    contract_number = models.CharField(
        _("transfer contract number"), max_length=50, blank=True
    )
    ip_items = models.ManyToManyField(
        IPItem, verbose_name=_("IP items"), blank=True, related_name="transfers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("technology transfer")
        verbose_name_plural = _("technology transfers")
        ordering = ["-year", "title", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    def facts(self) -> ip_rules.TransferFacts:
        return ip_rules.TransferFacts(
            result_key=ip_rules.result_key(self.title), year=self.year
        )
