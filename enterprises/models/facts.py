"""Facts staff record for the pre-check: the checks and judgements the
platform's figures cannot give (RULES §2.2 conditions 3 and 8, §3.1
conditions 3–4, §6.1–§6.2), each with its date and source."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FactSubject(models.TextChoices):
    CORE_TECH = "core_tech", _("Core technology in the supported high-tech fields")
    INCIDENTS = (
        "incidents",
        _("No major safety or quality accident or serious environmental violation"),
    )
    CREDIT = (
        "credit",
        _("Not listed as seriously dishonest or abnormal, no research misconduct"),
    )
    INDUSTRY = "industry", _("Not in a prohibited, restricted or eliminated industry")
    RD_ACCOUNTS = "rd_accounts", _("Separate R&D accounts kept")
    FUTURE_INDUSTRY = "future_industry", _("Main products in the future industries")
    CORE_IP = "core_ip", _("Core IP from own R&D meets the 新雏鹰 requirement")
    TALENT_AWARD = (
        "talent_award",
        _("D-class talent in the core team or a provincial S&T award"),
    )
    EQUITY_FINANCING = (
        "equity_financing",
        _("Institutional equity financing meets the 新雏鹰 requirement"),
    )


class EnterpriseFact(models.Model):
    """One recorded check of a subject for an enterprise. Rows are kept: the
    latest still valid decides the conditions that need the subject."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="facts",
    )
    subject = models.CharField(
        _("What was checked"), max_length=20, choices=FactSubject.choices
    )
    met = models.BooleanField(
        _("verdict"), choices=[(True, _("Met")), (False, _("Not met"))]
    )
    checked_on = models.DateField(_("date checked"))
    source = models.CharField(
        _("source"),
        max_length=100,
        help_text=_("Where the answer comes from, e.g. 信用中国查询, 应急管理局函."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recorded fact")
        verbose_name_plural = _("recorded facts")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "subject", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.get_subject_display()}（{self.checked_on.isoformat()}）"

    def clean(self) -> None:
        if self.checked_on and self.checked_on > timezone.localdate():
            raise ValidationError(
                {"checked_on": _("The date checked cannot be in the future.")}
            )

    @property
    def evidence(self) -> str:
        """ "据信用中国查询（2026-02-10）", as the pre-check shows it."""
        return f"据{self.source}（{self.checked_on.isoformat()}）"

    @staticmethod
    def valid_days(subject: str) -> int | None:
        """How long a check of `subject` decides (None: until replaced),
        from settings.ELIGIBILITY_FACT_VALID_DAYS."""
        days = getattr(settings, "ELIGIBILITY_FACT_VALID_DAYS", {})
        value = days.get(subject)
        return None if value is None else int(value)

    def valid_until(self) -> date | None:
        days = self.valid_days(self.subject)
        return None if days is None else self.checked_on + timedelta(days=days)
