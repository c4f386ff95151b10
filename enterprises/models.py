from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.validators import validate_credit_code


class Enterprise(models.Model):
    """An enterprise in the district's registry."""

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An enterprise with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=200)
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("street or park"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
