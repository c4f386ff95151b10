"""Model pieces shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GovernmentLevel(models.TextChoices):
    """The tier of government behind a programme or a recognition."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")
