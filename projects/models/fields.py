from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfessionalFieldQuerySet(models.QuerySet["ProfessionalField"]):
    def active(self) -> ProfessionalFieldQuerySet:
        return self.filter(is_active=True)

    def named(self, names: list[str]) -> ProfessionalFieldQuerySet:
        """The fields with these names (a top-level field wins a name it
        shares with a sub-field)."""
        return self.filter(name__in=names)

    def resolve(self, value: object) -> ProfessionalField | None:
        """A field given as itself, its code or its name (the free text
        callers passed before the list existed); None for blank. An unknown
        text is a ValidationError naming it."""
        if value is None or isinstance(value, ProfessionalField):
            return value
        text = str(value).strip()
        if not text:
            return None
        found = (
            self.filter(code=text).first()
            or self.filter(name=text).order_by("code").first()
        )
        if found is None:
            raise ValidationError(
                {
                    "field": _("“%(value)s” is not a professional field of the list.")
                    % {"value": text[:50]}
                }
            )
        return found

    def choices(self) -> ProfessionalFieldQuerySet:
        """The active fields for a select, each parent followed by its
        sub-fields (labelled 电子信息 › 软件)."""
        return self.active().select_related("parent").order_by("code")


class ProfessionalField(models.Model):
    """One entry of the shared list of professional fields (专业领域): the eight
    高新技术领域 (no parent) and their sub-fields. Kept as data by the system
    administrator; experts, calls and applications point at it, and the
    expert draw matches on a field or its parent."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProfessionalFieldQuerySet.as_manager()

    class Meta:
        verbose_name = _("professional field")
        verbose_name_plural = _("professional fields")
        ordering = ["code"]

    def __str__(self) -> str:
        if self.parent is None:
            return self.name
        return f"{self.parent.name} › {self.name}"

    def as_dict(self) -> dict[str, str]:
        """The field as the API gives it: its code and its name."""
        return {"code": self.code, "name": self.name}
