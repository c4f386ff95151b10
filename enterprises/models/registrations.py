"""An enterprise's request for an account (self-registration, /register/).

A request is never an account: it waits, pending, until bureau staff (or the
liaison of the enterprise's street) approve it, which creates the enterprise
user (enterprises/services/registrations.py), or refuse it with a reason.
The password is kept only as a hash, and only until the decision.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bureau.lib.fields import EncryptedTextField
from enterprises.models.registry import Enterprise
from enterprises.validators import validate_credit_code

validate_mobile = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mobile number starting with 1.")
)


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        validators=[validate_credit_code],
        db_index=True,
    )
    enterprise_name = models.CharField(_("enterprise name"), max_length=200)
    # A university or institute registers as itself (Enterprise.Kind).
    kind = models.CharField(
        _("organisation type"),
        max_length=12,
        choices=Enterprise.Kind.choices,
        default=Enterprise.Kind.ENTERPRISE,
    )
    # The street the applicant chose; for an enterprise already in the
    # registry its own street decides who may approve.
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("street or park"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("contact person"), max_length=50)
    # Personal data: SM4-encrypted at rest (bureau/lib/fields.py).
    contact_mobile = EncryptedTextField(
        _("contact mobile"), max_length=11, validators=[validate_mobile]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    username = models.CharField(_("username"), max_length=150)
    # make_password() of the chosen password; cleared once decided.
    password_hash = models.CharField(_("password hash"), max_length=128, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    # The registry entry with this credit code, found at submission or made
    # on approval.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account created"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(
        _("reason for refusal"), max_length=500, blank=True
    )
    # How the applicant was told of a refusal (they have no account to log
    # in to): the address used and the text, for the record.
    notified_to = models.CharField(_("notified to"), max_length=254, blank=True)
    notice = models.TextField(_("notice sent"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("account registration")
        verbose_name_plural = _("account registrations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.enterprise_name}（{self.username}）"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
