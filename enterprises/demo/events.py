"""Demo events (活动) and science-popularisation bases."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bureau.models import OrgUnit, User
from enterprises.models import (
    Enterprise,
    Event,
    ScienceBase,
)
from enterprises.services import (
    event_save,
    science_base_save,
)

# (type, title, month, day, organiser, place, participants, materials, trained,
#  attending enterprises, held by the street of `units[i]` or the bureau)
EVENTS = [
    (
        Event.Kind.POLICY,
        "高新技术企业认定政策直通车",
        3,
        12,
        "区科技局",
        "区行政服务中心三楼报告厅",
        126,
        300,
        0,
        18,
        None,
    ),
    (
        Event.Kind.MICRO_CLASS,
        "科创微课堂：研发费用加计扣除实务",
        4,
        9,
        "区科技局、区税务局",
        "线上直播",
        210,
        0,
        210,
        12,
        None,
    ),
    (
        Event.Kind.TRAINING,
        "科技型中小企业评价入库培训班",
        3,
        26,
        "区科技局",
        "智慧网谷小镇会议中心",
        95,
        95,
        95,
        20,
        None,
    ),
    (
        Event.Kind.ROADSHOW,
        "运河科创项目路演（第一期）",
        5,
        16,
        "区科技局",
        "北部软件园路演厅",
        80,
        0,
        0,
        8,
        None,
    ),
    (
        Event.Kind.BANK,
        "科技企业银企对接会",
        6,
        20,
        "区科技局、杭州银行科技支行",
        "运河财富小镇",
        64,
        120,
        0,
        15,
        None,
    ),
    (
        Event.Kind.ACADEMIA,
        "浙江工业大学产学研对接会",
        7,
        8,
        "区科技局、浙江工业大学",
        "浙江工业大学朝晖校区",
        72,
        60,
        0,
        10,
        None,
    ),
    (
        Event.Kind.CONTEST,
        "拱墅区创新创业大赛初赛",
        8,
        22,
        "区科技局",
        "智慧网谷小镇",
        150,
        0,
        0,
        24,
        None,
    ),
    (
        Event.Kind.SCIENCE_WEEK,
        "科技活动周启动仪式暨科普展",
        5,
        20,
        "区科技局、区科协",
        "运河广场",
        1800,
        6000,
        0,
        6,
        None,
    ),
    (
        Event.Kind.SCIENCE_DAY,
        "全国科普日社区科普集市",
        9,
        18,
        "米市巷街道",
        "米市巷街道文化家园",
        650,
        2200,
        0,
        3,
        0,
    ),
    (
        Event.Kind.COUNTRYSIDE,
        "科技三下乡：实用技术培训进社区",
        1,
        15,
        "区科协",
        "康桥街道",
        220,
        1500,
        180,
        0,
        1,
    ),
    (
        Event.Kind.POLICY,
        "街道企业服务日：科技政策宣讲",
        4,
        25,
        "米市巷街道",
        "米市巷街道便民服务中心",
        45,
        80,
        0,
        9,
        0,
    ),
    (
        Event.Kind.TRAINING,
        "知识产权贯标培训",
        10,
        11,
        "区科技局、区市场监管局",
        "区行政服务中心",
        88,
        88,
        88,
        14,
        None,
    ),
]


SCIENCE_BASES = [
    ("中国京杭大运河博物馆", "national", "杭州市运河集团", 0, 2018, 380000),
    ("杭州工艺美术博物馆", "provincial", "杭州市运河集团", 1, 2019, 120000),
    ("浙江省科技馆拱墅分馆", "municipal", "拱墅区科协", 2, 2021, 56000),
    ("半山森林公园自然科普基地", "municipal", "半山国家森林公园管理处", 3, 2022, 43000),
    (
        "北部软件园数字科普体验馆",
        "district",
        "杭州北部软件园发展有限公司",
        4,
        2024,
        9800,
    ),
]


def _seed_events(units: list[OrgUnit], by: User, today: date) -> None:
    """This year's and last year's events, with enterprises attending
    (several from the demo liaison's street), and the 科普 bases."""
    if Event.objects.exists():
        return
    rng = random.Random(515)
    units = sorted(units, key=lambda u: u.sort_order)
    for year in (today.year - 1, today.year):
        for (
            kind,
            title,
            month,
            day,
            organiser,
            place,
            people,
            materials,
            trained,
            n,
            unit,
        ) in EVENTS:
            starts_on = date(year, month, day)
            if starts_on > today:
                continue
            street = units[unit] if unit is not None else None
            pool = (
                Enterprise.objects.filter(org_unit=street)
                if street
                else Enterprise.objects.all()
            )
            attendees = list(pool.order_by("credit_code")[: n * 3])
            rng.shuffle(attendees)
            scale = 1 if year == today.year else rng.uniform(0.8, 0.95)
            event_save(
                by=by,
                event=Event(
                    kind=kind,
                    title=f"{year}年{title}",
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=6)
                    if kind == Event.Kind.SCIENCE_WEEK
                    else None,
                    organiser=organiser,
                    org_unit=street,
                    place=place,
                    participants=int(people * scale),
                    materials=int(materials * scale),
                    trained=int(trained * scale),
                ),
                enterprises=attendees[:n],
            )
    for name, level, host, unit, year, visitors in SCIENCE_BASES:
        science_base_save(
            by=by,
            base=ScienceBase(
                name=name,
                level=level,
                host=host,
                org_unit=units[unit % len(units)],
                recognised_on=date(year, 9, 1),
                yearly_visitors=visitors,
            ),
        )
