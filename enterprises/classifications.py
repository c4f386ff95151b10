"""Fixed national classifications used by the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def in_chinese(label: StrOrPromise) -> str:
    """A label as the workbooks (for Chinese users only) write and read it,
    whatever the language of the page that asks."""
    with translation.override("zh-hans"):
        return str(label)


class HighTechField(models.TextChoices):
    """The eight fields of 《国家重点支持的高新技术领域》 (RULES §2.1)."""

    ELECTRONICS = "electronics", _("Electronic information")
    BIOMEDICINE = "biomedicine", _("Biology and new medicine")
    AEROSPACE = "aerospace", _("Aerospace")
    MATERIALS = "materials", _("New materials")
    SERVICES = "services", _("High-tech services")
    ENERGY = "energy", _("New energy and energy saving")
    ENVIRONMENT = "environment", _("Resources and environment")
    MANUFACTURING = "manufacturing", _("Advanced manufacturing and automation")


class IndustrySection(models.TextChoices):
    """GB/T 4754-2017 门类."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Production and supply of electricity, heat, gas and water")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail trade")
    G = "G", _("G Transport, storage and postal services")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water conservancy, environment and public facilities management")
    O = "O", _("O Resident services, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organisations")
    T = "T", _("T International organisations")


# GB/T 4754-2017: the divisions (大类, two digits) of each section.
SECTION_DIVISIONS: dict[str, range] = {
    "A": range(1, 6),
    "B": range(6, 13),
    "C": range(13, 44),
    "D": range(44, 47),
    "E": range(47, 51),
    "F": range(51, 53),
    "G": range(53, 61),
    "H": range(61, 63),
    "I": range(63, 66),
    "J": range(66, 70),
    "K": range(70, 71),
    "L": range(71, 73),
    "M": range(73, 76),
    "N": range(76, 80),
    "O": range(80, 83),
    "P": range(83, 84),
    "Q": range(84, 86),
    "R": range(86, 91),
    "S": range(91, 97),
    "T": range(97, 98),
}


def section_of_division(division: str) -> str | None:
    number = int(division)
    for section, divisions in SECTION_DIVISIONS.items():
        if number in divisions:
            return section
    return None


def division_error(section: str, division: str) -> str | None:
    """Why (section, division) is not a valid GB/T 4754 pair, or None."""
    if not division:
        return None
    if len(division) != 2 or not division.isdigit():
        return str(_("The industry division is two digits, e.g. 39."))
    owner = section_of_division(division)
    if owner is None:
        return str(
            _("There is no industry division %(d)s in GB/T 4754-2017.")
            % {"d": division}
        )
    if section and owner != section:
        return str(
            _("Division %(d)s belongs to section %(owner)s, not %(section)s.")
            % {"d": division, "owner": owner, "section": section}
        )
    return None
