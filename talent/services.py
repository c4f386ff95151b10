"""Writes of the talent app. Every one is atomic and audited; ID numbers and
phones reach the database only encrypted, and the audit log only masked."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau.audit import audit, snapshot
from bureau.lib import pii
from bureau.lib.exceptions import ApplicationError
from bureau.lib.uploads import checked_content_type
from bureau.models import User
from talent.models import (
    Allowance,
    AllowancePayment,
    AllowanceRule,
    CaseDocument,
    Commissioner,
    CommissionerAssessment,
    ForeignExpertCase,
    ServiceLog,
    Talent,
    TalentAward,
    TalentProgramme,
    Team,
)
from talent.points import PointsInput, permit_points
from talent.validators import id_birth_date, validate_id_number

TALENT_FIELDS = (
    "name",
    "gender",
    "birth_year",
    "degree",
    "title",
    "field",
    "employer",
    "arrived_on",
    "left_on",
    "nationality",
)
# What the audit log records of a person: never the clear ID number or phone.
TALENT_AUDIT_FIELDS = (*TALENT_FIELDS, "id_number_masked", "phone_masked")


def _set_id_number(talent: Talent, id_number: str) -> None:
    value = id_number.strip().upper()
    if not value:
        talent.id_number_encrypted = talent.id_number_hash = talent.id_number_masked = (
            ""
        )
        return
    try:
        validate_id_number(value)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    digest = pii.keyed_hash(value)
    if Talent.objects.filter(id_number_hash=digest).exclude(pk=talent.pk).exists():
        raise ValidationError(
            {"id_number": [_("A person with this ID number is already registered.")]}
        )
    born = id_birth_date(value)
    if talent.birth_year and talent.birth_year != born.year:
        raise ValidationError(
            {"birth_year": [_("The birth year does not match the ID number.")]}
        )
    talent.birth_year = born.year
    if not talent.gender:
        talent.gender = (
            Talent.Gender.MALE if int(value[16]) % 2 else Talent.Gender.FEMALE
        )
    talent.id_number_encrypted = pii.encrypt(value)
    talent.id_number_hash = digest
    talent.id_number_masked = pii.mask_id_number(value)


def _set_phone(talent: Talent, phone: str) -> None:
    value = "".join(ch for ch in phone if ch.isdigit() or ch in "+-")
    if phone.strip() and len([c for c in value if c.isdigit()]) < 7:
        raise ValidationError({"phone": [_("This is not a phone number.")]})
    talent.phone_encrypted = pii.encrypt(value)
    talent.phone_masked = pii.mask_phone(value)


@transaction.atomic
def talent_create(
    *, by: User | None, name: str, id_number: str = "", phone: str = "", **fields: Any
) -> Talent:
    unknown = set(fields) - set(TALENT_FIELDS)
    if unknown:
        raise ValueError(f"talent_create cannot set {sorted(unknown)}")
    talent = Talent(name=name, **fields)
    _set_id_number(talent, id_number)
    _set_phone(talent, phone)
    talent.full_clean()
    talent.save()
    audit(
        by=by,
        action="talent.create",
        target=talent,
        after=snapshot(talent, TALENT_AUDIT_FIELDS),
    )
    return talent


@transaction.atomic
def talent_update(*, talent: Talent, by: User | None, **fields: Any) -> Talent:
    """Change a person; `id_number` and `phone` may be given in clear and are
    stored encrypted like on creation."""
    before = snapshot(talent, TALENT_AUDIT_FIELDS)
    id_number = fields.pop("id_number", None)
    phone = fields.pop("phone", None)
    unknown = set(fields) - set(TALENT_FIELDS)
    if unknown:
        raise ValueError(f"talent_update cannot set {sorted(unknown)}")
    for name, value in fields.items():
        setattr(talent, name, value)
    if id_number is not None:
        _set_id_number(talent, id_number)
    if phone is not None:
        _set_phone(talent, phone)
    talent.full_clean()
    talent.save()
    after = snapshot(talent, TALENT_AUDIT_FIELDS)
    if before != after:
        audit(by=by, action="talent.update", target=talent, before=before, after=after)
    return talent


# --- Teams and awards -------------------------------------------------------


def team_warnings(team: Team, *, on: date | None = None) -> list[str]:
    """The checks of RULES §10 for a leading-team application, as warnings:
    1 leader + at least 5 core members, leader ≤ 55, members' average ≤ 45."""
    on = on or timezone.localdate()
    rules = settings.TALENT_TEAM_RULES
    warnings = []
    members = [m for m in team.members.all() if m.pk != team.leader_id]
    if len(members) < rules["min_core_members"]:
        warnings.append(
            f"核心成员{len(members)}人，少于{rules['min_core_members']}人（不含带头人）"
        )
    leader_age = team.leader.age_on(on)
    if leader_age is None:
        warnings.append("带头人出生年份未知，无法核对年龄")
    elif leader_age > rules["max_leader_age"]:
        warnings.append(f"带头人{leader_age}岁，超过{rules['max_leader_age']}岁")
    ages = [m.age_on(on) for m in members if m.birth_year]
    if ages:
        average = sum(ages) / len(ages)
        if average > rules["max_member_average_age"]:
            warnings.append(
                f"核心成员平均年龄{average:.1f}岁，超过{rules['max_member_average_age']}岁"
            )
    if len(ages) < len(members):
        warnings.append(f"{len(members) - len(ages)}名核心成员出生年份未知")
    return warnings


@transaction.atomic
def team_create(
    *,
    by: User,
    name: str,
    leader: Talent,
    members: list[Talent],
    enterprise: Any = None,
    programme: TalentProgramme | None = None,
) -> Team:
    team = Team(name=name, leader=leader, enterprise=enterprise, programme=programme)
    team.full_clean()
    team.save()
    team.members.set([m for m in members if m.pk != leader.pk])
    audit(
        by=by,
        action="team.create",
        target=team,
        after={"name": name, "leader": leader.pk, "members": [m.pk for m in members]},
    )
    return team


@transaction.atomic
def award_record(
    *,
    by: User,
    programme: TalentProgramme,
    year: int,
    amount: Any,
    talent: Talent | None = None,
    team: Team | None = None,
    note: str = "",
) -> TalentAward:
    award = TalentAward(
        programme=programme,
        year=year,
        amount=amount,
        talent=talent,
        team=team,
        note=note,
    )
    award.full_clean()
    award.save()
    audit(
        by=by,
        action="talent_award.record",
        target=award,
        after={
            "programme": programme.pk,
            "year": year,
            "amount": str(amount),
            "talent": talent.pk if talent else None,
            "team": team.pk if team else None,
        },
    )
    return award


# --- Allowances ------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def allowance_grant(
    *, by: User, talent: Talent, rule: AllowanceRule, first_month: date
) -> Allowance:
    """Grant an allowance by `rule` and lay out its monthly payments."""
    first = month_start(first_month)
    if not rule.is_active:
        raise ValidationError({"rule": _("This allowance rule is no longer in use.")})
    if talent.degree != rule.degree:
        raise ValidationError(
            {"rule": _("The rule is for another degree than the person's.")}
        )
    if talent.left_on and talent.left_on < first:
        raise ValidationError({"first_month": _("The person left before that month.")})
    last = add_months(first, rule.months - 1)
    overlapping = AllowancePayment.objects.filter(
        allowance__talent=talent, month__gte=first, month__lte=last
    ).exclude(status=AllowancePayment.Status.STOPPED)
    if overlapping.exists():
        raise ApplicationError(
            _("This person already has an allowance for some of those months."),
            code="overlapping_allowance",
        )
    allowance = Allowance.objects.create(
        talent=talent,
        rule=rule,
        monthly_amount=rule.monthly_amount,
        first_month=first,
        months=rule.months,
    )
    AllowancePayment.objects.bulk_create(
        AllowancePayment(
            allowance=allowance, month=add_months(first, i), amount=rule.monthly_amount
        )
        for i in range(rule.months)
    )
    audit(
        by=by,
        action="allowance.grant",
        target=allowance,
        after={
            "talent": talent.pk,
            "monthly_amount": str(rule.monthly_amount),
            "first_month": first.isoformat(),
            "months": rule.months,
        },
    )
    return allowance


@transaction.atomic
def allowances_mark_due(*, month: date) -> dict[str, int]:
    """The monthly job: planned payments up to `month` become due, unless the
    person has left, in which case they and every later one stop. Only planned
    rows change, so running it again changes nothing."""
    month = month_start(month)
    stopped = due = 0
    planned = (
        AllowancePayment.objects.select_for_update()
        .filter(status=AllowancePayment.Status.PLANNED)
        .select_related("allowance__talent")
    )
    for payment in planned:
        left = payment.allowance.talent.left_on
        if left is not None and left < payment.month:
            payment.status = AllowancePayment.Status.STOPPED
            payment.stop_reason = f"{left.isoformat()}离开，停止发放"
            payment.save(update_fields=["status", "stop_reason"])
            stopped += 1
        elif payment.month <= month:
            payment.status = AllowancePayment.Status.DUE
            payment.save(update_fields=["status"])
            due += 1
    if due or stopped:
        audit(
            by=None,
            action="allowance.mark_due",
            message=f"{month:%Y-%m}：{due}笔到期，{stopped}笔停发",
        )
    return {"due": due, "stopped": stopped}


@transaction.atomic
def allowance_payments_pay(*, by: User, month: date) -> int:
    """Record the due payments of `month` as paid (after finance transfers
    them). A payment is paid once: only due ones change."""
    month = month_start(month)
    payments = list(
        AllowancePayment.objects.select_for_update().filter(
            month=month, status=AllowancePayment.Status.DUE
        )
    )
    now = timezone.now()
    for payment in payments:
        payment.status = AllowancePayment.Status.PAID
        payment.paid_at = now
        payment.paid_by = by
        payment.save(update_fields=["status", "paid_at", "paid_by"])
    if payments:
        audit(
            by=by,
            action="allowance.pay",
            message=f"{month:%Y-%m}：发放{len(payments)}笔，合计"
            f"{sum(p.amount for p in payments)}元",
        )
    return len(payments)


# --- Foreign experts ---------------------------------------------------------


@transaction.atomic
def permit_case_create(
    *, by: User, talent: Talent, points_input: PointsInput, permit_class: str = ""
) -> ForeignExpertCase:
    if talent.nationality.upper() == "CN":
        raise ValidationError(
            {"talent": _("A work-permit case is for a foreign national.")}
        )
    result = permit_points(points_input)
    case = ForeignExpertCase(
        talent=talent,
        permit_class=permit_class or result.suggested_class,
        points=result.total,
        points_breakdown=result.as_dict(),
    )
    case.full_clean()
    case.save()
    audit(
        by=by,
        action="permit_case.create",
        target=case,
        after={"permit_class": case.permit_class, "points": case.points},
    )
    return case


CASE_MOVES = {
    "submit": ({"draft"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
}


@transaction.atomic
def permit_case_move(
    *,
    by: User,
    case: ForeignExpertCase,
    move: str,
    on: date | None = None,
    valid_until: date | None = None,
) -> ForeignExpertCase:
    if move not in CASE_MOVES:
        raise ValidationError({"move": _("Unknown move.")})
    sources, target = CASE_MOVES[move]
    if case.status not in sources:
        raise ApplicationError(
            _("A %(status)s case cannot be moved that way.")
            % {"status": case.get_status_display()},
            code="invalid_transition",
        )
    before = {"status": case.status}
    on = on or timezone.localdate()
    case.status = target
    if move == "submit":
        case.applied_on = on
    else:
        case.decided_on = on
        if move == "approve":
            case.valid_until = valid_until
    case.save()
    audit(
        by=by,
        action=f"permit_case.{move}",
        target=case,
        before=before,
        after={"status": target},
    )
    return case


@transaction.atomic
def case_document_add(
    *, by: User, case: ForeignExpertCase, title: str, upload: Any
) -> CaseDocument:
    """Store an upload after checking what it is by its content (a renamed
    executable is refused) and its size."""
    content_type = checked_content_type(upload)
    document = CaseDocument(
        case=case,
        title=title,
        original_name=getattr(upload, "name", "")[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save("upload", upload, save=False)
    document.save()
    audit(
        by=by,
        action="case_document.add",
        target=document,
        after={"title": title, "content_type": content_type, "size": upload.size},
    )
    return document


# --- 科技特派员 ----------------------------------------------------------------


@transaction.atomic
def commissioner_create(
    *, by: User, served_enterprises: list[Any] | None = None, **fields: Any
) -> Commissioner:
    commissioner = Commissioner(**fields)
    commissioner.full_clean()
    commissioner.save()
    if served_enterprises:
        commissioner.served_enterprises.set(served_enterprises)
    audit(
        by=by,
        action="commissioner.create",
        target=commissioner,
        after=snapshot(
            commissioner,
            [
                "kind",
                "name",
                "sending_organisation",
                "served_area",
                "term_start",
                "term_end",
            ],
        ),
    )
    return commissioner


@transaction.atomic
def service_log_record(
    *, by: User, commissioner: Commissioner, **fields: Any
) -> ServiceLog:
    log = ServiceLog(commissioner=commissioner, **fields)
    log.full_clean()
    if log.served_on > timezone.localdate():
        raise ValidationError({"served_on": _("The date is in the future.")})
    log.save()
    audit(
        by=by,
        action="service_log.record",
        target=log,
        after=snapshot(log, ["served_on", "kind", "count", "result"]),
    )
    return log


def grade_for(score: int) -> str:
    thresholds = settings.TALENT_COMMISSIONER_GRADES
    if score >= thresholds["excellent"]:
        return CommissionerAssessment.Grade.EXCELLENT
    if score >= thresholds["good"]:
        return CommissionerAssessment.Grade.GOOD
    if score >= thresholds["pass"]:
        return CommissionerAssessment.Grade.PASS
    return CommissionerAssessment.Grade.FAIL


@transaction.atomic
def commissioner_assess(
    *, by: User, commissioner: Commissioner, year: int, score: int, comment: str = ""
) -> CommissionerAssessment:
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("The score is out of 100.")})
    assessment, created = CommissionerAssessment.objects.update_or_create(
        commissioner=commissioner,
        year=year,
        defaults={"score": score, "grade": grade_for(score), "comment": comment},
    )
    audit(
        by=by,
        action="commissioner.assess",
        target=assessment,
        after={"year": year, "score": score, "grade": assessment.grade},
    )
    return assessment
