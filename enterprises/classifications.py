"""Fixed national classifications used by the registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HighTechField(models.TextChoices):
    """The eight fields of 《国家重点支持的高新技术领域》 (RULES §2.1)."""

    ELECTRONICS = "electronics", "电子信息"
    BIOMEDICINE = "biomedicine", "生物与新医药"
    AEROSPACE = "aerospace", "航空航天"
    MATERIALS = "materials", "新材料"
    SERVICES = "services", "高技术服务"
    ENERGY = "energy", "新能源与节能"
    ENVIRONMENT = "environment", "资源与环境"
    MANUFACTURING = "manufacturing", "先进制造与自动化"


class IndustrySection(models.TextChoices):
    """GB/T 4754-2017 门类."""

    A = "A", "A 农、林、牧、渔业"
    B = "B", "B 采矿业"
    C = "C", "C 制造业"
    D = "D", "D 电力、热力、燃气及水生产和供应业"
    E = "E", "E 建筑业"
    F = "F", "F 批发和零售业"
    G = "G", "G 交通运输、仓储和邮政业"
    H = "H", "H 住宿和餐饮业"
    I = "I", "I 信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "J 金融业"
    K = "K", "K 房地产业"
    L = "L", "L 租赁和商务服务业"
    M = "M", "M 科学研究和技术服务业"
    N = "N", "N 水利、环境和公共设施管理业"
    O = "O", "O 居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "P 教育"
    Q = "Q", "Q 卫生和社会工作"
    R = "R", "R 文化、体育和娱乐业"
    S = "S", "S 公共管理、社会保障和社会组织"
    T = "T", "T 国际组织"


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

# 财税〔2015〕119号 negative list for the R&D super-deduction (RULES §4.2),
# by GB/T 4754 section; tobacco manufacturing is division 16.
SUPER_DEDUCTION_EXCLUDED_SECTIONS = {"F", "H", "K", "L"}
SUPER_DEDUCTION_EXCLUDED_DIVISIONS = {"16", "90"}


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
