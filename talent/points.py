"""Points of the foreign work-permit classification (RULES §10; the 2017
《外国人来华工作分类标准（试行）》 table as reproduced there, [V2]: re-check
individual values against the official table before relying on them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Annual salary in 万元: (lower bound inclusive, points), best first.
SALARY_POINTS = [(45, 20), (35, 17), (25, 14), (15, 11), (7, 8), (5, 5)]
EDUCATION_POINTS = {"doctorate": 20, "master": 15, "bachelor": 10}
# The breakdown is read by people: it names the degree in Chinese.
EDUCATION_LABELS = {"doctorate": "博士", "master": "硕士", "bachelor": "学士"}
# 汉语水平: points as assessed, one per HSK level up to 5 (HSK五级及以上 5分;
# [V2] as the rest of the table). The breakdown names the level in Chinese.
CHINESE_LEVEL_LABELS = {
    0: "未取得HSK证书",
    1: "HSK一级",
    2: "HSK二级",
    3: "HSK三级",
    4: "HSK四级",
    5: "HSK五级及以上",
}
AGE_POINTS = [((26, 45), 15), ((18, 25), 10), ((46, 55), 10), ((56, 60), 5)]
A_CLASS_POINTS = 85
B_CLASS_POINTS = 60


@dataclass
class PointsInput:
    annual_salary_wan: Decimal = Decimal(0)
    education: str = ""  # doctorate | master | bachelor
    work_years: int = 0
    months_per_year: int = 0
    chinese_level: int = 0  # 0–5 points as assessed
    remote_region: bool = False  # western, northeast or poor county
    age: int | None = None
    bonus_items: list[str] = field(
        default_factory=list
    )  # top university, Fortune 500 …
    local_bonus: int = 0  # 0–10


@dataclass
class PointsResult:
    items: list[dict[str, object]]
    total: int
    suggested_class: str  # "A", "B" or "C"

    def as_dict(self) -> dict[str, object]:
        return {
            "items": self.items,
            "total": self.total,
            "suggested_class": self.suggested_class,
        }


def permit_points(p: PointsInput) -> PointsResult:
    items: list[dict[str, object]] = []

    def add(item: str, value: object, points: int) -> None:
        items.append({"item": item, "value": value, "points": points})

    salary = next(
        (pts for floor, pts in SALARY_POINTS if p.annual_salary_wan >= floor), 0
    )
    add("年薪（万元）", str(p.annual_salary_wan), salary)
    add(
        "学历",
        EDUCATION_LABELS.get(p.education, p.education or "—"),
        EDUCATION_POINTS.get(p.education, 0),
    )
    work = 0 if p.work_years < 2 else min(20, 5 + (p.work_years - 2))
    add("工作经历（年）", p.work_years, work)
    add(
        "年度在华工作时间（月）", p.months_per_year, 15 if p.months_per_year >= 9 else 0
    )
    level = max(0, min(5, p.chinese_level))
    add("汉语水平", CHINESE_LEVEL_LABELS[level], level)
    add(
        "在西部、东北或贫困县工作",
        "是" if p.remote_region else "否",
        10 if p.remote_region else 0,
    )
    age = 0
    if p.age is not None:
        age = next((pts for (low, high), pts in AGE_POINTS if low <= p.age <= high), 0)
    add("年龄", p.age if p.age is not None else "—", age)
    for bonus in p.bonus_items:
        add(f"加分项：{bonus}", "是", 5)
    add("地方鼓励性加分", p.local_bonus, max(0, min(10, p.local_bonus)))
    total = sum(int(i["points"]) for i in items)  # type: ignore[call-overload]
    suggested = (
        "A" if total >= A_CLASS_POINTS else "B" if total >= B_CLASS_POINTS else "C"
    )
    return PointsResult(items=items, total=total, suggested_class=suggested)
