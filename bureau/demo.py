"""Demo tasks for `seed_demo`: notices from above turned into tasks for a
section, the demo streets, the demo enterprise and the demo staff, in every
status. Safe to run again (a task whose title exists is skipped). The
deadline calendar itself is seeded by migration 0009."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from bureau.models import LineOfWork, OrgUnit, Role, Task, User
from bureau.services.tasks import task_complete, task_create, task_note_add

K = Task.OwnerKind

# title, document number, issued by, received (days ago), due (days from
# today), line of work, owner, requirements, progress notes, result
DEMO_TASKS: list[tuple[Any, ...]] = [
    (
        "组织开展2026年度科技型中小企业评价入库工作",
        "杭科高〔2026〕8号",
        "市科技局",
        20,
        12,
        LineOfWork.ENTERPRISES,
        ("street", 0),
        "动员辖区符合条件的企业在全国科技型中小企业信息服务平台完成评价填报，"
        "每周五报送入库进度。",
        ["已召开辖区企业动员会，32家企业参加。", "已有18家企业提交评价材料。"],
        None,
    ),
    (
        "做好2026年全国科普日活动组织和信息报送",
        "市科协〔2026〕21号",
        "市科协",
        25,
        -3,
        LineOfWork.SCIENCE,
        ("section", "科普与人才科"),
        "制定区级科普日活动方案，活动结束后3个工作日内报送活动总结、照片和参与人数。",
        ["活动方案已报分管领导审定。"],
        None,
    ),
    (
        "报送2025年度研发费用归集和加计扣除情况",
        "区科〔2026〕15号",
        "区科技局",
        10,
        5,
        LineOfWork.STATISTICS,
        ("enterprise", 0),
        "填写研发费用辅助账汇总表，加盖公章后扫描上传。",
        [],
        None,
    ),
    (
        "核实高新技术企业培育入库企业名单",
        "浙科发高〔2026〕30号",
        "省科技厅",
        6,
        2,
        LineOfWork.ENTERPRISES,
        ("user", Role.STAFF),
        "逐家核对入库企业的知识产权、研发投入和高新技术产品收入，标注不符合条件的企业。",
        [],
        None,
    ),
    (
        "答复区人大代表第12号建议（关于加快建设科技企业孵化器的建议）",
        "区人大建〔2026〕12号",
        "区人大常委会",
        40,
        20,
        LineOfWork.GENERAL,
        ("section", "办公室"),
        "会同发改、经信部门起草答复意见，与代表当面沟通后书面答复。",
        ["已与区发改局对接，收集孵化器建设用地情况。"],
        None,
    ),
    (
        "报送街道年度科技创新工作考核自评材料",
        "区科〔2026〕9号",
        "区科技局",
        45,
        -10,
        LineOfWork.GENERAL,
        ("street", 1),
        "按考核细则逐项自评打分，附佐证材料目录。",
        ["已完成自评打分。"],
        ("已按时报送自评表和佐证材料。", "考核自评表.docx"),
    ),
    (
        "科技企业孵化器和众创空间年度绩效评价材料初审",
        "杭科成〔2026〕6号",
        "市科技局",
        60,
        -20,
        LineOfWork.CARRIERS,
        ("user", Role.SECTION_HEAD),
        "对辖区3家孵化器、5家众创空间的年度评价材料进行初审，出具初审意见。",
        [],
        ("初审完成，8家全部通过，已报市科技局。", "初审意见汇总表.xlsx"),
    ),
]


def seed_tasks(
    *, users: list[User], streets: list[OrgUnit], enterprises: list[Any]
) -> int:
    """Create the demo tasks that are missing; returns how many."""
    by_role = {u.role: u for u in users}
    staff, head = by_role[Role.STAFF], by_role[Role.SECTION_HEAD]
    today = timezone.localdate()
    created = 0
    for (
        title,
        number,
        issuer,
        received,
        due,
        line,
        (kind, which),
        requirements,
        notes,
        done,
    ) in DEMO_TASKS:
        if Task.objects.filter(title=title).exists():
            continue
        owner: dict[str, Any] = {"owner_kind": kind}
        if kind == K.STREET:
            owner["owner_unit"] = streets[which]
        elif kind == K.ENTERPRISE:
            owner["owner_enterprise"] = enterprises[which]
        elif kind == K.USER:
            owner["owner_user"] = by_role[which]
        else:
            owner["owner_section"] = which
        task = task_create(
            by=head if kind != K.USER or which == Role.STAFF else staff,
            task=Task(
                title=title,
                document_number=number,
                issued_by=issuer,
                received_on=today - timedelta(days=received),
                due_on=today + timedelta(days=due),
                line_of_work=line,
                description=requirements,
                **owner,
            ),
        )
        worker = by_role.get(
            {K.STREET: Role.STREET_LIAISON, K.ENTERPRISE: Role.ENTERPRISE}.get(
                kind, Role.STAFF
            ),
            staff,
        )
        if kind == K.STREET and which != 0:
            worker = staff  # the demo liaison looks after the first street
        for text in notes:
            task_note_add(task=task, by=worker, text=text)
        if done:
            result, attachment = done
            task_complete(
                task=task, by=worker, result=result, attachment_name=attachment
            )
        created += 1
    return created
