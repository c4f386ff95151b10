from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.lib.fields import EncryptedTextField
from enterprises.classifications import HighTechField, IndustrySection, division_error
from enterprises.validators import validate_credit_code


class EnterpriseQuerySet(models.QuerySet):
    def in_org_unit(self, unit_id: int) -> EnterpriseQuerySet:
        return self.filter(org_unit_id=unit_id)

    def enterprises(self) -> EnterpriseQuerySet:
        """Enterprises proper, without universities, institutes and others."""
        return self.filter(kind=Enterprise.Kind.ENTERPRISE)


_HIGH_TECH_LABELS = dict(HighTechField.choices)


class Enterprise(models.Model):
    """An organisation in the district's registry: mostly enterprises, also
    universities, institutes, hospitals and cooperatives registered as
    themselves (`kind`), which host R&D institutions and carriers, sign
    cooperation agreements and report R&D but never climb the tier ladder."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        UNIVERSITY = "university", _("University or college")
        INSTITUTE = "institute", _("Research institute")
        HOSPITAL = "hospital", _("Medical or health institution")
        COOPERATIVE = "cooperative", _("Farmers' cooperative")
        NEW_RD = "new_rd", _("New-type R&D institution")
        OTHER = "other", pgettext_lazy("organisation kind", "Other")

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An enterprise with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("organisation type"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.ENTERPRISE,
        db_index=True,
    )
    org_unit = models.ForeignKey(
        "bureau.OrgUnit",
        verbose_name=_("street or park"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    industry_section = models.CharField(
        _("industry section"), max_length=1, choices=IndustrySection.choices, blank=True
    )
    industry_division = models.CharField(
        _("industry division"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^\d{2}$", _("Two digits, e.g. 39."))],
        help_text=_("GB/T 4754-2017 division (大类), two digits."),
    )
    high_tech_field = models.CharField(
        _("high-tech field"), max_length=20, choices=HighTechField.choices, blank=True
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    is_above_scale = models.BooleanField(
        _("above designated size (规上)"),
        default=False,
        help_text=_(
            "Industrial enterprise with main business revenue ≥ 20 million yuan."
        ),
    )
    legal_representative = models.CharField(
        _("legal representative"), max_length=50, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The highest tier in force and its certificate's expiry and echelon,
    # kept here so that lists read no per-row subqueries. Derived from the
    # certifications by enterprise_tier_refresh (on every award or
    # revocation) and enterprise_tiers_refresh (nightly, after the expiry
    # job); never edited by hand.
    held_tier = models.ForeignKey(
        "Tier",
        verbose_name=_("current tier"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_tier_expires_on = models.DateField(
        _("current tier expires on"), null=True, blank=True, editable=False
    )
    held_echelon = models.PositiveSmallIntegerField(
        _("current echelon"), null=True, blank=True, editable=False
    )
    # Created from an approved self-registration: staff complete the rest.
    needs_completion = models.BooleanField(_("to be completed"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["org_unit", "name"]),
            # The list's order, and its deep pages.
            models.Index(fields=["name", "id"], name="enterprises_name_id"),
            # `expiring_within`: a range over the current tier's expiry.
            models.Index(
                fields=["held_tier_expires_on", "name"],
                name="enterprises_tier_expiry",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def high_tech_label(self) -> str:
        """get_high_tech_field_display(), looked up by the code: Django's
        builds a dict of every choice, hashing each lazy label (a
        translation lookup), on every call — fifty times per list page."""
        label = _HIGH_TECH_LABELS.get(self.high_tech_field)
        return str(label) if label is not None else self.high_tech_field

    @property
    def is_enterprise(self) -> bool:
        """Only enterprises are on the tier ladder and pre-checked."""
        return self.kind == self.Kind.ENTERPRISE

    def clean(self) -> None:
        error = division_error(self.industry_section, self.industry_division)
        if error:
            raise ValidationError({"industry_division": error})
        if self.industry_division and not self.industry_section:
            from enterprises.classifications import section_of_division

            self.industry_section = section_of_division(self.industry_division) or ""
        if self.founded_on and self.founded_on > timezone.localdate():
            raise ValidationError(
                {"founded_on": _("The founding date is in the future.")}
            )
        if self.org_unit_id and not self.org_unit.is_street_or_park:
            raise ValidationError({"org_unit": _("Choose a street or a park.")})


class Tier(models.Model):
    """A rung of the cultivation ladder. The national rungs ship with the
    app; district and municipal rungs (旭日计划, 雏鹰 …) are data."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        MUNICIPAL = "municipal", _("Municipal")
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")

    class Validity(models.TextChoices):
        YEARS = "years", _("A number of years from the issue date")
        EVALUATION_YEAR = "evaluation_year", _("The evaluation year only")
        UNTIL_REVOKED = "until_revoked", _("Until dropped or revoked")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    rank = models.PositiveSmallIntegerField(
        _("rank on the ladder"), unique=True, help_text=_("Higher is further up.")
    )
    has_echelons = models.BooleanField(_("has echelons"), default=False)
    validity = models.CharField(
        _("validity"), max_length=20, choices=Validity.choices, default=Validity.YEARS
    )
    validity_years = models.PositiveSmallIntegerField(
        _("years valid"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name

    # Codes of the tiers the rules name (RULES §2, §3); others are local data.
    HNTE = "hnte"
    TECH_SME = "tech_sme"
    CHUYING = "chuying"
    NEW_CHUYING = "new_chuying"

    @property
    def is_local(self) -> bool:
        """A district or municipal tier (defined locally, RULES §6)."""
        return self.level in (self.Level.DISTRICT, self.Level.MUNICIPAL)

    @property
    def cancel_verb(self) -> str:
        """What ending an award early is called (RULES §2.7, §6.4): 取消资格
        for 高企, 退出梯队 for a tier with echelons, 撤销 otherwise."""
        if self.code == self.HNTE:
            return str(_("Disqualify"))
        if self.has_echelons:
            return str(_("Leave the echelons"))
        return str(_("Revoke"))

    @property
    def cancel_title(self) -> str:
        """The heading of the confirmation that ends an award early."""
        if self.code == self.HNTE:
            return str(_("Cancel the high-tech enterprise status"))
        if self.has_echelons:
            return str(_("Take the enterprise out of the echelons"))
        return str(_("Revoke the certification"))

    def cancel_done(self, enterprise_name: str) -> str:
        """What the page says once an award was ended early."""
        values = {"tier": self.name, "name": enterprise_name}
        if self.code == self.HNTE:
            return str(_("Cancelled the %(tier)s status of %(name)s.") % values)
        if self.has_echelons:
            return str(_("%(name)s left the echelons of %(tier)s.") % values)
        return str(_("Revoked the %(tier)s certification of %(name)s.") % values)

    @property
    def cancelled_label(self) -> str:
        """The status of an award ended early, in the tier's own term."""
        if self.code == self.HNTE:
            return str(_("Disqualified"))
        if self.has_echelons:
            return str(_("Left the echelons"))
        return str(Certification.Status.REVOKED.label)

    @property
    def cancel_action(self) -> str:
        """The audit action code of ending an award early."""
        if self.code == self.HNTE:
            return "certification.disqualify"
        if self.has_echelons:
            return "certification.leave_echelons"
        return "certification.revoke"

    def award_kind_label(self, first_time: bool) -> str:
        """首次/重新: 认定 for a multi-year tier, 入库 for a yearly one (科小)."""
        if self.validity == self.Validity.EVALUATION_YEAR:
            return str(_("First registration") if first_time else _("Re-registration"))
        return str(_("First award") if first_time else _("Re-recognition"))


class CertificationQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> CertificationQuerySet:
        """Certifications in force on `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on),
            status=Certification.Status.ACTIVE,
            issued_on__lte=on,
        )

    def in_force(self, on: date) -> CertificationQuerySet:
        """Certifications that were in force on `on`, a past date included:
        the status says only what is true today (a row since expired was in
        force before its expiry; a revoked one until its revocation)."""
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on),
            Q(status=Certification.Status.ACTIVE)
            | Q(status=Certification.Status.EXPIRED)
            | Q(status=Certification.Status.REVOKED, revoked_on__gt=on),
            issued_on__lte=on,
        )


class Certification(models.Model):
    """One award of a tier to an enterprise. Rows are never deleted, so the
    history of the ladder is kept; the current tier is derived from them."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class Echelon(models.IntegerChoices):
        FIRST = 1, _("First echelon")
        SECOND = 2, _("Second echelon")
        THIRD = 3, _("Third echelon")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    tier = models.ForeignKey(
        Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="+"
    )
    echelon = models.PositiveSmallIntegerField(
        _("echelon"), choices=Echelon.choices, null=True, blank=True
    )
    number = models.CharField(
        _("certificate or registration number"), max_length=50, blank=True
    )
    year = models.PositiveSmallIntegerField(_("award year"))
    # The enterprise's first award of this tier ever (by issue date); False for
    # a renewal: 高企 重新认定, the yearly 科小 re-registration, a local tier
    # awarded again. Set by the certification services, never by a form.
    first_time = models.BooleanField(
        _("first award of the tier"),
        default=True,
        help_text=_("Cleared for a renewal (re-recognition or re-registration)."),
    )
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    source_document = models.CharField(
        _("source document"),
        max_length=200,
        blank=True,
        help_text=_("The notice or list that awarded it, e.g. 浙科发高〔2024〕12号."),
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

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["tier", "year"]),
            models.Index(fields=["status", "expires_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="enterprises_certification_expiry_after_issue",
                violation_error_message=_("The expiry date is before the issue date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tier} {self.year}"

    @property
    def effective_status(self) -> str:
        """The status as of today: active rows past their expiry read as
        expired even before the nightly job marks them."""
        if (
            self.status == self.Status.ACTIVE
            and self.expires_on
            and self.expires_on < timezone.localdate()
        ):
            return self.Status.EXPIRED
        return self.status

    @property
    def effective_status_display(self) -> str:
        status = self.effective_status
        if status == self.Status.REVOKED:
            return self.tier.cancelled_label
        return str(self.Status(status).label)

    @property
    def award_kind_display(self) -> str:
        """首次认定 / 重新认定 (首次入库 / 重新入库 for 科小)."""
        return self.tier.award_kind_label(self.first_time)

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.issued_on <= on
            and (self.expires_on is None or self.expires_on >= on)
        )


class HighTechAnnualReport(models.Model):
    """高企年度发展情况报表 for one year, due 31 May of the next (RULES §2.7)."""

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("high-tech annual report")
        verbose_name_plural = _("high-tech annual reports")
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "year"],
                name="enterprises_hnte_report_one_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification} {self.year}"


class LadderReminder(models.Model):
    """A reminder sent to an enterprise about its place on the ladder, kept
    so the daily task sends each once per enterprise and year."""

    class Kind(models.TextChoices):
        TECH_SME_UPDATE = "tech_sme_update", _("科小 annual registration")
        HNTE_RENEWAL = "hnte_renewal", _("高企 re-recognition")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("ladder reminder")
        verbose_name_plural = _("ladder reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "year"],
                name="enterprises_ladder_reminder_once_a_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.year}"
