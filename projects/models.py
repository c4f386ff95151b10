from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    fields = models.CharField(
        _("fields"), max_length=200, blank=True, help_text=_("Comma-separated.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
