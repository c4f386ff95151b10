"""Demo projects won from higher levels for `seed_demo`: national,
provincial and city calls of last year and this year, applications the
bureau recommended upward under its document numbers, the higher levels'
decisions with funds from above and local match, running projects with
mid-term checks and acceptances, and a reserve. Written through the
services (recommendation_create, upward_outcome_record, …). Idempotent:
skipped once a recommendation exists."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from bureau.models import Role, User
from enterprises.models import Enterprise
from projects.models import (
    Application,
    Call,
    Programme,
    Recommendation,
    ReserveProject,
    Transition,
)
from projects.services.calls import call_create, call_publish, programme_create
from projects.services.upward import (
    recommendation_create,
    reserve_drop,
    reserve_save,
    upward_acceptance_record,
    upward_midterm_record,
    upward_outcome_record,
)

S = Application.State
PROGRAMMES = [
    ("国家重点研发计划", "national"),
    ("浙江省重点研发计划（“尖兵”“领雁”）", "provincial"),
    ("浙江省科技型中小企业扶持项目", "provincial"),
    ("杭州市重大科技创新项目", "municipal"),
]
TITLES = [
    "高精度工业视觉在线检测装备研制",
    "面向长三角的城市级工业互联网标识解析平台",
    "新型钠离子电池正极材料产业化",
    "肿瘤早筛多组学液体活检试剂盒研发",
    "运河流域水环境智能监测与预警系统",
    "高端医疗器械精密陶瓷部件关键工艺",
    "基于大模型的智能客服与知识管理平台",
    "储能系统电池簇级热管理关键技术",
    "可降解聚乳酸改性材料及制品开发",
    "数字孪生驱动的智能仓储机器人集群调度",
    "高性能氮化镓功率器件封装技术",
    "智慧农业病虫害识别与精准施药装备",
]
# (programme index, years back, outcome, funds 元, local match 元, then)
PLAN = [
    (0, 1, "approved", 3_000_000, 600_000, "accepted"),
    (0, 1, "not_approved", 0, 0, ""),
    (1, 1, "approved", 1_500_000, 300_000, "midterm_good"),
    (1, 1, "approved", 1_000_000, 200_000, "midterm_rectify"),
    (1, 1, "not_approved", 0, 0, ""),
    (2, 1, "approved", 200_000, 100_000, "accepted"),
    (3, 1, "approved", 800_000, 0, "midterm_pass"),
    (3, 1, "not_approved", 0, 0, ""),
    (1, 0, "approved", 1_200_000, 240_000, ""),
    (2, 0, "approved", 300_000, 150_000, ""),
    (2, 0, "", 0, 0, ""),
    (3, 0, "", 0, 0, ""),
]


def _applicants() -> list[tuple[Enterprise, User]]:
    users = (
        User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False)
        .select_related("enterprise")
        .order_by("username")
    )
    return [(u.enterprise, u) for u in users if u.enterprise is not None]


def _calls(staff: User, head: User) -> dict[tuple[int, int], Call]:
    now = timezone.now()
    calls = {}
    for index, (name, level) in enumerate(PROGRAMMES):
        programme = Programme.objects.filter(name=name).first() or programme_create(
            by=head, name=name, level=level, kind="grant"
        )
        for back in (1, 0):
            year = now.year - back
            call = call_create(
                by=staff,
                criteria=[
                    {"name": "推荐意见", "weight": Decimal("1"), "max_score": 100}
                ],
                programme=programme,
                title=f"{year}年度{name}申报（区级推荐）",
                year=year,
                opens_at=now - timedelta(days=400 if back else 120),
                closes_at=now + timedelta(days=1),
                budget_ceiling=Decimal("50000000"),
                description="企业向区科技局提交申报材料，经区科技局审核后推荐上报。",
            )
            call_publish(call=call, by=staff)
            # Demo: the district's deadline passed before the recommendation.
            call.closes_at = now - timedelta(days=330 if back else 70)
            call.save(update_fields=["closes_at"])
            calls[(index, back)] = call
    return calls


def seed_upward(*, staff: User, head: User) -> int:
    """Returns how many projects were recommended upward."""
    if Recommendation.objects.exists():
        return 0
    applicants = _applicants()
    if not applicants:
        return 0
    today = timezone.localdate()
    calls = _calls(staff, head)
    apps: dict[tuple[int, int], list[tuple[Application, tuple]]] = {}  # type: ignore[type-arg]
    for index, plan in enumerate(PLAN):
        programme, back, *_rest = plan
        enterprise, clerk = applicants[index % len(applicants)]
        call = calls[(programme, back)]
        app = Application.objects.create(
            call=call,
            enterprise=enterprise,
            title=TITLES[index],
            summary="项目围绕企业主营产品开展关键技术攻关，形成自主知识产权。",
            requested_amount=Decimal(max(plan[3], 500_000)),
            state=S.SUBMITTED,
            submitted_at=call.closes_at - timedelta(days=3),
            created_by=clerk,
        )
        Transition.objects.create(
            application=app, from_state=S.DRAFT, to_state=S.SUBMITTED, actor=clerk
        )
        apps.setdefault((programme, back), []).append((app, plan))
    made = 0
    serial = 40
    for (programme, back), items in sorted(apps.items()):
        serial += 1
        recommended_on = min(
            date(today.year - back, 5, 20), today - timedelta(days=60 + 300 * back)
        )
        recommendation_create(
            by=staff,
            call=calls[(programme, back)],
            applications=[app for app, _plan in items],
            document_number=f"拱科〔{today.year - back}〕{serial}号",
            recommended_on=recommended_on,
            note="经区科技局审核，同意推荐。",
        )
        made += len(items)
        for app, plan in items:
            _decide(app, plan, staff, recommended_on, today)
    _reserve(staff, applicants, today)
    return made


def _decide(app: Application, plan: tuple, staff: User, recommended_on, today) -> None:  # type: ignore[no-untyped-def,type-arg]
    _programme, back, outcome, funds, match, then = plan
    if not outcome:
        return  # still waiting for the higher level
    project = app.upward
    decided_on = min(today, recommended_on + timedelta(days=60))
    level = {"national": "国科发", "provincial": "浙科发", "municipal": "杭科"}[
        app.call.programme.level
    ]
    upward_outcome_record(
        by=staff,
        project=project,
        outcome=outcome,
        decided_on=decided_on,
        higher_document_number=f"{level}〔{today.year - back}〕{app.pk + 11}号"
        if outcome == "approved"
        else "",
        funds_from_above=Decimal(funds) if outcome == "approved" else None,
        local_match=Decimal(match) if outcome == "approved" else None,
    )
    if then.startswith("midterm") or then == "accepted":
        result = {"midterm_rectify": "rectify", "midterm_pass": "pass"}.get(
            then, "good"
        )
        upward_midterm_record(
            by=staff,
            project=project,
            midterm_on=min(today, decided_on + timedelta(days=180)),
            midterm_result=result,
        )
    if then == "accepted":
        upward_acceptance_record(
            by=staff,
            project=project,
            acceptance_on=min(today, decided_on + timedelta(days=260)),
            acceptance_result="passed",
            new_output_value=Decimal(funds * 8),
            new_jobs=funds // 100_000,
            patents_filed=funds // 500_000 + 2,
            patents_granted=funds // 1_000_000 + 1,
            other_results="形成企业标准1项，新产品通过省级鉴定。",
        )


def _reserve(staff: User, applicants: list[tuple[Enterprise, User]], today) -> None:  # type: ignore[no-untyped-def]
    national = Programme.objects.filter(level="national").first()
    rows = [
        ("面向新能源汽车的固态电池隔膜材料", "national", national, 3_000_000),
        ("工业大模型驱动的柔性产线排程系统", "provincial", None, 1_000_000),
        ("中药材有效成分绿色提取工艺", "provincial", None, 800_000),
        ("城市地下管网数字孪生监测平台", "municipal", None, 500_000),
        ("宠物食品功能性原料研发", "municipal", None, 300_000),
    ]
    for index, (title, level, programme, amount) in enumerate(rows):
        enterprise, _clerk = applicants[(index + 3) % len(applicants)]
        reserve = reserve_save(
            by=staff,
            reserve=ReserveProject(
                enterprise=enterprise,
                title=title,
                summary="企业已完成前期研究，计划在下一轮申报通知发布后申报。",
                target_level=level,
                target_programme=programme,
                expected_year=today.year + 1,
                planned_amount=Decimal(amount),
            ),
        )
        if index == 4:
            reserve_drop(by=staff, reserve=reserve)
