"""Demo programmes, calls, experts and applications in every state for
`seed_demo`, moved through the real services so their histories, reviews,
contracts and tranches are consistent. Idempotent: skipped once calls exist."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from bureau.models import Role, User
from enterprises.models import Enterprise
from projects.fields import split_names
from projects.models import (
    Application,
    Call,
    Expert,
    ProfessionalField,
    ReviewAssignment,
)
from projects.services.applications import application_create, attachment_add
from projects.services.calls import call_create, call_publish, programme_create
from projects.services.money import contract_record, disbursement_pay, milestone_achieve
from projects.services.review import (
    assignment_declare,
    call_panel_close,
    review_submit,
    reviewers_draw,
)
from projects.services.workflow import application_transition

S = Application.State
PDF = b"%PDF-1.4\n% demo attachment\n"
TITLES = [
    "面向新能源电池的视觉缺陷检测系统研发",
    "工业互联网设备预测性维护平台",
    "高通量药物筛选微流控芯片",
    "可降解医用高分子材料制备工艺",
    "智慧社区边缘计算网关",
    "氢燃料电池双极板精密加工技术",
    "城市内涝数字孪生预警系统",
    "AI辅助病理切片分析软件",
    "高性能碳纤维复合材料构件",
    "储能电站热失控早期预警装置",
    "运河文化遗产三维数字化平台",
    "智能仓储多机器人调度系统",
]
EXPERTS = [
    ("周建华", "浙江工业大学", "电子信息,先进制造与自动化"),
    ("李文博", "浙江大学", "电子信息"),
    ("王丽", "杭州电子科技大学", "电子信息,高技术服务"),
    ("陈志强", "浙江理工大学", "新材料,先进制造与自动化"),
    ("刘洁", "浙江省医学科学院", "生物与新医药"),
    ("孙海峰", "中国计量大学", "先进制造与自动化"),
    ("吴敏", "浙江科技学院", "新能源与节能,资源与环境"),
    ("郑涛", "杭州师范大学", "电子信息,生物与新医药"),
]


def _pdf(name: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _experts() -> list[Expert]:
    group = Group.objects.get(name=Role.EXPERT)
    experts = []
    for index, (name, organisation, fields) in enumerate(EXPERTS, start=1):
        user, created = User.objects.get_or_create(
            username=f"expert{index:02d}",
            defaults={"role": Role.EXPERT, "full_name": name},
        )
        if created:
            user.set_unusable_password()  # reviewers in the demo data, not logins
            user.save(update_fields=["password"])
            user.groups.set([group])
        expert, created = Expert.objects.get_or_create(
            user=user, defaults={"name": name, "organisation": organisation}
        )
        if created:
            expert.fields.set(ProfessionalField.objects.named(split_names(fields)))
        experts.append(expert)
    demo = Expert.objects.filter(user__username="demo_expert").first()
    if demo is not None:
        demo.fields.set(
            ProfessionalField.objects.named(["电子信息", "先进制造与自动化"])
        )
    return experts


@transaction.atomic
def seed_projects(*, staff: User, head: User, featured: Enterprise | None) -> int:
    if Call.objects.exists():
        return 0
    rng = random.Random(11)
    _experts()
    now = timezone.now()
    grant = programme_create(
        by=head,
        name="拱墅区科技计划项目",
        level="district",
        kind="grant",
        midterm_threshold=Decimal("500000"),
    )
    municipal = programme_create(
        by=head,
        name="杭州市重点研发计划",
        level="municipal",
        kind="grant",
        midterm_threshold=Decimal("1000000"),
    )
    criteria = [
        {"name": "技术创新性", "weight": Decimal("0.4"), "max_score": 100},
        {"name": "实施方案可行性", "weight": Decimal("0.3"), "max_score": 100},
        {"name": "经济社会效益", "weight": Decimal("0.3"), "max_score": 100},
    ]
    past = call_create(
        by=staff,
        criteria=criteria,
        programme=grant,
        title=f"{now.year - 1}年度区科技计划项目申报",
        year=now.year - 1,
        opens_at=now - timedelta(days=400),
        closes_at=now + timedelta(days=1),
        required_attachments=["项目申报书"],
        budget_ceiling=Decimal("5000000"),
        max_request=Decimal("1000000"),
        reviewers_per_application=3,
        description="支持企业开展关键核心技术攻关，单个项目资助不超过100万元。",
    )
    call_publish(call=past, by=staff)
    current = call_create(
        by=staff,
        criteria=criteria,
        programme=grant,
        title=f"{now.year}年度区科技计划项目申报",
        year=now.year,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        required_attachments=["项目申报书", "营业执照"],
        budget_ceiling=Decimal("6000000"),
        max_request=Decimal("1000000"),
        reviewers_per_application=3,
        description="重点支持人工智能、智能制造、生物医药等领域的研发项目。",
    )
    call_publish(call=current, by=staff)
    call_create(
        by=staff,
        criteria=criteria,
        programme=municipal,
        title=f"{now.year + 1}年度市重点研发计划（征求意见稿）",
        year=now.year + 1,
        opens_at=now + timedelta(days=40),
        closes_at=now + timedelta(days=80),
        budget_ceiling=Decimal("20000000"),
        field=ProfessionalField.objects.get(name="电子信息", parent=None),
    )

    enterprises = list(Enterprise.objects.filter(users__isnull=True).order_by("?")[:14])
    applicants: list[tuple[Enterprise, User]] = []
    for index, enterprise in enumerate(enterprises):
        clerk, _ = User.objects.get_or_create(
            username=f"clerk{index + 1:02d}",
            defaults={
                "role": Role.ENTERPRISE,
                "enterprise": enterprise,
                "full_name": "申报专员",
            },
        )
        clerk.set_unusable_password()
        clerk.save(update_fields=["password"])
        clerk.groups.set([Group.objects.get(name=Role.ENTERPRISE)])
        applicants.append((enterprise, clerk))
    if featured is not None:
        user = featured.users.first()
        if user is not None:
            applicants.insert(0, (featured, user))

    # Where each demo application of the past call ends up.
    endings = [
        S.CLOSED,
        S.ACCEPTED,
        S.MIDTERM_PASSED,
        S.CONTRACTED,
        S.APPROVED,
        S.FAILED_ACCEPTANCE,
        S.TERMINATED,
        S.REJECTED,
        S.UNDER_REVIEW,
        S.RETURNED,
        S.WITHDRAWN,
    ]
    made = 0
    driven = []
    for index, ending in enumerate(endings):
        enterprise, clerk = applicants[index % len(applicants)]
        amount = Decimal(rng.choice([300000, 500000, 800000, 1000000]))
        app = _file(past, clerk, TITLES[index], amount, rng, index)
        _drive(app, ending, staff, head, rng)
        driven.append((app, ending))
        made += 1
    past.closes_at = now - timedelta(days=300)  # demo: the call is long closed
    past.save(update_fields=["closes_at"])
    # The section head decides once the panel is closed and the scores unsealed.
    call_panel_close(call=past, by=staff)
    for app, ending in driven:
        _decide(app, ending, staff, head)
    # The open call: drafts and fresh submissions.
    for index, ending in enumerate([S.DRAFT, S.SUBMITTED, S.SUBMITTED, S.DRAFT]):
        enterprise, clerk = applicants[(index + 3) % len(applicants)]
        app = _file(
            current,
            clerk,
            TITLES[-(index + 1)],
            Decimal(rng.choice([200000, 400000])),
            rng,
            index + 20,
            extra_kind="营业执照",
        )
        if ending == S.SUBMITTED:
            application_transition(application=app, to=S.SUBMITTED, by=clerk)
        made += 1
    # One application of the open call under review, with the demo expert
    # assigned and not yet declared: the expert login has work to do.
    enterprise, clerk = applicants[7 % len(applicants)]
    app = _file(
        current, clerk, TITLES[5], Decimal("600000"), rng, 30, extra_kind="营业执照"
    )
    application_transition(application=app, to=S.SUBMITTED, by=clerk)
    application_transition(
        application=app, to=S.UNDER_REVIEW, by=staff, comment="形式审查通过"
    )
    demo_expert = Expert.objects.filter(user__username="demo_expert").first()
    if demo_expert is not None:
        ReviewAssignment.objects.create(application=app, expert=demo_expert)
    made += 1
    return made


def _file(
    call: Call,
    clerk: User,
    title: str,
    amount: Decimal,
    rng: random.Random,
    index: int,
    extra_kind: str = "",
) -> Application:
    app = application_create(
        by=clerk,
        call=call,
        title=title,
        summary=f"{title}，突破关键技术并实现产业化应用。",
        content="一、立项依据\n二、研究内容\n三、考核指标\n四、进度安排",
        field=ProfessionalField.objects.get(code="0101" if index % 3 else "08"),
        requested_amount=amount,
        budget_lines=[
            {"category": "equipment", "amount": amount * Decimal("0.5")},
            {"category": "labour", "amount": amount * Decimal("0.3")},
            {"category": "materials", "amount": amount * Decimal("0.2")},
        ],
        team_members=[
            {
                "name": rng.choice("王李张刘陈杨黄赵")
                + rng.choice(["建国", "海涛", "晓燕", "志明"]),
                "organisation": clerk.enterprise.name if clerk.enterprise else "",
                "role": "项目负责人",
            },
            {
                "name": rng.choice("周吴徐孙马朱胡郭")
                + rng.choice(["磊", "静", "强", "敏", "超"]),
                "organisation": clerk.enterprise.name if clerk.enterprise else "",
                "role": "技术骨干",
            },
        ],
    )
    attachment_add(
        application=app, by=clerk, kind="项目申报书", upload=_pdf("项目申报书.pdf")
    )
    if extra_kind:
        attachment_add(
            application=app, by=clerk, kind=extra_kind, upload=_pdf(f"{extra_kind}.pdf")
        )
    return app


# The endings off the main path: who moves the application there, and why.
SIDE_EXITS: dict[str, tuple[str, str]] = {
    S.WITHDRAWN: ("clerk", "企业决定暂不申报"),
    S.RETURNED: ("staff", "预算编制说明不完整，请补充后重新提交"),
    S.REJECTED: ("head", "评审得分排名靠后，未予立项"),
    S.TERMINATED: ("head", "企业经营状况变化，项目终止"),
    S.FAILED_ACCEPTANCE: ("staff", "考核指标未全部完成，限期整改"),
}


def _exits_to(
    app: Application, ending: str, state: str, staff: User, head: User
) -> bool:
    """Take the side exit to `state` when that is the ending."""
    if ending != state:
        return False
    who, comment = SIDE_EXITS[state]
    actor = {"clerk": app.created_by, "staff": staff, "head": head}[who]
    application_transition(application=app, to=state, by=actor, comment=comment)
    return True


def _drive(
    app: Application, ending: str, staff: User, head: User, rng: random.Random
) -> None:
    """Move a submitted demo application along the path that ends in
    `ending`, up to its reviews (`_decide` goes on once the panel closes)."""
    clerk = app.created_by
    move = application_transition

    def exits_to(state: str) -> bool:
        return _exits_to(app, ending, state, staff, head)

    if exits_to(S.WITHDRAWN):
        return
    move(application=app, to=S.SUBMITTED, by=clerk)
    if exits_to(S.RETURNED):
        return
    move(application=app, to=S.UNDER_REVIEW, by=staff, comment="形式审查通过")
    for assignment in reviewers_draw(application=app, by=staff, rng=rng):
        user = assignment.expert.user
        if user is None:  # reviewers are drawn among experts with an account
            continue
        assignment_declare(assignment=assignment, by=user, conflict=False)
        criteria = list(app.call.criteria.all())
        review_submit(
            assignment=assignment,
            by=user,
            scores={c.pk: rng.randint(65, 95) for c in criteria},
            opinion="技术路线可行。",
        )


def _decide(app: Application, ending: str, staff: User, head: User) -> None:
    """The section head's decision on a reviewed demo application, and what
    follows it, down to `ending`."""
    move = application_transition

    def exits_to(state: str) -> bool:
        return _exits_to(app, ending, state, staff, head)

    if app.state != S.UNDER_REVIEW or ending == S.UNDER_REVIEW:
        return
    if exits_to(S.REJECTED):
        return
    approved = (app.requested_amount * Decimal("0.8")).quantize(Decimal("1"))
    move(
        application=app,
        to=S.APPROVED,
        by=head,
        approved_amount=approved,
        comment="同意立项",
    )
    if ending == S.APPROVED:
        return
    today = timezone.localdate()
    start = today - timedelta(days=300)
    first = (approved * Decimal("0.6")).quantize(Decimal("1"))
    contract_record(
        application=app,
        by=staff,
        number=f"GS{today.year - 1}{app.pk:04d}",
        start_on=start,
        end_on=start + timedelta(days=730),
        deliverables="研制样机1套，申请发明专利2项，新增销售收入500万元",
        milestones=[
            {
                "title": "首期拨款",
                "due_on": start + timedelta(days=30),
                "amount": first,
            },
            {
                "title": "验收后拨付",
                "due_on": start + timedelta(days=700),
                "amount": approved - first,
            },
        ],
    )
    move(application=app, to=S.CONTRACTED, by=staff, comment="任务书已签订")
    _pay_next_tranche(app, staff)
    if ending == S.CONTRACTED:
        return
    if exits_to(S.TERMINATED):
        return
    midterm = app.call.programme.midterm_threshold
    if midterm is not None and approved > midterm:
        move(application=app, to=S.MIDTERM_PASSED, by=staff, comment="中期检查通过")
    if ending == S.MIDTERM_PASSED:
        return
    if exits_to(S.FAILED_ACCEPTANCE):
        return
    move(application=app, to=S.ACCEPTED, by=staff, comment="验收通过")
    if ending == S.ACCEPTED:
        return
    _pay_next_tranche(app, staff)
    move(application=app, to=S.CLOSED, by=staff, comment="结项")


def _pay_next_tranche(app: Application, staff: User) -> None:
    """Achieve the milestone of the earliest planned tranche and pay it."""
    disbursement = app.disbursements.filter(status="planned").earliest(
        "planned_on", "id"
    )
    if disbursement.milestone is not None:
        milestone_achieve(milestone=disbursement.milestone, by=staff)
    disbursement_pay(disbursement=disbursement, by=staff)
