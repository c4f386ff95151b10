from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bureau.lib.models import GovernmentLevel
from enterprises.models.returns import money


class Visit(models.Model):
    """走访: a visit to an enterprise and what it raised."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(_("visit date"))
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("visitors"), related_name="+"
    )
    issues_raised = models.TextField(_("issues raised"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"


class FollowUp(models.Model):
    """An action promised during a visit, with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    action = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    result = models.CharField(_("result"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.action

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class _OrganisationType(models.Model):
    """A type of R&D institution or carrier, kept as data so the bureau adds
    the kinds its province recognises (新型研发机构, 院士专家工作站 …) in the
    admin without a release."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class InstitutionType(_OrganisationType):
    """企业研发中心, 企业研究院, 重点实验室, 新型研发机构, 院士专家工作站 …"""

    class Meta(_OrganisationType.Meta):
        verbose_name = _("R&D institution type")
        verbose_name_plural = _("R&D institution types")


class CarrierType(_OrganisationType):
    """孵化器, 众创空间, 星创天地, 产业创新服务综合体 …"""

    class Meta(_OrganisationType.Meta):
        verbose_name = _("carrier type")
        verbose_name_plural = _("carrier types")


class RDInstitution(models.Model):
    """A recognised R&D institution hosted by a registry organisation of any
    kind (an enterprise's 研发中心, a university's 重点实验室, a co-built
    研究院)."""

    Level = GovernmentLevel

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="rd_institutions",
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.ForeignKey(
        InstitutionType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    recognised_on = models.DateField(_("recognition date"))
    source_document = models.CharField(_("source document"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("R&D institution")
        verbose_name_plural = _("R&D institutions")
        ordering = ["-recognised_on", "id"]

    def __str__(self) -> str:
        return self.name


class Loan(models.Model):
    """科技助贷: a loan obtained through the tech-loan scheme."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Credit loan")
        IP_PLEDGE = "ip_pledge", _("IP pledge loan")
        GUARANTEE = "guarantee", _("Guaranteed loan")
        OTHER = "other", pgettext_lazy("loan kind", "Other")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    bank = models.CharField(_("bank"), max_length=100)
    amount = money(_("amount"))
    granted_on = models.DateField(_("granted on"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("tech loan")
        verbose_name_plural = _("tech loans")
        ordering = ["-granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.bank} {self.amount}"


class Carrier(models.Model):
    """A 双创 carrier (孵化器, 众创空间, 星创天地 …), run by a registry
    organisation of any kind, with the enterprises it hosts and its yearly
    figures."""

    name = models.CharField(_("name"), max_length=200)
    type = models.ForeignKey(
        CarrierType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="carriers",
    )
    level = models.CharField(
        _("level"), max_length=12, choices=RDInstitution.Level.choices
    )
    org_unit = models.ForeignKey(
        "bureau.OrgUnit", verbose_name=_("street or park"), on_delete=models.PROTECT
    )
    host = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_carriers",
    )
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    recognised_on = models.DateField(_("recognition date"), null=True, blank=True)
    residents = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("resident enterprises"),
        blank=True,
        related_name="carriers",
    )

    class Meta:
        verbose_name = _("innovation carrier")
        verbose_name_plural = _("innovation carriers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CarrierYear(models.Model):
    """A carrier's figures for one year, as its yearly assessment reports
    them: 在孵企业, 毕业企业, 新增入驻 and the assessment grade."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        PASSED = "passed", _("Passed")
        FAILED = "failed", pgettext_lazy("assessment grade", "Failed")

    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("innovation carrier"),
        on_delete=models.CASCADE,
        related_name="years",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    incubating = models.PositiveIntegerField(_("enterprises in incubation"), default=0)
    graduated = models.PositiveIntegerField(_("enterprises graduated"), default=0)
    new_residents = models.PositiveIntegerField(_("new residents"), default=0)
    grade = models.CharField(
        _("assessment grade"), max_length=10, choices=Grade.choices, blank=True
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("carrier yearly figures")
        verbose_name_plural = _("carrier yearly figures")
        ordering = ["carrier", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "year"],
                name="enterprises_carrieryear_one_per_year",
                violation_error_message=_(
                    "This carrier already has figures for that year."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.year}"
