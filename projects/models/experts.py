from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.lib.fields import EncryptedTextField


class Expert(models.Model):
    """A reviewer in the expert pool; `user` is the login that scopes an
    expert user to their assignments."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    fields = models.ManyToManyField(
        "projects.ProfessionalField",
        verbose_name=_("professional fields"),
        blank=True,
        related_name="experts",
    )
    phone = EncryptedTextField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExpertConflict(models.Model):
    """A relation an expert declared (or staff recorded) with an enterprise:
    the expert is never drawn for that enterprise's applications."""

    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "enterprise"], name="projects_conflict_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} / {self.enterprise}"
