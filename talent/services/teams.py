"""Writes of leading teams and programme awards."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bureau.audit import audit
from bureau.models import User
from talent.models import (
    Talent,
    TalentAward,
    TalentProgramme,
    Team,
)


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
    ages = [age for m in members if (age := m.age_on(on)) is not None]
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
