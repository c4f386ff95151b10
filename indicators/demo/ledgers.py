"""Demo ledgers for `seed_demo`: technology contracts, achievements and
the organisations outside the register that sign them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bureau.models import OrgUnit, User
from indicators.demo.writer import _q

# --- Ledgers: technology contracts, achievements, R&D statistics -------------

# Organisations outside the district that sign contracts with ours.
_OUTSIDE_SELLERS = (
    ("浙江大学", "浙江省杭州市"),
    ("浙江工业大学", "浙江省杭州市"),
    ("杭州电子科技大学", "浙江省杭州市"),
    ("中国科学院宁波材料技术与工程研究所", "浙江省宁波市"),
    ("上海交通大学", "上海市"),
    ("东南大学", "江苏省南京市"),
    ("之江实验室", "浙江省杭州市"),
    ("浙江省农业科学院", "浙江省杭州市"),
)


_OUTSIDE_BUYERS = (
    ("宁波舜宇智能科技有限公司", "浙江省宁波市"),
    ("绍兴柯桥纺织印染有限公司", "浙江省绍兴市"),
    ("嘉兴港区化工新材料有限公司", "浙江省嘉兴市"),
    ("苏州工业园区精密制造有限公司", "江苏省苏州市"),
    ("合肥高新区智能装备有限公司", "安徽省合肥市"),
    ("温州瓯海汽配有限公司", "浙江省温州市"),
    ("金华永康五金科技有限公司", "浙江省金华市"),
    ("成都天府软件园信息技术有限公司", "四川省成都市"),
)


_SUBJECTS = (
    "工业互联网平台数据采集",
    "锂电池正极材料改性",
    "智能仓储调度算法",
    "医用高分子材料表面处理",
    "纺织印染废水处理工艺",
    "汽车零部件轻量化设计",
    "企业数字化转型咨询",
    "检验检测方法开发",
    "机器视觉缺陷检测",
    "新能源汽车热管理",
    "食品保鲜工艺优化",
    "建筑节能材料配方",
)


_KIND_WORDS = {
    "development": "技术开发",
    "transfer": "技术转让",
    "license": "技术许可",
    "consulting": "技术咨询",
    "service": "技术服务",
}


_NON_ENTERPRISES = (
    "区人民医院",
    "区中医院",
    "杭州某职业技术学院",
    "区农业技术推广中心",
)


def seed_ledgers(*, by: User | None, years: list[int]) -> int:
    """A few hundred technology contracts over `years` across the streets,
    achievements linked to some of them, and the R&D statistics ledgers of
    the last three years (the oldest complete, the two newer, the current
    year being the dashboard's default, with mixed statuses).
    Deterministic; rows that exist are left alone. Returns rows created."""
    from enterprises.selectors import enterprise_choices
    from indicators.ledgers import contract_direction
    from indicators.models import Achievement, RDReportingUnit, TechContract

    enterprises = list(enterprise_choices().select_related("org_unit"))
    home = OrgUnit.objects.filter(is_home=True).first()
    if not enterprises or home is None:
        return 0
    rng = random.Random("ledgers")
    today = timezone.localdate()
    created = 0

    existing = set(TechContract.objects.values_list("registration_number", flat=True))
    contracts = []
    for year in years:
        last_day = today if year == today.year else None
        for serial in range(1, 121):
            number = f"{year}{home.code}{serial:04d}"
            kind = rng.choices(list(_KIND_WORDS), weights=[45, 8, 5, 12, 30])[0]
            roll = rng.random()
            ours = rng.choice(enterprises)
            other = rng.choice(enterprises)
            if roll < 0.45:
                seller, buyer = ours, None
            elif roll < 0.9:
                seller, buyer = None, ours
            else:
                seller, buyer = ours, other if other != ours else None
            outside_seller = rng.choice(_OUTSIDE_SELLERS)
            outside_buyer = rng.choice(_OUTSIDE_BUYERS)
            amount = _q(rng.lognormvariate(3.4, 1.0) * 10000, "0.01")  # about 30万
            share = Decimal(str(rng.uniform(0.7, 1))) if kind != "consulting" else 1
            day = date(year, 1, 1) + timedelta(days=rng.randrange(0, 364))
            if last_day and day > last_day:
                day = last_day - timedelta(days=rng.randrange(0, 60))
            if number in existing:
                continue
            direction = contract_direction(
                seller_in_district=seller is not None,
                buyer_in_district=buyer is not None,
            )
            contracts.append(
                TechContract(
                    registration_number=number,
                    name=f"{rng.choice(_SUBJECTS)}{_KIND_WORDS[kind]}",
                    kind=kind,
                    seller=seller,
                    seller_name=seller.name if seller else outside_seller[0],
                    seller_credit_code=seller.credit_code if seller else "",
                    buyer=buyer,
                    buyer_name=buyer.name if buyer else outside_buyer[0],
                    buyer_credit_code=buyer.credit_code if buyer else "",
                    buyer_location="浙江省杭州市" if buyer else outside_buyer[1],
                    direction=direction,
                    seller_street_id=seller.org_unit_id if seller else None,
                    buyer_street_id=buyer.org_unit_id if buyer else None,
                    contract_amount=amount,
                    transaction_amount=(amount * share).quantize(Decimal("0.01")),
                    registered_on=day,
                    created_by=by,
                )
            )
    TechContract.objects.bulk_create(contracts)
    created += len(contracts)

    if not Achievement.objects.exists():
        sellers = list(
            TechContract.objects.filter(seller__isnull=False)
            .select_related("seller")
            .order_by("registration_number")[:40]
        )
        stages = list(Achievement.Stage)
        ways = list(Achievement.Way)
        for index, contract in enumerate(sellers[:24]):
            stage = stages[index % len(stages)]
            assert contract.seller is not None
            started = contract.registered_on
            achievement = Achievement.objects.create(
                title=contract.name.replace(_KIND_WORDS[contract.kind], "成果"),
                owner=contract.seller,
                field=rng.choice(
                    ["新材料", "电子信息", "生物医药", "先进制造", "节能环保"]
                ),
                stage=stage,
                way=ways[index % len(ways)]
                if stage != Achievement.Stage.WAITING
                else "",
                started_on=started if stage != Achievement.Stage.WAITING else None,
                pilot_on=started + timedelta(days=90)
                if stage in (Achievement.Stage.PILOT, Achievement.Stage.INDUSTRIALISED)
                else None,
                industrialised_on=started + timedelta(days=240)
                if stage == Achievement.Stage.INDUSTRIALISED
                else None,
                new_output_value=_q(rng.uniform(200, 3000) * 10000, "0.01")
                if stage == Achievement.Stage.INDUSTRIALISED
                else None,
                jobs=rng.randrange(5, 60)
                if stage == Achievement.Stage.INDUSTRIALISED
                else None,
                patents=rng.randrange(1, 8),
                created_by=by,
            )
            if stage != Achievement.Stage.WAITING:
                achievement.contracts.add(contract)
            created += 1

    streets = [u for u in OrgUnit.objects.filter(parent=home) if u.is_street_or_park]
    # The last three years' ledgers: the oldest complete, last year's and the
    # current year's (the dashboard's default year) with mixed statuses.
    for year in years[-3:]:
        if RDReportingUnit.objects.filter(year=year).exists():
            continue
        complete = year < years[-2]
        previous = {
            u.unit_name: u.amount
            for u in RDReportingUnit.objects.filter(
                year=year - 1, status__in=RDReportingUnit.REPORTING
            )
        }
        year_rng = random.Random(f"ledgers-rd-{year}")
        units = [e for e in enterprises if e.is_above_scale] + [
            e for e in enterprises if not e.is_above_scale and year_rng.random() < 0.3
        ]
        rows: list[tuple[str, str, Any, OrgUnit, bool]] = []
        for enterprise in units:
            rows.append(
                (
                    enterprise.name,
                    enterprise.credit_code,
                    enterprise,
                    enterprise.org_unit,
                    enterprise.is_above_scale,
                )
            )
        for index, name in enumerate(_NON_ENTERPRISES):
            rows.append((name, "", None, streets[index % len(streets)], False))
        ledger = []
        for name, code, enterprise, street, above in rows:
            roll = year_rng.random()
            if complete:
                status = "verified" if roll < 0.82 else "no_activity"
            elif roll < 0.45:
                status = "reported"
            elif roll < 0.62:
                status = "verified"
            elif roll < 0.72:
                status = "no_activity"
            else:
                status = "pending"
            spent = (
                _q(year_rng.lognormvariate(5.3, 1.1) * 10000, "0.01")
                if status in ("reported", "verified")
                else None
            )
            ledger.append(
                RDReportingUnit(
                    year=year,
                    unit_name=name,
                    credit_code=code,
                    enterprise=enterprise,
                    org_unit=street,
                    is_above_scale=above,
                    last_year_amount=previous.get(name),
                    status=status,
                    amount=spent,
                    reported_on=min(
                        today,
                        date(year + 1, 3, 1)
                        + timedelta(days=year_rng.randrange(0, 60)),
                    )
                    if status != "pending"
                    else None,
                    note="本年度未开展研发活动" if status == "no_activity" else "",
                    updated_by=by,
                )
            )
        RDReportingUnit.objects.bulk_create(ledger)
        created += len(ledger)
    return created
