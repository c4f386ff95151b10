"""Named comparison groups for rankings (e.g. 主城区): the districts a
ranking compares, kept as data because each city draws its own groups."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ComparisonGroup(models.Model):
    """A named set of peer districts the dashboard and the work summary rank
    the home district among. With no default group the ranking compares all
    the districts of the city, as before."""

    name = models.CharField(
        _("name"), max_length=50, unique=True, help_text=_("For example 主城区.")
    )
    members = models.ManyToManyField(
        "bureau.OrgUnit",
        verbose_name=_("districts"),
        related_name="+",
        limit_choices_to={"level": "district"},
        help_text=_("The districts ranked together; our district is always one."),
    )
    is_default = models.BooleanField(
        _("used by the dashboard"),
        default=False,
        help_text=_(
            "The dashboard ranks among this group; without one, among all "
            "the districts of the city."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("comparison group")
        verbose_name_plural = _("comparison groups")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="indicators_comparisongroup_one_default",
                violation_error_message=_(
                    "Only one comparison group can be used by the dashboard."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name
