"""Fixed national classifications used by the registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HighTechField(models.TextChoices):
    """The eight fields of 《国家重点支持的高新技术领域》 (RULES §2.1)."""

    ELECTRONICS = "electronics", _("电子信息")
    BIOMEDICINE = "biomedicine", _("生物与新医药")
    AEROSPACE = "aerospace", _("航空航天")
    MATERIALS = "materials", _("新材料")
    SERVICES = "services", _("高技术服务")
    ENERGY = "energy", _("新能源与节能")
    ENVIRONMENT = "environment", _("资源与环境")
    MANUFACTURING = "manufacturing", _("先进制造与自动化")


class IndustrySection(models.TextChoices):
    """GB/T 4754-2017 门类."""

    A = "A", _("A 农、林、牧、渔业")
    B = "B", _("B 采矿业")
    C = "C", _("C 制造业")
    D = "D", _("D 电力、热力、燃气及水生产和供应业")
    E = "E", _("E 建筑业")
    F = "F", _("F 批发和零售业")
    G = "G", _("G 交通运输、仓储和邮政业")
    H = "H", _("H 住宿和餐饮业")
    I = "I", _("I 信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("J 金融业")
    K = "K", _("K 房地产业")
    L = "L", _("L 租赁和商务服务业")
    M = "M", _("M 科学研究和技术服务业")
    N = "N", _("N 水利、环境和公共设施管理业")
    O = "O", _("O 居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("P 教育")
    Q = "Q", _("Q 卫生和社会工作")
    R = "R", _("R 文化、体育和娱乐业")
    S = "S", _("S 公共管理、社会保障和社会组织")
    T = "T", _("T 国际组织")


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
