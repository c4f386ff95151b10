"""Demo organisations that are not enterprises, and the registers built on
them: universities and institutes registered as themselves, new-type R&D
institutions and 院士专家工作站, carriers with hosts and yearly figures,
agreements with their follow-up visits, and alliances. Called by
enterprises/demo/registry.py; deterministic and idempotent (keyed by credit code and
name)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bureau.models import OrgUnit, User
from enterprises.models import (
    Agreement,
    Alliance,
    Carrier,
    CarrierType,
    CarrierYear,
    CooperationVisit,
    Enterprise,
    InstitutionType,
    RDInstitution,
)
from enterprises.validators import credit_code_for_serial

ORGANISATIONS = [
    # name, kind
    ("浙江运河职业技术学院", Enterprise.Kind.UNIVERSITY),
    ("杭州市智能制造研究院", Enterprise.Kind.INSTITUTE),
    ("浙江省数字安防技术研究所", Enterprise.Kind.INSTITUTE),
    ("杭州市拱墅区人民医院", Enterprise.Kind.HOSPITAL),
    ("杭州半山果蔬专业合作社", Enterprise.Kind.COOPERATIVE),
    ("浙大运河数字经济研究院", Enterprise.Kind.NEW_RD),
    ("杭州北部软件园发展中心", Enterprise.Kind.OTHER),
]
CARRIERS_MORE = [
    ("运河湾产业创新服务综合体", "service_complex", "provincial"),
    ("祥符智造加速器", "accelerator", "municipal"),
]
AGREEMENTS = [
    # title, kind, district party, partner (registry name or outside name),
    # years ago signed, term years, content
    (
        "区校全面战略合作框架协议",
        "univ_district",
        True,
        "浙江工业大学",
        2,
        5,
        "共建研究院、共建人才培养基地、科技成果就地转化。",
    ),
    (
        "数字安防联合实验室共建协议",
        "inst_enterprise",
        False,
        "浙江省数字安防技术研究所",
        1,
        3,
        "围绕视频结构化与边缘计算联合攻关，共建联合实验室。",
    ),
    (
        "智能制造产学研合作协议",
        "univ_enterprise",
        False,
        "浙江运河职业技术学院",
        1,
        3,
        "工业机器人运维人才定向培养，企业技术难题揭榜攻关。",
    ),
    (
        "院地合作共建运河数字经济研究院协议",
        "inst_district",
        True,
        "浙大运河数字经济研究院",
        3,
        5,
        "区政府提供场地与启动经费，研究院孵化科技企业并引进高层次人才。",
    ),
    (
        "新材料成果转化合作协议",
        "univ_enterprise",
        False,
        "杭州电子科技大学",
        0,
        2,
        "石墨烯导热膜中试与产业化。",
    ),
]
# The platform each agreement built (共建研究院, 联合实验室).
CO_BUILT = {
    "院地合作共建运河数字经济研究院协议": "浙大运河数字经济研究院",
    "数字安防联合实验室共建协议": "数字安防联合实验室",
}
VISITS = [
    ("走访对接，商定年度合作计划", 1, 0, 2, 0),
    ("召开联合攻关推进会，签订技术开发合同", 2, 0, 0, 1),
    ("回访研究院建设进度，协调人才公寓", 0, 1, 3, 0),
    ("组织成果发布对接会", 1, 0, 0, 2),
]


def seed_cooperation(*, units: list[OrgUnit], staff: list[User], today: date) -> None:
    rng = random.Random(1515)
    if not units:
        return
    orgs = _seed_organisations(units, rng)
    _seed_institutions(orgs, today)
    _seed_carriers(units, orgs, rng, today)
    if staff:
        _seed_agreements(orgs, staff[0], rng, today)
        _seed_alliances(orgs, staff[0], rng, today)


def _seed_organisations(
    units: list[OrgUnit], rng: random.Random
) -> dict[str, Enterprise]:
    orgs: dict[str, Enterprise] = {}
    for i, (name, kind) in enumerate(ORGANISATIONS):
        code = credit_code_for_serial(700_000 + i * 104_729)
        org, _created = Enterprise.objects.get_or_create(
            credit_code=code,
            defaults={
                "name": name,
                "kind": kind,
                "org_unit": units[i % len(units)],
                "contact_name": rng.choice(("王", "李", "陈", "周")) + "老师",
            },
        )
        orgs[name] = org
    return orgs


def _seed_institutions(orgs: dict[str, Enterprise], today: date) -> None:
    types = {t.code: t for t in InstitutionType.objects.all()}
    specs = [
        ("浙大运河数字经济研究院", "浙大运河数字经济研究院", "new_rd", "provincial", 3),
        (
            "杭州市智能制造研究院",
            "智能装备院士专家工作站",
            "academician_ws",
            "municipal",
            2,
        ),
        ("浙江省数字安防技术研究所", "数字安防联合实验室", "joint_lab", "district", 1),
        (
            "浙江运河职业技术学院",
            "工业机器人应用工程技术研究中心",
            "eng_centre",
            "municipal",
            1,
        ),
    ]
    for host, name, code, level, years_ago in specs:
        if code in types:
            RDInstitution.objects.get_or_create(
                enterprise=orgs[host],
                name=name,
                defaults={
                    "type": types[code],
                    "level": level,
                    "recognised_on": date(today.year - years_ago, 9, 20),
                },
            )
    # A few 规上 enterprises with a 企业研究院 of province level.
    institute = types.get("institute")
    if institute is None:
        return
    for enterprise in Enterprise.objects.enterprises().filter(is_above_scale=True)[:6]:
        RDInstitution.objects.get_or_create(
            enterprise=enterprise,
            type=institute,
            defaults={
                "name": f"{enterprise.name.removeprefix('杭州').removesuffix('有限公司')}"
                "省级企业研究院",
                "level": "provincial",
                "recognised_on": date(today.year - 1, 12, 10),
            },
        )


def _seed_carriers(
    units: list[OrgUnit],
    orgs: dict[str, Enterprise],
    rng: random.Random,
    today: date,
) -> None:
    types = {t.code: t for t in CarrierType.objects.all()}
    for name, code, level in CARRIERS_MORE:
        if code in types:
            Carrier.objects.get_or_create(
                name=name,
                defaults={
                    "type": types[code],
                    "level": level,
                    "org_unit": rng.choice(units),
                    "host": orgs["杭州北部软件园发展中心"],
                    "recognised_on": date(today.year - 2, 6, 30),
                },
            )
    grades = ["excellent", "good", "good", "passed", "passed", "failed"]
    for carrier in Carrier.objects.order_by("id"):
        if carrier.host_id is None and carrier.recognised_on is None:
            carrier.host = orgs["杭州北部软件园发展中心"]
            carrier.recognised_on = date(today.year - rng.randint(3, 8), 12, 1)
            carrier.save(update_fields=["host", "recognised_on"])
        base = rng.randint(20, 80)
        for back in (3, 2, 1):
            year = today.year - back
            CarrierYear.objects.get_or_create(
                carrier=carrier,
                year=year,
                defaults={
                    "incubating": base + (3 - back) * rng.randint(2, 8),
                    "graduated": rng.randint(2, 12),
                    "new_residents": rng.randint(5, 20),
                    "grade": rng.choice(grades),
                },
            )
        # The current year's too (the summary and the carriers page open on
        # it), from a generator of its own so the earlier years stay as they
        # were.
        own = random.Random(f"carrier-year-{carrier.name}-{today.year}")
        CarrierYear.objects.get_or_create(
            carrier=carrier,
            year=today.year,
            defaults={
                "incubating": base + 3 * own.randint(2, 8),
                "graduated": own.randint(2, 12),
                "new_residents": own.randint(5, 20),
                "grade": own.choice(grades),
            },
        )


def _seed_agreements(
    orgs: dict[str, Enterprise], by: User, rng: random.Random, today: date
) -> None:
    companies = list(Enterprise.objects.enterprises().order_by("id")[:40])
    platforms = {
        i.name: i for i in RDInstitution.objects.filter(enterprise__in=orgs.values())
    }
    for index, (title, kind, district, partner, ago, term, content) in enumerate(
        AGREEMENTS
    ):
        signed = date(today.year - ago, 3 + index, 10 + index)
        if signed > today:
            signed = today - timedelta(days=30)
        registered = orgs.get(partner)
        agreement, created = Agreement.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "district_is_party": district,
                "partner": registered,
                "partner_name": "" if registered else partner,
                "signed_on": signed,
                "term_ends_on": signed.replace(year=signed.year + term),
                "content": content,
                "contact_name": "张" + ("老师" if registered else "主任"),
                "created_by": by,
            },
        )
        if not created:
            continue
        if not district and companies:
            agreement.parties.set(rng.sample(companies, k=min(2, len(companies))))
        platform = CO_BUILT.get(title)
        if platform in platforms:
            agreement.platforms.add(platforms[platform])
        for n, (outcome, projects, platforms_n, talents, results) in enumerate(
            VISITS[: 1 + index % len(VISITS)]
        ):
            visited = signed + timedelta(days=60 + n * 90)
            if visited > today:
                break
            CooperationVisit.objects.create(
                agreement=agreement,
                visited_on=visited,
                visitors="科技局产学研合作科 " + by.display_name,
                outcome=outcome,
                projects=projects,
                platforms=platforms_n,
                talents=talents,
                achievements=results,
                created_by=by,
            )


def _seed_alliances(
    orgs: dict[str, Enterprise], by: User, rng: random.Random, today: date
) -> None:
    companies = list(Enterprise.objects.enterprises().order_by("-id")[:60])
    specs = [
        (
            "运河数字安防创新联合体",
            "consortium",
            "municipal",
            "浙江省数字安防技术研究所",
            "数字安防",
            "浙江大学\n杭州电子科技大学",
        ),
        (
            "拱墅智能制造产业技术创新联盟",
            "alliance",
            "district",
            "杭州市智能制造研究院",
            "智能制造",
            "浙江工业大学",
        ),
        (
            "生物医药协同创新联合体",
            "consortium",
            "provincial",
            "杭州市拱墅区人民医院",
            "生物医药",
            "浙江中医药大学",
        ),
    ]
    for index, (name, kind, level, lead, field, outside) in enumerate(specs):
        alliance, created = Alliance.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "level": level,
                "lead": orgs[lead],
                "field": field,
                "outside_members": outside,
                "founded_on": date(today.year - 1 - index % 2, 5 + index, 18),
                "created_by": by,
            },
        )
        if created and companies:
            alliance.members.set(
                rng.sample(companies, k=min(4 + index * 2, len(companies)))
            )
