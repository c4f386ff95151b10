"""Demo registers: IP items, technology transfers and staff rosters."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bureau.lib import pii
from enterprises.demo.vocabulary import _person
from enterprises.models import (
    Certification,
    Enterprise,
    Tier,
)

# --- The IP, transfer and staff registers -------------------------------------

IP_TITLES = {
    "invention": [
        "一种基于深度学习的缺陷检测方法",
        "一种高导热复合材料及其制备方法",
        "一种低功耗无线传感节点",
        "一种精密减速器装配工艺",
    ],
    "utility": [
        "一种可快速拆装的散热模组",
        "一种多工位检测夹具",
        "一种防尘型控制柜",
        "一种自动上料装置",
        "一种便携式采样器",
        "一种减震安装支架",
    ],
    "design": ["智能网关外壳", "手持检测仪"],
    "software": [
        "设备远程运维管理平台V2.0",
        "生产数据采集系统V1.3",
        "智慧园区能耗监测软件V1.0",
        "质量追溯管理系统V3.1",
        "企业研发项目管理软件V1.2",
    ],
    "trademark": ["“{brand}”文字商标"],
}


TRANSFER_TITLES = [
    "智能检测装备产业化",
    "高导热材料中试及量产",
    "远程运维平台推广应用",
    "节能控制模块产品化",
    "精密加工工艺改进",
]


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _demo_id_number(rng: random.Random) -> str:
    born = date(rng.randint(1968, 2001), rng.randint(1, 12), rng.randint(1, 28))
    first = f"330105{born:%Y%m%d}{rng.randint(100, 999)}"
    check = "10X98765432"[
        sum(int(c) * w for c, w in zip(first, _ID_WEIGHTS, strict=True)) % 11
    ]
    return first + check


def seed_registers(*, featured: list[Enterprise], today: date) -> None:
    """IP items, transfers and (for the featured enterprises) a staff roster
    for the enterprises on the national rungs, from a seed of their own so
    the rest of the demo stays as it was. Enterprises with IP are skipped."""
    from enterprises import ip_rules
    from enterprises.models import IPItem, RosterPerson, StaffRoster, TechTransfer

    rng = random.Random(2027)
    hnte_years = dict(
        Certification.objects.filter(tier__code=Tier.HNTE)
        .order_by("issued_on")
        .values_list("enterprise_id", "year")
    )
    chosen = list(
        Enterprise.objects.filter(
            certifications__tier__code__in=[Tier.HNTE, Tier.TECH_SME]
        )
        .distinct()
        .order_by("credit_code")[:90]
    )
    chosen += [e for e in featured if e not in chosen]
    with_ip = set(
        IPItem.objects.filter(enterprise__in=chosen).values_list(
            "enterprise_id", flat=True
        )
    )
    items: list[IPItem] = []
    transfers: list[TechTransfer] = []
    for e in chosen:
        if e.pk in with_ip:
            continue
        used_year = hnte_years.get(e.pk)
        plan = [
            ("invention", rng.choice((0, 0, 1, 2))),
            ("utility", rng.randint(1, 5)),
            ("design", rng.choice((0, 0, 1))),
            ("software", rng.randint(1, 4)),
            ("trademark", 1),
        ]
        for ip_type, count in plan:
            for title in rng.sample(
                IP_TITLES[ip_type], min(count, len(IP_TITLES[ip_type]))
            ):
                applied = date(
                    today.year - rng.randint(2, 7),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
                granted = applied + timedelta(days=rng.randint(150, 900))
                if granted >= today:
                    granted = today - timedelta(days=rng.randint(30, 120))
                pending = ip_type == "invention" and rng.random() < 0.25
                number = (
                    f"ZL{applied.year}{rng.randint(10000000, 99999999)}.{rng.randint(0, 9)}"
                    if ip_type in ("invention", "utility", "design")
                    else f"{applied.year}SR{rng.randint(100000, 999999)}"
                    if ip_type == "software"
                    else f"{rng.randint(10000000, 69999999)}"
                )
                ip_class = ip_rules.ip_class_of(ip_type)
                items.append(
                    IPItem(
                        enterprise=e,
                        ip_type=ip_type,
                        ip_class=ip_class,
                        number=number,
                        title=title.format(brand=e.name[2:4]),
                        applied_on=applied,
                        granted_on=None if pending else granted,
                        status="pending" if pending else "granted",
                        ownership="own_rd" if rng.random() < 0.85 else "transfer",
                        # Class Ⅱ items the 高企 application already used.
                        hnte_used_year=used_year
                        if ip_class == "2"
                        and used_year
                        and not pending
                        and granted.year <= used_year
                        and rng.random() < 0.7
                        else None,
                    )
                )
        for title in rng.sample(TRANSFER_TITLES, rng.randint(0, 3)):
            first = today.year - rng.randint(1, 3)
            for year in range(first, min(first + rng.randint(1, 2), today.year)):
                transfers.append(
                    TechTransfer(
                        enterprise=e,
                        title=title,
                        year=year,
                        way=rng.choice(TechTransfer.Way.values),
                        contract_number=f"HT{year}-{rng.randint(100, 999)}",
                    )
                )
    IPItem.objects.bulk_create(items, batch_size=500)
    TechTransfer.objects.bulk_create(transfers, batch_size=500)
    # Each conversion rests on one of the enterprise's patents or copyrights.
    basis: dict[int, int] = {}
    for item in IPItem.objects.filter(
        enterprise__in=chosen, ip_class__in=["1", "2"]
    ).order_by("id"):
        basis.setdefault(item.enterprise_id, item.pk)
    links = TechTransfer.ip_items.through
    links.objects.bulk_create(
        [
            links(techtransfer_id=t.pk, ipitem_id=basis[t.enterprise_id])
            for t in TechTransfer.objects.filter(enterprise__in=chosen).exclude(
                ip_items__isnull=False
            )
            if t.enterprise_id in basis
        ],
        batch_size=500,
    )
    # A staff roster of last year for each featured enterprise.
    last_year = today.year - 1
    for e in featured:
        roster, created = StaffRoster.objects.get_or_create(
            enterprise=e, year=last_year
        )
        if not created:
            continue
        people = []
        for n in range(rng.randint(36, 48)):
            kind = "employed" if n < 30 else rng.choice(("part_time", "temporary"))
            start = None
            end = None
            if rng.random() < 0.15:
                start = date(last_year, rng.randint(2, 11), rng.randint(1, 28))
            elif rng.random() < 0.08:
                end = date(last_year, rng.randint(2, 11), rng.randint(1, 28))
            id_number = _demo_id_number(rng)
            people.append(
                RosterPerson(
                    roster=roster,
                    name=_person(rng),
                    id_number=id_number,
                    id_number_hash=pii.keyed_hash(id_number),
                    id_number_masked=pii.mask_id_number(id_number),
                    kind=kind,
                    education=rng.choice(
                        ("doctorate", "master", "bachelor", "bachelor", "college")
                    ),
                    is_tech=rng.random() < 0.3,
                    is_rd=rng.random() < 0.2,
                    start_on=start,
                    end_on=end,
                    days_worked=rng.randint(90, 240) if kind != "employed" else None,
                    months_worked=None,
                )
            )
        RosterPerson.objects.bulk_create(people)
