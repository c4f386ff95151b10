"""Demo support: visits and follow-ups, R&D institutions, loans, and carriers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bureau.models import OrgUnit, User
from enterprises.demo.vocabulary import WAN
from enterprises.models import (
    Carrier,
    CarrierType,
    Enterprise,
    FollowUp,
    InstitutionType,
    Loan,
    RDInstitution,
    Visit,
)

BANKS = [
    "杭州银行",
    "浙商银行",
    "工商银行杭州分行",
    "建设银行浙江省分行",
    "杭州联合银行",
]


ISSUES = [
    "希望协助申报高新技术企业",
    "研发费用归集不规范，需要辅导",
    "扩大生产需要用地和厂房",
    "融资需求约500万元",
    "招聘研发人员困难",
    "希望对接高校开展产学研合作",
    "咨询研发费用加计扣除政策",
]


def _seed_support(
    e: Enterprise, stage: int, staff: list[User], rng, today: date
) -> None:  # type: ignore[no-untyped-def]
    if staff and rng.random() < 0.4 and not Visit.objects.filter(enterprise=e).exists():
        visitor = rng.choice(staff)
        visit = Visit.objects.create(
            enterprise=e,
            visited_on=today - timedelta(days=rng.randint(5, 200)),
            issues_raised=rng.choice(ISSUES),
            created_by=visitor,
        )
        visit.visitors.set([visitor])
        FollowUp.objects.create(
            visit=visit,
            action="协调相关部门并回复企业",
            owner=visitor,
            due_on=visit.visited_on + timedelta(days=rng.randint(10, 60)),
            status=rng.choice((FollowUp.Status.OPEN, FollowUp.Status.DONE)),
        )
    if stage >= 3 and rng.random() < 0.35:
        level = rng.choice(("municipal", "municipal", "provincial", "district"))
        RDInstitution.objects.get_or_create(
            enterprise=e,
            type=InstitutionType.objects.get(code="rd_centre"),
            defaults={
                "name": f"{e.name.removeprefix('杭州').removesuffix('有限公司')}研发中心",
                "level": level,
                "recognised_on": date(today.year - rng.randint(0, 4), 11, 15),
            },
        )
    if rng.random() < 0.15 and not Loan.objects.filter(enterprise=e).exists():
        Loan.objects.create(
            enterprise=e,
            bank=rng.choice(BANKS),
            amount=Decimal(rng.choice((100, 200, 300, 500, 800))) * WAN,
            granted_on=today - timedelta(days=rng.randint(10, 500)),
            kind=rng.choice(list(Loan.Kind.values)),
            term_months=rng.choice((12, 24, 36)),
        )


def _seed_carriers(units: list[OrgUnit], rng) -> None:  # type: ignore[no-untyped-def]
    specs = [
        ("运河智慧谷科技企业孵化器", "incubator", "provincial"),
        ("北部软件园众创空间", "makerspace", "national"),
        ("半山青年创业社区", "makerspace", "municipal"),
        ("康桥农业星创天地", "agri_space", "provincial"),
    ]
    for name, kind, level in specs:
        carrier, created = Carrier.objects.get_or_create(
            name=name,
            defaults={
                "type": CarrierType.objects.get(code=kind),
                "level": level,
                "org_unit": rng.choice(units),
                "operator": "杭州运河科创发展有限公司",
            },
        )
        if created:
            carrier.residents.set(
                Enterprise.objects.filter(org_unit=carrier.org_unit)[
                    : rng.randint(5, 15)
                ]
            )
