"""Writes of the achievements (科技成果): record or change one."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bureau.audit import audited_save, snapshot
from bureau.models import User
from indicators.models import Achievement, TechContract

ACHIEVEMENT_FIELDS = (
    "title",
    "owner",
    "field",
    "stage",
    "way",
    "new_output_value",
    "jobs",
    "patents",
    "started_on",
    "pilot_on",
    "industrialised_on",
    "note",
)


@transaction.atomic
def achievement_save(
    *,
    achievement: Achievement,
    by: User,
    contracts: list[TechContract] | None = None,
    **fields: Any,
) -> Achievement:
    """Record a new achievement or change one; `contracts` replaces the
    linked contracts when given."""
    before = (
        snapshot(Achievement.objects.get(pk=achievement.pk), ACHIEVEMENT_FIELDS)
        if achievement.pk
        else None
    )
    for name, value in fields.items():
        if name not in ACHIEVEMENT_FIELDS:
            raise TypeError(name)
        setattr(achievement, name, value)
    if achievement.pk is None:
        achievement.created_by = by
    achievement.full_clean(exclude=["contracts"])
    audited_save(
        achievement,
        by=by,
        action="achievement.update" if before else "achievement.create",
        fields=ACHIEVEMENT_FIELDS,
        before=before,
        validate=False,
    )
    if contracts is not None:
        achievement.contracts.set(contracts)
    return achievement
