from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bureau.lib import money
from bureau.lib.models import GovernmentLevel
from talent.countries import country_name


def age_on(born: date, on: date) -> int:
    """Completed years from `born` to `on`: one more on each birthday (a
    29 February birthday counts from 1 March in other years)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Degree(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    OTHER = "other", _("Other")


class ChineseLevel(models.IntegerChoices):
    """汉语水平 of a foreign expert, as the work-permit points count it."""

    NONE = 0, _("No HSK certificate")
    HSK1 = 1, _("HSK level 1")
    HSK2 = 2, _("HSK level 2")
    HSK3 = 3, _("HSK level 3")
    HSK4 = 4, _("HSK level 4")
    HSK5 = 5, _("HSK level 5 or above")


class TalentProgramme(models.Model):
    Level = GovernmentLevel

    class Kind(models.TextChoices):
        INNOVATION_TEAM = "innovation_team", _("Leading innovation team")
        ENTREPRENEUR_TEAM = "entrepreneur_team", _("Leading entrepreneurship team")
        HIGH_LEVEL = "high_level", _("High-level talent recruitment")
        STAR = "star", _("Science and technology star")

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("talent programme")
        verbose_name_plural = _("talent programmes")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Talent(models.Model):
    """A person the bureau supports. The ID number and phone are stored only
    encrypted, with a keyed hash for exact search and a masked form for
    display; nothing here holds them in clear."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True
    )
    # The full date (from the ID number, or given): ages are exact on it.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    degree = models.CharField(
        _("degree"), max_length=10, choices=Degree.choices, blank=True
    )
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    employer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talents",
    )
    arrived_on = models.DateField(_("arrival date"), null=True, blank=True)
    left_on = models.DateField(_("departure date"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, default="CN")
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(
        max_length=64, blank=True, editable=False, db_index=True
    )
    id_number_masked = models.CharField(
        _("ID number"), max_length=18, blank=True, editable=False
    )
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(
        _("phone"), max_length=20, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="talent_talent_one_per_id_number",
                violation_error_message=_(
                    "A person with this ID number is already registered."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def profile_line(self) -> list[str]:
        """The line under the person's name: gender, birth year, degree,
        title, employer; only what is known (never "· · 杭州…")."""
        parts = [
            str(self.get_gender_display()) if self.gender else "",
            f"{self.birth_year}年生" if self.birth_year else "",
            " ".join(
                p
                for p in (
                    str(self.get_degree_display()) if self.degree else "",
                    self.title,
                )
                if p
            ),
            self.employer.name if self.employer_id and self.employer else "",
        ]
        return [p for p in parts if p]

    @property
    def nationality_display(self) -> str:
        """The nationality in Chinese (美国, not US)."""
        return country_name(self.nationality)

    def age_on(self, on: date) -> int | None:
        """Age in whole years on `on`: exact from the date of birth (a person
        is 55 until the day before the 56th birthday); with only the birth
        year known, the age reached during `on`'s year (see `age_is_exact`)."""
        if self.birth_date:
            return age_on(self.birth_date, on)
        return on.year - self.birth_year if self.birth_year else None

    @property
    def age_is_exact(self) -> bool:
        return self.birth_date is not None


class TalentAward(models.Model):
    programme = models.ForeignKey(
        TalentProgramme, verbose_name=_("programme"), on_delete=models.PROTECT
    )
    talent = models.ForeignKey(
        Talent,
        verbose_name=_("talent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    team = models.ForeignKey(
        "talent.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("talent award")
        verbose_name_plural = _("talent awards")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(talent__isnull=False, team__isnull=True)
                | Q(talent__isnull=True, team__isnull=False),
                name="talent_award_person_or_team",
                violation_error_message=_("An award goes to a person or to a team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


class Team(models.Model):
    name = models.CharField(_("name"), max_length=200)
    leader = models.ForeignKey(
        Talent,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        Talent, verbose_name=_("core members"), related_name="teams", blank=True
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talent_teams",
    )
    programme = models.ForeignKey(
        TalentProgramme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllowanceRule(models.Model):
    """Monthly living allowance by degree and for how long (data, not code)."""

    programme = models.ForeignKey(
        TalentProgramme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    degree = models.CharField(_("degree"), max_length=10, choices=Degree.choices)
    monthly_amount = models.DecimalField(
        _("monthly amount"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    months = models.PositiveSmallIntegerField(
        _("months"), validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("allowance rule")
        verbose_name_plural = _("allowance rules")
        ordering = ["degree"]

    def __str__(self) -> str:
        amount = money.number(self.monthly_amount, trim=True)
        return f"{self.get_degree_display()} {amount}元×{self.months}月"


class Allowance(models.Model):
    """One person's allowance, with its schedule of monthly payments."""

    talent = models.ForeignKey(
        Talent,
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="allowances",
    )
    rule = models.ForeignKey(
        AllowanceRule, verbose_name=_("rule"), on_delete=models.PROTECT
    )
    monthly_amount = models.DecimalField(
        _("monthly amount"), max_digits=10, decimal_places=2
    )
    first_month = models.DateField(_("first month"))
    months = models.PositiveSmallIntegerField(_("months"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allowance")
        verbose_name_plural = _("allowances")
        ordering = ["-first_month", "id"]

    def __str__(self) -> str:
        return f"{self.talent} {self.first_month:%Y-%m}"


class AllowancePayment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DUE = "due", _("Due")
        PAID = "paid", _("Paid")
        STOPPED = "stopped", _("Stopped")

    allowance = models.ForeignKey(
        Allowance,
        verbose_name=_("allowance"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    stop_reason = models.CharField(_("reason"), max_length=200, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("allowance payment")
        verbose_name_plural = _("allowance payments")
        ordering = ["month", "id"]
        constraints = [
            # The schedule holds one payment per month: nothing is paid twice.
            models.UniqueConstraint(
                fields=["allowance", "month"], name="talent_payment_one_per_month"
            )
        ]
        indexes = [models.Index(fields=["month", "status"])]

    def __str__(self) -> str:
        return f"{self.allowance.talent} {self.month:%Y-%m}"


class ForeignExpertCase(models.Model):
    class PermitClass(models.TextChoices):
        A = "A", _("Class A (foreign high-end talent)")
        B = "B", _("Class B (foreign professional talent)")
        C = "C", _("Class C (other foreign staff)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    talent = models.ForeignKey(
        Talent,
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="permit_cases",
    )
    permit_class = models.CharField(
        _("permit class"), max_length=1, choices=PermitClass.choices
    )
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    # {"items": [{"item", "value", "points"}], "total": n}
    points_breakdown = models.JSONField(_("points breakdown"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("foreign expert case")
        verbose_name_plural = _("foreign expert cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.talent} {self.permit_class}"

    @property
    def breakdown_items(self) -> list[dict[str, object]]:
        """The points breakdown for a page: a degree recorded as a code (by
        cases scored before the breakdown named it in Chinese) shows its label,
        and so does a Chinese level recorded as a number (汉语水平 2 → HSK二级)."""
        labels = dict(Degree.choices)
        levels = dict(ChineseLevel.choices)
        items = []
        for item in self.points_breakdown.get("items", []):
            value = item.get("value")
            code = item.get("code")
            if (code == "education" or item.get("item") == "学历") and value in labels:
                item = {**item, "value": str(labels[value])}
            elif (code == "chinese_level" or item.get("item") == "汉语水平") and (
                isinstance(value, int)
            ):
                item = {**item, "value": str(levels.get(value, value))}
            items.append(item)
        return items


def case_document_path(instance: CaseDocument, filename: str) -> str:
    import uuid

    return f"private/permit-cases/{instance.case_id}/{uuid.uuid4().hex}"


class CaseDocument(models.Model):
    """A document of a permit case, stored outside the web root and served
    only through a view that checks the caller."""

    case = models.ForeignKey(
        ForeignExpertCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=case_document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return self.title


class Commissioner(models.Model):
    """科技特派员: an individual, a team or a legal entity sent to serve."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual S&T commissioner")
        TEAM = "team", _("Team S&T commissioner")
        LEGAL_ENTITY = "legal_entity", _("Legal-entity S&T commissioner")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    talent = models.ForeignKey(
        Talent,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissions",
    )
    sending_organisation = models.CharField(_("sending organisation"), max_length=200)
    served_area = models.CharField(
        _("served township, industry or county"), max_length=200, blank=True
    )
    served_enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("served enterprises"),
        blank=True,
        related_name="commissioners",
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))

    class Meta:
        verbose_name = _("S&T commissioner")
        verbose_name_plural = _("S&T commissioners")
        ordering = ["-term_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="talent_commissioner_term_order",
                violation_error_message=_("The term ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceLog(models.Model):
    class Kind(models.TextChoices):
        GUIDANCE = "guidance", _("Technical guidance")
        DEMONSTRATION = "demonstration", _("Demonstration base building")
        RND = "rnd", _("Joint R&D on key problems")
        TRANSFER = "transfer", _("Commercialising research results")
        TALENT_TRAINING = "talent_training", _("Talent development")
        SKILLS_TRAINING = "skills_training", _("Skills training")
        PROMOTION = "promotion", _("Policy outreach and science popularisation")
        OTHER = "other", _("Other service")

    commissioner = models.ForeignKey(
        Commissioner,
        verbose_name=_("commissioner"),
        on_delete=models.CASCADE,
        related_name="service_logs",
    )
    served_on = models.DateField(_("date"))
    kind = models.CharField(_("service type"), max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"), default=1)
    result = models.CharField(_("result"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("service log")
        verbose_name_plural = _("service logs")
        ordering = ["-served_on", "id"]

    def __str__(self) -> str:
        return f"{self.commissioner} {self.served_on}"


class CommissionerAssessment(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        PASS = "pass", _("Satisfactory")
        FAIL = "fail", _("Unsatisfactory")

    commissioner = models.ForeignKey(
        Commissioner,
        verbose_name=_("commissioner"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.PositiveSmallIntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("commissioner assessment")
        verbose_name_plural = _("commissioner assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "year"], name="talent_assessment_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commissioner} {self.year} {self.get_grade_display()}"
