"""外国人来华工作分类: the class of a foreign work permit (RULES §10;
CALCULATORS_API.md). Pure: figures and the rules in, a result out.

Four grounds, the class the best any of them gives:
- points: the points table (《外国人来华工作分类标准（试行）》, [V2]) ≥ 85 → A,
  ≥ 60 → B;
- education + experience: a bachelor's degree or above with ≥ 2 years of
  relevant experience → B (a bachelor with 3 years is B, not C);
- salary multiple: annual salary ≥ 6 × the local average wage → A, ≥ 4 × → B;
- achievement: a recognised achievement (talent programme, major
  international award, …) → A.
Otherwise C. The points table, the thresholds and the achievements list are
data (settings.WORK_PERMIT), read at call time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from talent.models import ChineseLevel, Degree

# Degrees from the lowest; "other" (no degree) ranks below a bachelor's.
DEGREE_RANK = {"other": 0, "bachelor": 1, "master": 2, "doctorate": 3}
CLASS_RANK = {"A": 3, "B": 2, "C": 1}
ROUTES = ("points", "education_experience", "salary_multiple", "achievement")


@dataclass(frozen=True)
class PermitRules:
    class_a_points: int
    class_b_points: int
    class_a_salary_multiple: Decimal
    class_b_salary_multiple: Decimal
    class_b_min_degree: str
    class_b_min_work_years: int
    local_average_salary: Decimal
    salary_bands: tuple[tuple[Decimal, int], ...]
    education_points: Mapping[str, int]
    work_years_from: int
    work_years_points: int
    work_years_per_extra_year: int
    work_years_max: int
    month_bands: tuple[tuple[int, int], ...]
    chinese_level_max: int
    region_points: int
    age_bands: tuple[tuple[int, int, int], ...]
    other_bonus_items: Mapping[str, str | Promise]
    other_bonus_each: int
    other_bonus_max: int
    local_bonus_max: int
    achievements: Mapping[str, str | Promise]


def rules_from_settings() -> PermitRules:
    from django.conf import settings

    data = settings.WORK_PERMIT
    table = data["points"]
    work = table["work_years"]
    return PermitRules(
        class_a_points=int(data["class_a_points"]),
        class_b_points=int(data["class_b_points"]),
        class_a_salary_multiple=Decimal(str(data["class_a_salary_multiple"])),
        class_b_salary_multiple=Decimal(str(data["class_b_salary_multiple"])),
        class_b_min_degree=data["class_b_min_degree"],
        class_b_min_work_years=int(data["class_b_min_work_years"]),
        local_average_salary=Decimal(str(data["local_average_salary"])),
        salary_bands=tuple(
            sorted(
                ((Decimal(str(floor)), int(pts)) for floor, pts in table["salary"]),
                reverse=True,
            )
        ),
        education_points=dict(table["education"]),
        work_years_from=int(work["from_years"]),
        work_years_points=int(work["points"]),
        work_years_per_extra_year=int(work["per_extra_year"]),
        work_years_max=int(work["max"]),
        month_bands=tuple(
            sorted(
                ((int(m), int(p)) for m, p in table["months_per_year"]), reverse=True
            )
        ),
        chinese_level_max=int(table["chinese_level_max"]),
        region_points=int(table["region"]),
        age_bands=tuple((int(lo), int(hi), int(p)) for lo, hi, p in table["age"]),
        other_bonus_items=dict(table["other_bonus_items"]),
        other_bonus_each=int(table["other_bonus_each"]),
        other_bonus_max=int(table["other_bonus_max"]),
        local_bonus_max=int(table["local_bonus_max"]),
        achievements=dict(data["achievements"]),
    )


@dataclass
class PointsInput:
    annual_salary: Decimal = Decimal(0)  # 元 a year
    education: str = ""  # doctorate | master | bachelor | other
    work_years: int = 0  # relevant experience
    months_per_year: int = 0  # months worked in China a year
    chinese_level: int = 0  # 0–5 as assessed (HSK level)
    age: int | None = None
    region_bonus: bool = False  # western, northeast or poor county
    other_bonus_items: list[str] = field(default_factory=list)  # codes
    local_bonus: int = 0
    achievements: list[str] = field(default_factory=list)  # codes
    local_average_salary: Decimal | None = None  # 元; None: the setting


@dataclass
class PermitAssessment:
    items: list[dict[str, Any]]  # [{code, item, value, points}], in table order
    total: int
    permit_class: str  # "A", "B" or "C"
    grounds: list[dict[str, Any]]  # every ground: {route, met, class, message}

    @property
    def suggested_class(self) -> str:
        return self.permit_class

    @property
    def routes(self) -> list[dict[str, Any]]:
        """The grounds that gave the class (none for C)."""
        return [
            {"route": g["route"], "class": g["class"], "message": g["message"]}
            for g in self.grounds
            if g["met"] and g["class"] == self.permit_class
        ]

    @property
    def breakdown(self) -> dict[str, dict[str, Any]]:
        return {
            i["code"]: {"item": i["item"], "value": i["value"], "points": i["points"]}
            for i in self.items
        }

    def as_dict(self) -> dict[str, Any]:
        """What a permit case keeps (points_breakdown)."""
        return {
            "items": self.items,
            "total": self.total,
            "suggested_class": self.permit_class,
            "routes": self.routes,
        }

    def api_dict(self) -> dict[str, Any]:
        """The CALCULATORS_API.md response."""
        return {
            "points": self.total,
            "breakdown": self.breakdown,
            "class": self.permit_class,
            "routes": self.routes,
        }


def _band(value: Any, bands: tuple[tuple[Any, int], ...]) -> int:
    """The points of the first band (best first) whose floor `value` reaches."""
    return next((pts for floor, pts in bands if value >= floor), 0)


def _wan(yuan: Decimal) -> str:
    wan = (yuan / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{wan.normalize():f}"


def _label(value: str | Promise) -> str:
    return str(value)


def permit_points(
    p: PointsInput, *, rules: PermitRules | None = None
) -> PermitAssessment:
    """The points with their breakdown and the class the best ground gives."""
    rules = rules or rules_from_settings()
    items: list[dict[str, Any]] = []

    def add(code: str, item: str, value: Any, points: int) -> None:
        items.append({"code": code, "item": item, "value": value, "points": points})

    add(
        "salary",
        _("Annual salary (10k yuan)"),
        _wan(p.annual_salary),
        _band(p.annual_salary, rules.salary_bands),
    )
    degrees = dict(Degree.choices)
    add(
        "education",
        _("Education"),
        str(degrees.get(p.education, "—")) if p.education else "—",
        rules.education_points.get(p.education, 0),
    )
    work = 0
    if p.work_years >= rules.work_years_from:
        work = min(
            rules.work_years_max,
            rules.work_years_points
            + (p.work_years - rules.work_years_from) * rules.work_years_per_extra_year,
        )
    add("work_years", _("Relevant experience (years)"), p.work_years, work)
    add(
        "months_per_year",
        _("Months worked in China a year"),
        p.months_per_year,
        _band(p.months_per_year, rules.month_bands),
    )
    level = max(0, min(rules.chinese_level_max, p.chinese_level))
    levels = dict(ChineseLevel.choices)
    add(
        "chinese_level",
        _("Chinese language"),
        str(levels.get(p.chinese_level, p.chinese_level)),
        level,
    )
    add(
        "region",
        _("Works in the west, the northeast or a poor county"),
        _("yes") if p.region_bonus else _("no"),
        rules.region_points if p.region_bonus else 0,
    )
    age_points = 0
    if p.age is not None:
        age_points = next(
            (pts for low, high, pts in rules.age_bands if low <= p.age <= high), 0
        )
    add("age", _("Age"), p.age if p.age is not None else "—", age_points)
    bonus = [_label(rules.other_bonus_items.get(c, c)) for c in p.other_bonus_items]
    add(
        "other_bonus",
        _("Other bonus items"),
        "、".join(bonus) if bonus else "—",
        min(rules.other_bonus_max, rules.other_bonus_each * len(set(bonus))),
    )
    add(
        "local_bonus",
        _("Local bonus"),
        p.local_bonus,
        max(0, min(rules.local_bonus_max, p.local_bonus)),
    )
    total = sum(int(i["points"]) for i in items)
    grounds = _grounds(p, total, rules)
    best = max(
        (g["class"] for g in grounds if g["met"]),
        key=lambda c: CLASS_RANK[c],
        default="C",
    )
    return PermitAssessment(
        items=items, total=total, permit_class=best, grounds=grounds
    )


def _grounds(p: PointsInput, total: int, rules: PermitRules) -> list[dict[str, Any]]:
    grounds: list[dict[str, Any]] = []

    def ground(route: str, cls: str | None, message: str) -> None:
        grounds.append(
            {"route": route, "met": cls is not None, "class": cls, "message": message}
        )

    # Points.
    figures = {"points": total, "a": rules.class_a_points, "b": rules.class_b_points}
    if total >= rules.class_a_points:
        ground(
            "points",
            "A",
            _("%(points)s points, at or above the %(a)s of class A.") % figures,
        )
    elif total >= rules.class_b_points:
        ground(
            "points",
            "B",
            _("%(points)s points, at or above the %(b)s of class B.") % figures,
        )
    else:
        ground(
            "points",
            None,
            _("%(points)s points, below the %(b)s of class B.") % figures,
        )
    # Education and experience.
    degree_ok = DEGREE_RANK.get(p.education, 0) >= DEGREE_RANK[rules.class_b_min_degree]
    years_ok = p.work_years >= rules.class_b_min_work_years
    figures = {"years": p.work_years, "min": rules.class_b_min_work_years}
    if degree_ok and years_ok:
        ground(
            "education_experience",
            "B",
            _(
                "A bachelor's degree or above with %(years)s years of relevant "
                "experience (at least %(min)s): class B."
            )
            % figures,
        )
    elif degree_ok:
        ground(
            "education_experience",
            None,
            _(
                "A bachelor's degree or above, but %(years)s years of relevant "
                "experience (class B needs at least %(min)s)."
            )
            % figures,
        )
    else:
        ground(
            "education_experience",
            None,
            _("No bachelor's degree: this ground does not apply."),
        )
    # Salary multiple.
    average = (
        p.local_average_salary
        if p.local_average_salary is not None
        else rules.local_average_salary
    )
    if average > 0:
        multiple = p.annual_salary / average
        salary_figures = {
            "multiple": f"{multiple.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}",
            "average": _wan(average),
            "a": f"{rules.class_a_salary_multiple.normalize():f}",
            "b": f"{rules.class_b_salary_multiple.normalize():f}",
        }
        # Compared unrounded (RULES §0.2): salary ≥ N × average.
        if p.annual_salary >= rules.class_a_salary_multiple * average:
            cls: str | None = "A"
            text = _(
                "Annual salary is %(multiple)s times the local average wage "
                "(%(average)s 10k yuan), at least %(a)s times: class A."
            )
        elif p.annual_salary >= rules.class_b_salary_multiple * average:
            cls = "B"
            text = _(
                "Annual salary is %(multiple)s times the local average wage "
                "(%(average)s 10k yuan), at least %(b)s times: class B."
            )
        else:
            cls = None
            text = _(
                "Annual salary is %(multiple)s times the local average wage "
                "(%(average)s 10k yuan), below the %(b)s times of class B."
            )
        ground("salary_multiple", cls, text % salary_figures)
    else:
        ground(
            "salary_multiple",
            None,
            _("No local average wage is set: this ground cannot be checked."),
        )
    # Recognised achievements.
    held = [
        _label(rules.achievements[c]) for c in p.achievements if c in rules.achievements
    ]
    if held:
        ground(
            "achievement",
            "A",
            _("Recognised achievement: %(items)s: class A.")
            % {"items": "、".join(held)},
        )
    else:
        ground("achievement", None, _("No recognised achievement given."))
    return grounds


def other_bonus_choices() -> list[tuple[str, str | Promise]]:
    """(code, label) of the other bonus items, read when called (a form's
    choices may be this function)."""
    return list(rules_from_settings().other_bonus_items.items())


def achievement_choices() -> list[tuple[str, str | Promise]]:
    """(code, label) of the recognised achievements, read when called."""
    return list(rules_from_settings().achievements.items())


def check_codes(codes: list[str], known: Mapping[str, Any]) -> list[str]:
    """The codes, or ValueError naming the first one not in the data."""
    for code in codes:
        if code not in known:
            raise ValueError(
                _("“%(code)s” is not one of: %(known)s.")
                % {"code": code, "known": ", ".join(known)}
            )
    return list(dict.fromkeys(codes))
