"""Demo talent for `seed_demo`: people with (fictitious, valid) ID numbers,
teams, awards, allowances already running, foreign experts' cases and
commissioners with service logs. Idempotent: nothing is added twice."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bureau.models import User
from enterprises.models import Enterprise
from talent.models import (
    AllowanceRule,
    Degree,
    ServiceLog,
    Talent,
    TalentProgramme,
)
from talent.points import PointsInput
from talent.services import (
    add_months,
    allowance_grant,
    allowance_payments_pay,
    allowances_mark_due,
    award_record,
    commissioner_assess,
    commissioner_create,
    permit_case_create,
    service_log_record,
    talent_create,
    team_create,
)
from talent.validators import id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超华丽平刚桂英秀兰辉鹏宇浩然晨曦思远"
TITLES = ["高级工程师", "研究员", "副研究员", "教授级高工", "工程师", "副教授"]
FIELDS = [
    "人工智能",
    "集成电路",
    "生物医药",
    "新材料",
    "智能制造",
    "数字安防",
    "新能源",
]


def _id_number(rng: random.Random, born: date, male: bool) -> str:
    seq = rng.randint(10, 99) * 10 + (
        rng.choice((1, 3, 5, 7, 9)) if male else rng.choice((0, 2, 4, 6, 8))
    )
    first17 = f"330105{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


@transaction.atomic
def seed_talent(*, by: User, today: date | None = None) -> int:
    if Talent.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(7)
    programmes = {
        kind: TalentProgramme.objects.get_or_create(
            name=name, defaults={"level": level, "kind": kind}
        )[0]
        for kind, name, level in [
            ("innovation_team", "浙江省领军型创新团队", "provincial"),
            ("high_level", "杭州市高层次人才引进", "municipal"),
            ("star", "拱墅区“运河英才”科技之星", "district"),
            ("entrepreneur_team", "杭州市领军型创业团队", "municipal"),
        ]
    }
    rules: dict[str, AllowanceRule] = {
        degree: AllowanceRule.objects.get_or_create(
            degree=degree,
            defaults={
                "monthly_amount": Decimal(amount),
                "months": months,
                "programme": programmes["high_level"],
            },
        )[0]
        for degree, amount, months in [
            (Degree.DOCTORATE, "5000", 36),
            (Degree.MASTER, "3000", 24),
            (Degree.BACHELOR, "1500", 12),
        ]
    }
    employers = list(Enterprise.objects.order_by("id")[:40])
    people = []
    for i in range(48):
        male = rng.random() < 0.65
        born = date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
        degree = rng.choices(
            [Degree.DOCTORATE, Degree.MASTER, Degree.BACHELOR], weights=(3, 4, 2)
        )[0]
        arrived = today - timedelta(days=rng.randint(60, 1500))
        people.append(
            talent_create(
                by=by,
                name=rng.choice(SURNAMES)
                + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                id_number=_id_number(rng, born, male),
                phone=f"1{rng.choice((3, 5, 8))}{rng.randint(100000000, 999999999)}",
                degree=degree,
                title=rng.choice(TITLES),
                field=rng.choice(FIELDS),
                employer=employers[i % len(employers)] if employers else None,
                arrived_on=arrived,
                left_on=arrived + timedelta(days=rng.randint(200, 500))
                if i % 11 == 5
                else None,
            )
        )
    # Teams: one meeting the provincial rules, one with warnings.
    teams = [
        team_create(
            by=by,
            name=name,
            leader=people[leader],
            members=people[leader + 1 : end],
            enterprise=people[leader].employer,
            programme=programmes[kind],
        )
        for name, leader, end, kind in [
            ("智能感知芯片创新团队", 0, 7, "innovation_team"),
            ("合成生物创业团队", 8, 12, "entrepreneur_team"),
        ]
    ]
    award_record(
        by=by,
        programme=programmes["innovation_team"],
        team=teams[0],
        year=today.year - 1,
        amount=Decimal("5000000"),
    )
    for person in people[12:18]:
        award_record(
            by=by,
            programme=programmes["star"],
            talent=person,
            year=today.year - 1,
            amount=Decimal("100000"),
        )
    # Allowances running for a year or so; past months due and paid.
    for person in people[:24]:
        first = add_months(today.replace(day=1), -rng.randint(2, 14))
        if person.left_on and person.left_on < first:
            continue
        allowance_grant(
            by=by, talent=person, rule=rules[person.degree], first_month=first
        )
    month = add_months(today.replace(day=1), -14)
    while month <= today.replace(day=1):
        allowances_mark_due(month=month)
        if month < today.replace(day=1):
            allowance_payments_pay(by=by, month=month)
        month = add_months(month, 1)
    # Foreign experts: each class reached by a different route (points and
    # salary for the first, a recognised award for the second, a bachelor's
    # degree with 3 years' experience — B, not C — for the third); ages
    # exact on today from the date of birth.
    for name, nationality, salary, education, years, born, achievements in [
        ("Michael Brown", "US", "60", "doctorate", 15, date(1978, 3, 12), []),
        (
            "Anna Schmidt",
            "DE",
            "38",
            "master",
            8,
            date(1990, 11, 2),
            ["international_award"],
        ),
        ("Kenji Tanaka", "JP", "22", "bachelor", 3, date(1997, 7, 21), []),
    ]:
        expert = talent_create(
            by=by,
            name=name,
            nationality=nationality,
            birth_date=born,
            degree=education,
            employer=employers[0] if employers else None,
            arrived_on=today - timedelta(days=200),
        )
        permit_case_create(
            by=by,
            talent=expert,
            points_input=PointsInput(
                annual_salary=Decimal(salary) * 10000,
                education=education,
                work_years=years,
                months_per_year=10,
                chinese_level=2,
                age=expert.age_on(today),
                achievements=achievements,
            ),
        )
    # Commissioners.
    for kind, name, org, area in [
        ("individual", "周建华", "浙江工业大学", "半山街道"),
        ("individual", "林晓", "浙江理工大学", "康桥街道"),
        ("team", "智能制造科技特派员团队", "浙江大学城市学院", "高端装备制造业"),
        ("team", "生物医药服务团队", "杭州医学院", "生物医药产业"),
        ("legal_entity", "浙江省农业科学院", "浙江省农业科学院", "拱墅区"),
    ]:
        commissioner = commissioner_create(
            by=by,
            kind=kind,
            name=name,
            sending_organisation=org,
            served_area=area,
            term_start=date(today.year - 1, 4, 1),
            term_end=date(today.year + 1, 3, 31),
            served_enterprises=rng.sample(employers, min(3, len(employers))),
        )
        for _ in range(rng.randint(4, 9)):
            service_log_record(
                by=by,
                commissioner=commissioner,
                served_on=today - timedelta(days=rng.randint(5, 300)),
                kind=rng.choice(list(ServiceLog.Kind.values)),
                count=rng.randint(1, 5),
                result=rng.choice(
                    [
                        "解决工艺难题1项",
                        "开展培训30人次",
                        "对接项目1个",
                        "指导申报专利2件",
                        "",
                    ]
                ),
            )
        commissioner_assess(
            by=by,
            commissioner=commissioner,
            year=today.year - 1,
            score=rng.randint(62, 97),
        )
    return Talent.objects.count()
